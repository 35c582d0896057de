package dev.refkit.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.testing.GcFinalization;
import java.io.IOException;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CacheStatsTest {

    @Test
    void hitsAndMissesAddUpToTheRequests() {
        ReferenceCache<String, String> cache = ReferenceCache.builder().recordStats().build(k -> k + k);

        cache.get("a");              // miss, load
        cache.get("a");              // hit
        cache.getIfPresent("b");     // miss
        cache.getIfPresent("a");     // hit
        cache.getAll(List.of("a", "c")); // hit a, miss c, load

        CacheStats stats = cache.stats();
        assertThat(stats.hitCount()).isEqualTo(3);
        assertThat(stats.missCount()).isEqualTo(3);
        assertThat(stats.requestCount()).isEqualTo(6);
        assertThat(stats.hitRate()).isEqualTo(0.5);
        assertThat(stats.loadCount()).isEqualTo(2);
        assertThat(stats.loadFailureCount()).isZero();
    }

    @Test
    void failedLoadCountsAsALoadAndAFailure() {
        ReferenceCache<String, String> cache = ReferenceCache.builder().recordStats().build(k -> {
            throw new IOException("down");
        });

        for (int i = 0; i < 3; i++) {
            try {
                cache.get("a");
            } catch (CacheLoadException expected) {
                // counted below
            }
        }

        CacheStats stats = cache.stats();
        assertThat(stats.missCount()).isEqualTo(3);
        assertThat(stats.loadCount()).isEqualTo(3);
        assertThat(stats.loadFailureCount()).isEqualTo(3);
        assertThat(stats.loadSuccessCount()).isZero();
    }

    @Test
    void loadReturningNullIsALoadButNotAFailure() {
        ReferenceCache<String, String> cache = ReferenceCache.builder().recordStats().build(k -> null);

        cache.get("a");

        assertThat(cache.stats().loadCount()).isEqualTo(1);
        assertThat(cache.stats().loadFailureCount()).isZero();
    }

    @Test
    void timeSpentInTheLoaderIsAccumulated() {
        ReferenceCache<String, String> cache = ReferenceCache.builder().recordStats().build(k -> {
            long start = System.nanoTime();
            while (System.nanoTime() == start) {
                Thread.onSpinWait();
            }
            return k;
        });

        cache.get("a");

        assertThat(cache.stats().totalLoadTimeNanos()).isPositive();
        assertThat(cache.stats().averageLoadPenaltyNanos()).isPositive();
    }

    @Test
    void collectedValuesAreCounted() {
        ReferenceCache<Integer, Object> cache = ReferenceCache.builder().weakValues().recordStats().build();
        for (int i = 0; i < 3; i++) {
            cache.put(i, new Object());
        }

        GcFinalization.awaitDone(() -> {
            cache.cleanUp();
            return cache.stats().collectedCount() == 3;
        });

        assertThat(cache.asMap()).isEmpty();
    }

    @Test
    void cleanUpCountsEveryValueTheCollectorClearedEvenBeforeTheReferenceHandlerQueuedIt() {
        ReferenceCache<Integer, Object> cache = ReferenceCache.builder().weakValues().recordStats().build();
        List<WeakReference<Object>> probes = putUnheldValues(cache, VALUES);

        // Waits only until the collector has cleared the values (which clears the cache's references to them
        // in the same collection), not until the JVM's reference handler has queued those references.
        awaitCleared(probes);
        cache.cleanUp();

        assertThat(cache.stats().collectedCount()).isEqualTo(VALUES);
        assertThat(cache.estimatedSize()).isZero();
    }

    private static final int VALUES = 20_000;

    /** In a method of its own, so that no dead local of the test's frame refers to a value. */
    private static List<WeakReference<Object>> putUnheldValues(ReferenceCache<Integer, Object> cache, int n) {
        List<WeakReference<Object>> probes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Object value = new Object();
            probes.add(new WeakReference<>(value));
            cache.put(i, value);
        }
        return probes;
    }

    /** Requests collections until every probe is cleared; at most a minute. */
    private static void awaitCleared(List<WeakReference<Object>> probes) {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (!probes.stream().allMatch(p -> p.refersTo(null))) {
            assertThat(System.nanoTime() - deadline).as("probes cleared within a minute").isNegative();
            System.gc();
        }
    }

    @Test
    void withoutRecordStatsEveryCountStaysZero() {
        ReferenceCache<String, String> cache = ReferenceCache.builder().build(k -> k);

        cache.get("a");
        cache.get("a");

        assertThat(cache.stats()).isEqualTo(CacheStats.empty());
    }

    @Test
    void snapshotDoesNotChangeWithTheCache() {
        ReferenceCache<String, String> cache = ReferenceCache.builder().recordStats().build(k -> k);
        CacheStats before = cache.stats();

        cache.get("a");

        assertThat(before).isEqualTo(CacheStats.empty());
        assertThat(cache.stats().minus(before)).isEqualTo(new CacheStats(0, 1, 1, 0,
                cache.stats().totalLoadTimeNanos(), 0));
    }

    @Test
    void hitRateOfAnUnusedCacheIsOne() {
        assertThat(CacheStats.empty().hitRate()).isEqualTo(1.0);
        assertThat(CacheStats.empty().missRate()).isZero();
        assertThat(CacheStats.empty().averageLoadPenaltyNanos()).isZero();
    }

    @Test
    void negativeCountsAreRejectedWithTheirNames() {
        assertThatThrownBy(() -> new CacheStats(-1, 0, 0, 0, 0, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("hits=-1");
    }
}
