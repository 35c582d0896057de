package dev.refkit.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** When a collection ended, on the scale of {@link System#nanoTime()}: what the cache compares its history with. */
class GcClockTest {
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    @Test
    void collectionsCountFromTheStartTimeOnTheWallClock() {
        long now = 5_000_000 * MS;
        HeapMonitor.GcClock clock = new HeapMonitor.GcClock(1_000, 1_250, now); // started 250 ms ago

        assertThat(clock.endNanos(200, now + 10 * MS)).as("50 ms before now").isEqualTo(now - 50 * MS);
        assertThat(clock.endNanos(300, now + 60 * MS)).isEqualTo(now + 50 * MS);
    }

    @Test
    void aCollectionDoesNotEndAfterItsNotificationArrives() {
        long now = 5_000_000 * MS;
        HeapMonitor.GcClock clock = new HeapMonitor.GcClock(1_000, 1_250, now); // had the wall clock stepped

        assertThat(clock.endNanos(300, now + 20 * MS)).isEqualTo(now + 20 * MS);
    }

    /**
     * Through the JVM's own notifications: the reading of a collection the test asks for ends after the test asked
     * and no later than it was told. Converted through the uptime, it ended 18 to 90 ms before it was asked for.
     */
    @Test
    void aCollectionReadsAsEndingBetweenItsRequestAndItsNotification() {
        List<long[]> seen = new CopyOnWriteArrayList<>(); // {endNanos, arrival} of complete collections
        HeapMonitor.Listener listener = reading -> {
            if (reading.complete()) {
                seen.add(new long[] {reading.endNanos(), System.nanoTime()});
            }
        };
        assertThat(HeapMonitor.register(listener)).as("notifications available").isNull();

        for (int round = 0; round < 3; round++) {
            int before = seen.size();
            long asked = System.nanoTime();
            System.gc(); // a full collection, to have a notification of a known time; nothing is asserted of the heap
            Await.until("the collection's notification", () -> seen.size() > before);
            long[] last = seen.get(seen.size() - 1);

            assertThat(last[0]).as("round %d: ended after it was asked for (to the clocks' milliseconds)", round)
                    .isGreaterThanOrEqualTo(asked - 3 * MS);
            assertThat(last[0]).as("round %d: ended before it was told", round).isLessThanOrEqualTo(last[1]);
        }
        assertThat(listener).isNotNull(); // held strongly until here: the monitor holds listeners weakly
    }
}
