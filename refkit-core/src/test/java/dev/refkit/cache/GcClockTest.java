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
        // started 250 ms ago on the wall clock; the uptime, which counts from earlier, says 270 ms
        HeapMonitor.GcClock clock = new HeapMonitor.GcClock(1_000, 1_250, 270, now);

        assertThat(clock.endNanos(200, now + 10 * MS)).as("50 ms before now").isEqualTo(now - 50 * MS);
        assertThat(clock.endNanos(300, now + 60 * MS)).isEqualTo(now + 50 * MS);
    }

    @Test
    void aCollectionDoesNotEndAfterItsNotificationArrives() {
        long now = 5_000_000 * MS;
        HeapMonitor.GcClock clock = new HeapMonitor.GcClock(1_000, 1_250, 270, now);

        assertThat(clock.endNanos(300, now + 20 * MS)).as("a wall clock stepped back").isEqualTo(now + 20 * MS);
    }

    @Test
    void theOriginIsNeverBeforeTheUptimes() {
        long now = 5_000_000 * MS;
        // the wall clock stepped forward by a second after the start: the start looks 1,250 ms ago, the uptime says 270
        HeapMonitor.GcClock clock = new HeapMonitor.GcClock(1_000, 2_250, 270, now);

        assertThat(clock.endNanos(200, now + 500 * MS)).isEqualTo(now - 70 * MS);
    }

    /**
     * Through the JVM's own notifications: the reading of a collection the test asks for ends after the test asked
     * (to the clocks' milliseconds) and before {@code System.gc()} returned. Converted through the uptime, it came
     * out 18 to 90 ms earlier than it ended.
     */
    @Test
    void aRequestedCollectionReadsAsEndingWhileItWasRequested() {
        List<Long> ends = new CopyOnWriteArrayList<>(); // of complete collections
        HeapMonitor.Listener listener = reading -> {
            if (reading.complete()) {
                ends.add(reading.endNanos());
            }
        };
        assertThat(HeapMonitor.register(listener)).as("notifications available").isNull();

        for (int round = 0; round < 3; round++) {
            long asked = System.nanoTime();
            System.gc(); // a full collection, to have a notification of a known time; nothing is asserted of the heap
            long returned = System.nanoTime();
            // other collections' readings may come too: the requested one is the one inside the window
            Await.until("round " + round + ": a reading of a collection that ended between the request ("
                    + asked + ") and the return (" + returned + "), within 3 ms; readings so far " + ends,
                    () -> ends.stream().anyMatch(end -> end - (asked - 3 * MS) >= 0 && end - (returned + 3 * MS) <= 0));
        }
        assertThat(listener).isNotNull(); // held strongly until here: the monitor holds listeners weakly
    }
}
