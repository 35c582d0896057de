package dev.refkit.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/**
 * Many threads reading, writing, invalidating and loading a small key set at once. Short by default
 * (a fixed number of operations); {@code -Drefkit.stress.seconds=N} runs each thread for N seconds instead.
 */
class ConcurrentUseTest {
    private static final int KEYS = 64;
    private static final int THREADS = 4;
    private static final int OPERATIONS = 10_000;
    private static final double STRESS_SECONDS = Double.parseDouble(System.getProperty("refkit.stress.seconds", "0"));

    @Test
    void loadsOfOneKeyNeverOverlapAndEveryReadSeesAValueOfItsOwnKey() throws Exception {
        AtomicIntegerArray loading = new AtomicIntegerArray(KEYS);
        AtomicInteger overlaps = new AtomicInteger();
        ReferenceCache<Integer, String> cache = ReferenceCache.builder().softValues().keepRecent(8).recordStats()
                .build((Integer key) -> {
                    if (loading.incrementAndGet(key) > 1) {
                        overlaps.incrementAndGet();
                    }
                    try {
                        Thread.yield(); // widen the window in which a second load could start
                        return "value of " + key;
                    } finally {
                        loading.decrementAndGet(key);
                    }
                });
        AtomicInteger seed = new AtomicInteger();
        Callers<Integer> callers = new Callers<>(THREADS, () -> {
            SplittableRandom random = new SplittableRandom(seed.incrementAndGet());
            int wrong = 0;
            long deadline = System.nanoTime() + (long) (STRESS_SECONDS * 1e9);
            for (int i = 0; STRESS_SECONDS > 0 ? System.nanoTime() - deadline < 0 : i < OPERATIONS; i++) {
                int key = random.nextInt(KEYS);
                int op = random.nextInt(100);
                if (op < 80) {
                    wrong += ("value of " + key).equals(cache.get(key)) ? 0 : 1;
                } else if (op < 90) {
                    cache.invalidate(key);
                } else if (op < 95) {
                    cache.put(key, "value of " + key);
                } else {
                    wrong += cache.getAll(List.of(key, (key + 1) % KEYS)).size() == 2 ? 0 : 1;
                }
            }
            return wrong;
        });

        callers.release();

        assertThat(callers.outcomes()).containsOnly(0);
        assertThat(overlaps).hasValue(0);
        CacheStats stats = cache.stats();
        assertThat(stats.loadFailureCount()).isZero();
        assertThat(stats.loadCount()).isLessThanOrEqualTo(stats.missCount());
    }
}
