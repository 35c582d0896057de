package dev.refkit.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.MemoryUsage;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** How a collection notification's pools become a reading, for the pool layouts of the JDK's collectors. */
class HeapReadingTest {
    private static final long MB = 1 << 20;
    private static final long HEAP = 64 * MB;

    private static MemoryUsage usage(long usedMb, long maxMb) {
        return new MemoryUsage(0, usedMb * MB, Math.max(usedMb * MB, 0), maxMb < 0 ? -1 : maxMb * MB);
    }

    private static HeapReading reading(String collector, String action, Map<String, MemoryUsage> before,
                                       Map<String, MemoryUsage> after) {
        return HeapMonitor.Notifications.reading(collector, action, before, after,
                Set.of("Eden Space", "Survivor Space", "Tenured Gen", "G1 Eden Space", "G1 Survivor Space",
                        "G1 Old Gen", "ZGC Young Generation", "ZGC Old Generation", "Shenandoah"),
                HEAP, 123);
    }

    @Test
    void aYoungSerialCollectionReadsTheOldGenerationAgainstItsOwnSize() {
        HeapReading r = reading("Copy", "end of minor GC",
                Map.of("Eden Space", usage(17, 17), "Survivor Space", usage(2, 2), "Tenured Gen", usage(10, 42),
                        "Metaspace", usage(10, -1)),
                Map.of("Eden Space", usage(0, 17), "Survivor Space", usage(2, 2), "Tenured Gen", usage(27, 42),
                        "Metaspace", usage(10, -1)));

        assertThat(r.used()).as("old generation and survivors, not eden, not metaspace").isEqualTo(29 * MB);
        assertThat(r.capacity()).as("the old generation's size").isEqualTo(42 * MB);
        assertThat(r.complete()).isFalse();
        assertThat(r.reclaimed()).as("a young collection that promotes gives nothing back from the old").isZero();
        assertThat(r.endNanos()).isEqualTo(123);
    }

    @Test
    void aMajorCollectionIsCompleteAndReportsWhatItReclaimed() {
        HeapReading r = reading("MarkSweepCompact", "end of major GC",
                Map.of("Eden Space", usage(17, 17), "Survivor Space", usage(2, 2), "Tenured Gen", usage(40, 42)),
                Map.of("Eden Space", usage(0, 17), "Survivor Space", usage(0, 2), "Tenured Gen", usage(25, 42)));

        assertThat(r.complete()).isTrue();
        assertThat(r.reclaimed()).isEqualTo(17 * MB);
    }

    @Test
    void g1ReadsTheWholeHeap() {
        HeapReading r = reading("G1 Young Generation", "end of minor GC",
                Map.of("G1 Eden Space", usage(20, -1), "G1 Survivor Space", usage(1, -1), "G1 Old Gen", usage(30, 64)),
                Map.of("G1 Eden Space", usage(0, -1), "G1 Survivor Space", usage(2, -1), "G1 Old Gen", usage(31, 64)));

        assertThat(r.capacity()).isEqualTo(HEAP);
        assertThat(r.used()).isEqualTo(33 * MB);
        assertThat(r.occupancy()).isEqualTo(33.0 / 64);
    }

    @Test
    void generationalZgcCountsBothGenerationsAgainstOneHeap() {
        HeapReading r = reading("ZGC Major Cycles", "end of GC cycle",
                Map.of("ZGC Young Generation", usage(20, 64), "ZGC Old Generation", usage(30, 64)),
                Map.of("ZGC Young Generation", usage(5, 64), "ZGC Old Generation", usage(20, 64)));

        assertThat(r.capacity()).as("each generation may grow to the whole heap, together they cannot").isEqualTo(HEAP);
        assertThat(r.used()).isEqualTo(25 * MB);
        assertThat(r.complete()).isTrue();
    }

    @Test
    void aMinorCycleOfAConcurrentCollectorIsNotComplete() {
        HeapReading r = reading("ZGC Minor Cycles", "end of GC cycle",
                Map.of("ZGC Young Generation", usage(20, 64)), Map.of("ZGC Young Generation", usage(5, 64)));

        assertThat(r.complete()).isFalse();
    }

    @Test
    void shenandoahCyclesAreComplete() {
        HeapReading r = reading("Shenandoah Cycles", "end of GC cycle",
                Map.of("Shenandoah", usage(50, 64)), Map.of("Shenandoah", usage(40, 64)));

        assertThat(r.complete()).isTrue();
        assertThat(r.used()).isEqualTo(40 * MB);
    }

    @Test
    void aPauseNotificationWithoutPoolsIsNoReading() {
        assertThat(reading("ZGC Pauses", "end of GC pause", Map.of(), Map.of())).isNull();
        MemoryUsage notReported = new MemoryUsage(0, 0, 0, 0);
        assertThat(reading("Shenandoah Pauses", "Final Mark", Map.of("Shenandoah", notReported),
                Map.of("Shenandoah", notReported))).as("all-zero usages").isNull();
        assertThat(reading("Copy", "end of minor GC", Map.of("Eden Space", usage(3, 17)),
                Map.of("Eden Space", usage(0, 17)))).as("eden alone").isNull();
    }
}
