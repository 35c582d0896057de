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
    void theQuickestDeliverySetsTheOffsetAndLaterSlowerOnesDoNotMoveIt() {
        HeapMonitor.GcClock clock = new HeapMonitor.GcClock();
        long origin = 7_000 * MS; // where the collectors' clock starts, on the nanoTime scale

        long first = clock.endNanos(100, origin + 100 * MS + 20 * MS); // delivered 20 ms late
        long second = clock.endNanos(200, origin + 200 * MS + MS); // 1 ms
        long third = clock.endNanos(300, origin + 300 * MS + 5 * MS); // 5 ms

        assertThat(first).as("no better guess yet than its arrival").isEqualTo(origin + 120 * MS);
        assertThat(second).isEqualTo(origin + 201 * MS);
        assertThat(third).as("the end, less than the quickest delivery").isEqualTo(origin + 301 * MS);
    }

    @Test
    void aNotificationArrivingBeforeTheEndItReportsIsImpossibleSoTheOffsetOnlyShrinks() {
        HeapMonitor.GcClock clock = new HeapMonitor.GcClock();

        clock.endNanos(10, 50 * MS);
        long later = clock.endNanos(20, 50 * MS + 10 * MS + 30 * MS);

        assertThat(later).isEqualTo(60 * MS);
    }

    /**
     * Through the JVM's own notifications: the reading of a collection the test asks for ends after the test asked
     * and no later than it was told. Converted through the uptime, it ended 32 to 90 ms before it was asked for.
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

        for (int round = 0; round < 3; round++) { // the first may be delivered late, which the next ones correct
            int before = seen.size();
            long asked = System.nanoTime();
            System.gc(); // a full collection, to have a notification of a known time; nothing is asserted of the heap
            Await.until("the collection's notification", () -> seen.size() > before);
            long[] last = seen.get(seen.size() - 1);

            assertThat(last[0]).as("round %d: ended after it was asked for (ms granularity)", round)
                    .isGreaterThanOrEqualTo(asked - MS);
            assertThat(last[0]).as("round %d: ended before it was told", round).isLessThanOrEqualTo(last[1]);
        }
        assertThat(listener).isNotNull(); // held strongly until here: the monitor holds listeners weakly
    }
}
