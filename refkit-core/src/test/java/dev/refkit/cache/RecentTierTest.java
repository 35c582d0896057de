package dev.refkit.cache;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.testing.GcFinalization;
import java.lang.ref.WeakReference;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code keepRecent(n)}: the n most recently read or written entries survive collections. Weak values make
 * this observable at once: a weak value outside the tier is cleared by the next collection.
 */
class RecentTierTest {

    private static ReferenceCache<String, Object> weakCacheKeeping(int n) {
        return ReferenceCache.builder().weakValues().keepRecent(n).recordStats().build();
    }

    private static void awaitCollected(ReferenceCache<String, Object> cache, String key) {
        GcFinalization.awaitDone(() -> {
            cache.cleanUp();
            return !cache.asMap().containsKey(key);
        });
    }

    @Test
    void theMostRecentlyWrittenEntriesSurviveACollection() {
        ReferenceCache<String, Object> cache = weakCacheKeeping(2);
        cache.put("a", new Object());
        cache.put("b", new Object());
        cache.put("c", new Object());

        awaitCollected(cache, "a");

        assertThat(cache.asMap()).containsOnlyKeys("b", "c");
    }

    @Test
    void aReadMakesAnEntryRecentAgain() {
        ReferenceCache<String, Object> cache = weakCacheKeeping(2);
        cache.put("a", new Object());
        cache.put("b", new Object());
        cache.get("a", k -> new Object());
        cache.put("c", new Object());

        awaitCollected(cache, "b");

        assertThat(cache.asMap()).containsOnlyKeys("a", "c");
    }

    @Test
    void recentEntriesAreNeverLoadedAgainAcrossCollections() {
        int[] loads = new int[1];
        ReferenceCache<String, Object> cache = ReferenceCache.builder().weakValues().keepRecent(4)
                .build((String k) -> {
                    loads[0]++;
                    return new Object();
                });
        for (int round = 0; round < 3; round++) {
            for (String key : new String[] {"w", "x", "y", "z"}) {
                cache.get(key);
            }
            GcFinalization.awaitFullGc();
        }

        assertThat(loads[0]).isEqualTo(4);
    }

    @Test
    void anInvalidatedValueIsNoLongerHeldByTheTier() {
        ReferenceCache<String, Object> cache = weakCacheKeeping(10);
        Object value = new Object();
        WeakReference<Object> ref = new WeakReference<>(value);
        cache.put("k", value);
        value = null;

        cache.invalidate("k");

        GcFinalization.awaitClear(ref);
    }

    @Test
    void aReplacedValueIsNoLongerHeldByTheTier() {
        ReferenceCache<String, Object> cache = weakCacheKeeping(10);
        Object value = new Object();
        WeakReference<Object> ref = new WeakReference<>(value);
        cache.put("k", value);
        value = null;

        cache.put("k", new Object());

        GcFinalization.awaitClear(ref);
        assertThat(cache.asMap()).containsKey("k");
    }

    @Test
    void invalidateAllEmptiesTheTier() {
        ReferenceCache<String, Object> cache = weakCacheKeeping(10);
        Object value = new Object();
        WeakReference<Object> ref = new WeakReference<>(value);
        cache.put("k", value);
        value = null;

        cache.invalidateAll();

        GcFinalization.awaitClear(ref);
    }

    @Test
    void readsDoNotWaitForAWriterThatHoldsTheTier() throws Exception {
        CountDownLatch writerInside = new CountDownLatch(1);
        CountDownLatch releaseWriter = new CountDownLatch(1);
        ConcurrentHashMap<Integer, Integer> store = new ConcurrentHashMap<>() {
            private static final long serialVersionUID = 1L;

            @Override
            public Integer get(Object key) {
                if (key.equals(-1)) { // the writer's key: stall while applying it, holding the tier's lock
                    writerInside.countDown();
                    try {
                        releaseWriter.await(60, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return super.get(key);
            }
        };
        RecentTier<Integer, Integer> tier = new RecentTier<>(8, store, k -> k);
        Callers<Void> writer = new Callers<>(1, () -> {
            tier.recordWrite(-1);
            return null;
        });
        writer.release();
        assertThat(writerInside.await(60, TimeUnit.SECONDS)).isTrue();

        Callers<Integer> reader = new Callers<>(1, () -> {
            for (int i = 0; i < 10 * ReadBuffer.STRIPE_CAPACITY; i++) {
                tier.recordRead(i);
            }
            return 0;
        });
        reader.release();

        assertThat(reader.outcomes()).containsExactly(0);
        assertThat(writer.threads().get(0).isAlive()).isTrue();
        releaseWriter.countDown();
        assertThat(writer.outcomes()).containsOnlyNulls();
    }

    @Test
    void theTierNeverHoldsMoreThanItsCapacityUnderConcurrentReadsAndWrites() throws Exception {
        ConcurrentHashMap<Integer, Integer> store = new ConcurrentHashMap<>();
        RecentTier<Integer, Integer> tier = new RecentTier<>(16, store, k -> k);
        int[] maxSeen = new int[1];
        Callers<Void> callers = new Callers<>(4, () -> {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            for (int i = 0; i < 20_000; i++) {
                int key = random.nextInt(100);
                if (i % 10 == 0) {
                    store.put(key, i);
                    tier.recordWrite(key);
                } else {
                    tier.recordRead(key);
                }
            }
            return null;
        });
        callers.release();
        Callers<Void> observer = new Callers<>(1, () -> {
            for (int i = 0; i < 1_000; i++) {
                maxSeen[0] = Math.max(maxSeen[0], tier.size());
            }
            return null;
        });
        observer.release();

        assertThat(callers.outcomes()).containsOnlyNulls();
        assertThat(observer.outcomes()).containsOnlyNulls();
        tier.drain();
        assertThat(tier.size()).isEqualTo(16);
        assertThat(maxSeen[0]).isLessThanOrEqualTo(16);
    }
}
