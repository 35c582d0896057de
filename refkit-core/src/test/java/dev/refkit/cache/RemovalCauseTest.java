package dev.refkit.cache;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.testing.GcFinalization;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Every entry that leaves the cache is reported once, with the cause {@link RemovalCause} documents. */
class RemovalCauseTest {

    record Removal(Object key, Object value, RemovalCause cause) {
    }

    private final List<Removal> removals = new CopyOnWriteArrayList<>();

    private ReferenceCache.Builder<Object, Object> builder() {
        return ReferenceCache.builder().recordStats()
                .removalListener((Object k, Object v, RemovalCause c) -> removals.add(new Removal(k, v, c)));
    }

    private ReferenceCache<String, String> cache() {
        ReferenceCache<String, String> cache = builder().build();
        cache.put("a", "A");
        cache.put("b", "B");
        return cache;
    }

    @Test
    void putOverAnotherValueReportsTheOldValueAsReplaced() {
        ReferenceCache<String, String> cache = cache();

        cache.put("a", "A2");

        assertThat(removals).containsExactly(new Removal("a", "A", RemovalCause.REPLACED));
    }

    @Test
    void puttingTheSameValueAgainReportsNothing() {
        ReferenceCache<String, String> cache = cache();

        cache.put("a", cache.getIfPresent("a"));

        assertThat(removals).isEmpty();
    }

    @Test
    void invalidateReportsExplicitOnce() {
        ReferenceCache<String, String> cache = cache();

        cache.invalidate("a");
        cache.invalidate("a");

        assertThat(removals).containsExactly(new Removal("a", "A", RemovalCause.EXPLICIT));
    }

    @Test
    void invalidateAllReportsEveryEntryAsExplicit() {
        ReferenceCache<String, String> cache = cache();

        cache.invalidateAll();

        assertThat(removals).containsExactlyInAnyOrder(new Removal("a", "A", RemovalCause.EXPLICIT),
                new Removal("b", "B", RemovalCause.EXPLICIT));
        assertThat(cache.asMap()).isEmpty();
    }

    @Test
    void invalidateAllOfKeysReportsEachPresentKeyAsExplicit() {
        ReferenceCache<String, String> cache = cache();

        cache.invalidateAll(List.of("b", "absent"));

        assertThat(removals).containsExactly(new Removal("b", "B", RemovalCause.EXPLICIT));
    }

    @Test
    void mapViewRemovalsReportExplicit() {
        ReferenceCache<String, String> cache = cache();
        cache.put("c", "C");
        cache.put("d", "D");

        cache.asMap().remove("a");
        cache.asMap().remove("b", "B");
        cache.asMap().computeIfPresent("c", (k, v) -> null);
        cache.asMap().keySet().remove("d");

        assertThat(removals).containsExactly(new Removal("a", "A", RemovalCause.EXPLICIT),
                new Removal("b", "B", RemovalCause.EXPLICIT), new Removal("c", "C", RemovalCause.EXPLICIT),
                new Removal("d", "D", RemovalCause.EXPLICIT));
    }

    @Test
    void mapViewReplacementsReportTheOldValueAsReplaced() {
        ReferenceCache<String, String> cache = cache();

        cache.asMap().put("a", "A2");
        cache.asMap().replace("a", "A3");
        cache.asMap().replace("a", "A3", "A4");
        cache.asMap().compute("a", (k, v) -> v + "+");
        cache.asMap().merge("b", "!", String::concat);

        assertThat(removals).containsExactly(new Removal("a", "A", RemovalCause.REPLACED),
                new Removal("a", "A2", RemovalCause.REPLACED), new Removal("a", "A3", RemovalCause.REPLACED),
                new Removal("a", "A4", RemovalCause.REPLACED), new Removal("b", "B", RemovalCause.REPLACED));
        assertThat(cache.asMap()).containsOnly(Map.entry("a", "A4+"), Map.entry("b", "B!"));
    }

    @Test
    void conditionalRemoveThroughTheMapReportsTheCachedInstanceNotTheArgument() {
        ReferenceCache<String, String> cache = builder().build();
        String cached = new String("A");
        cache.put("a", cached);

        assertThat(cache.asMap().remove("a", new String("A"))).isTrue();

        assertThat(removals).singleElement().satisfies(removal -> {
            assertThat(removal.value()).isSameAs(cached);
            assertThat(removal.cause()).isEqualTo(RemovalCause.EXPLICIT);
        });
    }

