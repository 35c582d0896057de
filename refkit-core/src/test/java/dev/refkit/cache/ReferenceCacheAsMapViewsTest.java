package dev.refkit.cache;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.testing.GcFinalization;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Spliterator;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The views of {@link ReferenceCache#asMap()} under streams and bulk removal, while values are collected and
 * other threads write: they traverse what is there rather than trust {@code size()}; and the map's equality,
 * which is the same both ways against a {@link HashMap}.
 */
class ReferenceCacheAsMapViewsTest {

    private static final int ENTRIES = 1_000;

    /** What the test keeps reachable: the values of every other entry. */
    private final List<String> held = new ArrayList<>();

    @Test
    void streamsSeeOnlyLiveEntriesWhileCollectedOnesAwaitExpunging() {
        ReferenceCache<String, String> cache = ReferenceCache.builder().weakValues().build();
        List<WeakReference<String>> dropped = new ArrayList<>();
        fillDroppingEveryOtherValue(cache, dropped);

        dropped.forEach(GcFinalization::awaitClear);

        Map<String, String> map = cache.asMap();
        assertThat(map.keySet().stream().toArray()).hasSize(ENTRIES / 2);
        assertThat(map.keySet().stream().count()).isEqualTo(ENTRIES / 2);
        assertThat(map.values().stream().toList()).containsExactlyInAnyOrderElementsOf(held);
        assertThat(map.values().stream().sorted().toArray()).hasSize(ENTRIES / 2);
        assertThat(map.entrySet().stream().map(Map.Entry::getValue).toList()).hasSize(ENTRIES / 2);
        assertThat(map.values().toArray()).hasSize(ENTRIES / 2);
    }

    /** In a method of its own, so that no dead local of the test's frame refers to a dropped value. */
    private void fillDroppingEveryOtherValue(ReferenceCache<String, String> cache,
                                             List<WeakReference<String>> dropped) {
        for (int i = 0; i < ENTRIES; i++) {
            String value = new String("v" + i);
            cache.put("k" + i, value);
            if (i % 2 == 0) {
                held.add(value);
            } else {
                dropped.add(new WeakReference<>(value));
            }
        }
    }

    @Test
    void streamsNeverFailNorYieldNullsWhileOtherThreadsWrite() throws Exception {
        ReferenceCache<String, String> cache = ReferenceCache.builder().strongValues().build();
        for (int i = 0; i < 200; i++) {
            cache.put("stable" + i, "v" + i);
        }
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService writers = Executors.newSingleThreadExecutor();
        try {
            Future<?> writer = writers.submit(() -> {
                while (!stop.get()) {
                    for (int i = 0; i < 200; i++) {
                        cache.put("churned" + i, "c" + i);
                    }
                    for (int i = 0; i < 200; i++) {
                        cache.invalidate("churned" + i);
                    }
                }
            });
            for (int round = 0; round < 300; round++) {
                assertThat(cache.asMap().keySet().stream().toArray()).doesNotContainNull();
                assertThat(cache.asMap().values().stream().toList()).doesNotContainNull();
                assertThat(cache.asMap().entrySet().stream().count()).isBetween(200L, 400L);
            }
            stop.set(true);
            writer.get(60, TimeUnit.SECONDS);
        } finally {
            stop.set(true);
            writers.shutdownNow();
        }
    }

    @Test
    void viewSpliteratorsAreConcurrentNonNullAndNotSized() {
        ReferenceCache<String, String> cache = ReferenceCache.builder().build();
        cache.put("k", "v");

        for (Collection<?> view : List.of(cache.asMap().keySet(), cache.asMap().values(), cache.asMap().entrySet())) {
            int characteristics = view.spliterator().characteristics();
            assertThat(characteristics & (Spliterator.CONCURRENT | Spliterator.NONNULL | Spliterator.SIZED))
                    .as("CONCURRENT | NONNULL, not SIZED: %s", view.getClass().getSimpleName())
                    .isEqualTo(Spliterator.CONCURRENT | Spliterator.NONNULL);
        }
    }

    @Test
    void valuesRemoveIfKeepsAValueWrittenAfterThePredicateTestedTheOldOne() {
        ReferenceCache<String, String> cache = ReferenceCache.builder().build();
        cache.put("k", "old");

        // The predicate runs outside any lock of the cache, so it can stand in for another thread's write.
        boolean removed = cache.asMap().values().removeIf(value -> {
            cache.put("k", "new");
            return value.equals("old");
        });

        assertThat(removed).isFalse();
        assertThat(cache.getIfPresent("k")).isEqualTo("new");
    }

    @Test
    void equalityOfAWeakKeyedCachesMapIsTheSameBothWaysAgainstAHashMap() {
        ReferenceCache<String, String> cache = ReferenceCache.builder().weakKeys().strongValues().build();
        String key = new String("key");
        cache.put(key, "v");
        Map<String, String> equalCopyOfTheKey = new HashMap<>(Map.of(new String("key"), "v"));
        Map<String, String> sameKey = new HashMap<>(Map.of(key, "v"));

        assertThat(cache.asMap().equals(equalCopyOfTheKey)).isFalse();
        assertThat(equalCopyOfTheKey.equals(cache.asMap())).isFalse();
        assertThat(cache.asMap().equals(sameKey)).isTrue();
        assertThat(sameKey.equals(cache.asMap())).isTrue();
        assertThat(cache.asMap().hashCode()).isEqualTo(sameKey.hashCode());
    }
}
