package dev.refkit.cache;

import java.util.concurrent.atomic.LongAdder;

/** The live counters behind {@link CacheStats}; striped so that hits on many threads do not contend. */
final class StatsCounter {
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final LongAdder loads = new LongAdder();
    private final LongAdder loadFailures = new LongAdder();
    private final LongAdder loadNanos = new LongAdder();
    private final LongAdder collected = new LongAdder();
    private final LongAdder pressureEvictions = new LongAdder();

    void recordHits(int count) {
        hits.add(count);
    }

    void recordMisses(int count) {
        misses.add(count);
    }

    void recordLoad(long nanos, boolean failed) {
        loads.increment();
        loadNanos.add(nanos);
        if (failed) {
            loadFailures.increment();
        }
    }

    void recordCollected() {
        collected.increment();
    }

    void recordPressureEviction() {
        pressureEvictions.increment();
    }

    CacheStats snapshot() {
        return new CacheStats(hits.sum(), misses.sum(), loads.sum(), loadFailures.sum(),
                loadNanos.sum(), collected.sum(), pressureEvictions.sum());
    }
}