    @Test
    void conditionalReplaceThroughTheMapReportsTheCachedInstanceNotTheArgument() {
        ReferenceCache<String, String> cache = builder().build();
        String cached = new String("A");
        cache.put("a", cached);

        assertThat(cache.asMap().replace("a", new String("A"), "A2")).isTrue();

        assertThat(removals).singleElement().satisfies(removal -> {
            assertThat(removal.value()).isSameAs(cached);
            assertThat(removal.cause()).isEqualTo(RemovalCause.REPLACED);
        });
        assertThat(cache.getIfPresent("a")).isEqualTo("A2");
    }

    @Test
    void entrySetValueReportsReplacedAndIteratorRemoveReportsExplicit() {
        ReferenceCache<String, String> cache = cache();

        for (Iterator<Map.Entry<String, String>> it = cache.asMap().entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, String> e = it.next();
            if (e.getKey().equals("a")) {
                e.setValue("A2");
            } else {
                it.remove();
            }
        }

        assertThat(removals).containsExactlyInAnyOrder(new Removal("a", "A", RemovalCause.REPLACED),
                new Removal("b", "B", RemovalCause.EXPLICIT));
        assertThat(cache.asMap()).containsOnly(Map.entry("a", "A2"));
    }

    @Test
    void collectedWeakValueIsReportedOnceAsCollectedWithNullValue() {
        ReferenceCache<String, Object> cache = builder().weakValues().build();
        cache.put("k", new Object());

        GcFinalization.awaitDone(() -> {
            cache.cleanUp();
            return !removals.isEmpty();
        });
        cache.cleanUp();

        assertThat(removals).containsExactly(new Removal("k", null, RemovalCause.COLLECTED));
        assertThat(cache.stats().collectedCount()).isEqualTo(1);
    }

    @Test
    void collectedWeakKeyIsReportedOnceAsCollectedWithNullKey() {
        ReferenceCache<Object, String> cache = builder().weakKeys().strongValues().build();
        cache.put(new Object(), "value of a dropped key");

        GcFinalization.awaitDone(() -> {
            cache.cleanUp();
            return !removals.isEmpty();
        });
        cache.cleanUp();

        assertThat(removals).containsExactly(new Removal(null, "value of a dropped key", RemovalCause.COLLECTED));
    }

    @Test
    void collectedValueIsNeverReturnedAndIsLoadedAgain() {
        List<String> loads = new CopyOnWriteArrayList<>();
        ReferenceCache<String, Object> cache = builder().weakValues().build((String key) -> {
            loads.add(key);
            return new StringBuilder(key);
        });
        cache.get("k");

        GcFinalization.awaitDone(() -> {
            cache.cleanUp();
            return cache.asMap().isEmpty();
        });

        assertThat(cache.getIfPresent("k")).isNull();
        assertThat(cache.get("k")).hasToString("k");
        assertThat(loads).containsExactly("k", "k");
    }

    @Test
    void estimatedSizeDropsCollectedEntriesOnceCleanedUp() {
        ReferenceCache<String, Object> cache = builder().weakValues().build();
        String kept = "kept value";
        cache.put("kept", kept);
        cache.put("dropped", new Object());
        assertThat(cache.estimatedSize()).isEqualTo(2);

        GcFinalization.awaitDone(() -> {
            cache.cleanUp();
            return cache.estimatedSize() == 1;
        });

        assertThat(cache.getIfPresent("kept")).isSameAs(kept);
        assertThat(removals).containsExactly(new Removal("dropped", null, RemovalCause.COLLECTED));
    }

    @Test
    void throwingListenerDoesNotStopTheRemoval() {
        ReferenceCache<String, String> cache = ReferenceCache.builder()
                .removalListener((String k, String v, RemovalCause c) -> {
                    throw new IllegalStateException("listener bug");
                })
                .build();
        cache.put("a", "A");

        cache.invalidate("a");

        assertThat(cache.getIfPresent("a")).isNull();
    }
}
