package dev.refkit.map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.testing.GcFinalization;
import dev.refkit.LogCapture;
import dev.refkit.Strength;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

/** Behaviour of {@link ReferenceMap} beyond the generated {@code ConcurrentMap} contract. */
class ReferenceMapTest {

    @Test
    void builderRejectsAKeyStrengthSetTwice() {
        ReferenceMap.Builder<Object, Object> builder = ReferenceMap.builder().weakKeys();
        assertThatThrownBy(builder::softKeys)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("keys(SOFT)")
                .hasMessageContaining("already set to WEAK")
                .hasMessageContaining("set it once");
    }

    @Test
    void builderRejectsAValueEquivalenceSetTwice() {
        ReferenceMap.Builder<Object, Object> builder = ReferenceMap.builder().valueEquivalence(Equivalence.EQUALS);
        assertThatThrownBy(() -> builder.valueEquivalence(Equivalence.IDENTITY))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already set to EQUALS");
    }

    @Test
    void builderRejectsANegativeCapacityWithAMessageSayingWhatToPass() {
        assertThatThrownBy(() -> ReferenceMap.builder().initialCapacity(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("initialCapacity(-1)")
                .hasMessageContaining("zero or more");
    }

    @Test
    void builderRejectsASecondListener() {
        ReferenceMap.Builder<Object, Object> builder = ReferenceMap.builder().onCollected((k, v) -> { });
        assertThatThrownBy(() -> builder.onCollected((k, v) -> { }))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already set");
    }

    @Test
    void builderTypesTheMapFromTheTarget() {
        Map<String, Integer> inferred = ReferenceMap.builder().weakKeys().build();
        ReferenceMap<String, Integer> explicit = ReferenceMap.<String, Integer>builder().softValues().build();
        inferred.put("a", 1);
        explicit.put("b", 2);
        assertThat(inferred).containsEntry("a", 1);
        assertThat(explicit.valueStrength()).isEqualTo(Strength.SOFT);
        assertThat(explicit.keyStrength()).isEqualTo(Strength.STRONG);
    }

    @Test
    void builderToStringNamesWhatItWillBuildDefaultsIncluded() {
        assertThat(ReferenceMap.builder().toString())
                .contains("keys=STRONG (default)", "values=STRONG (default)", "keyEquivalence=EQUALS (default)");
        assertThat(ReferenceMap.builder().weakKeys().softValues().toString())
                .contains("keys=WEAK,", "values=SOFT,", "keyEquivalence=IDENTITY (default)",
                        "valueEquivalence=IDENTITY (default)");
    }

    @Test
    void referencedKeysComparedByEqualsLogOneWarningPerMapNamingTheTrapAndTheCaller() {
        List<LogRecord> records = LogCapture.during(ReferenceMap.class, () -> {
            ReferenceMap<String, String> first = ReferenceMap.<String, String>builder().weakKeys()
                    .keyEquivalence(Equivalence.EQUALS).build();
            first.put(new String("k"), "v");
            first.get("k");
            ReferenceMap.<String, String>builder().softKeys().keyEquivalence(Equivalence.EQUALS).build();
        });

        assertThat(records).hasSize(2).allSatisfy(record -> {
            assertThat(record.getLevel()).isEqualTo(Level.WARNING);
            assertThat(record.getMessage()).contains("Equivalence.EQUALS", "an equal copy of a key",
                    "does not keep it alive", ReferenceMapTest.class.getName());
        });
        assertThat(records.get(0).getMessage()).contains("weakly");
        assertThat(records.get(1).getMessage()).contains("softly");
    }

    @Test
    void internersIdentityKeysAndStrongKeysLogNoWarning() {
        List<LogRecord> records = LogCapture.during(ReferenceMap.class, () -> {
            Interner.<String>weak().intern(new String("s"));
            ReferenceMap.builder().weakKeys().build();
            ReferenceMap.builder().keyEquivalence(Equivalence.EQUALS).weakValues().build();
        });

        assertThat(records).isEmpty();
    }

    @Test
    void weakKeysAreComparedByIdentityByDefault() {
        ReferenceMap<String, String> map = ReferenceMap.<String, String>builder().weakKeys().build();
        String key = new String("k");
        map.put(key, "v");
        assertThat(map.get(new String("k"))).isNull();
        assertThat(map.get(key)).isEqualTo("v");
    }

    @Test
    void strongKeysAreComparedByEqualityByDefault() {
        ReferenceMap<String, String> map = ReferenceMap.<String, String>builder().weakValues().build();
        String value = "v";
        map.put(new String("k"), value);
        assertThat(map.get(new String("k"))).isSameAs(value);
    }

    @Test
    void weakKeysWithEqualsEquivalenceFindEqualCopies() {
        ReferenceMap<String, String> map = ReferenceMap.<String, String>builder().weakKeys()
                .keyEquivalence(Equivalence.EQUALS).build();
        String key = new String("k");
        map.put(key, "v");
        assertThat(map.get(new String("k"))).isEqualTo("v");
    }

    @Test
    void softValuesAreComparedByIdentityInConditionalRemove() {
        ReferenceMap<String, String> map = ReferenceMap.<String, String>builder().softValues().build();
        String value = new String("v");
        map.put("k", value);
        assertThat(map.remove("k", new String("v"))).isFalse();
        assertThat(map.remove("k", value)).isTrue();
    }

    @Test
    void nullKeysAndValuesAreRejected() {
        ReferenceMap<String, String> map = ReferenceMap.<String, String>builder().weakKeys().build();
        assertThatThrownBy(() -> map.put(null, "v")).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> map.put("k", null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> map.get(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> map.containsValue(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void aFunctionThatWritesToTheSameSegmentFailsWithoutChangingTheMap() {
        ReferenceMap<String, String> map = ReferenceMap.<String, String>builder().build();
        map.put("k", "v");
        assertThatThrownBy(() -> map.compute("k", (k, v) -> map.put(k, "nested")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Recursive update");
        assertThat(map).containsExactly(Map.entry("k", "v"));
    }

    @Test
    void aFunctionThatThrowsLeavesTheMapUnchanged() {
        ReferenceMap<String, String> map = ReferenceMap.<String, String>builder().weakValues().build();
        String value = "v";
        map.put("k", value);
        assertThatThrownBy(() -> map.compute("k", (k, v) -> { throw new IllegalArgumentException("boom"); }))
                .hasMessage("boom");
        assertThat(map.get("k")).isSameAs(value);
        assertThat(map).hasSize(1);
    }

    @Test
    void aListenerThatThrowsDoesNotStopExpungingNorCorruptTheMap() {
        // Each failure is logged as a warning with its stack trace (expected output of this test).
        AtomicInteger calls = new AtomicInteger();
        ReferenceMap<Object, String> map = ReferenceMap.<Object, String>builder().weakKeys()
                .onCollected((k, v) -> {
                    calls.incrementAndGet();
                    throw new IllegalStateException("listener failure (expected by the test)");
                })
                .build();
        List<Object> held = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            Object key = new Object();
            if (i % 2 == 0) {
                held.add(key);
            }
            map.put(key, "v" + i);
        }

        GcFinalization.awaitDone(() -> {
            map.cleanUp();
            return calls.get() >= 25;
        });

        assertThat(calls).hasValue(25);
        assertThat(map).hasSize(25);
        for (Object key : held) {
            assertThat(map.get(key)).isNotNull();
        }
        map.put(new Object(), "after");
        assertThat(map).hasSize(26);
    }

    @Test
    void putOverAClearedValueReportsTheCollectedEntryOnce() {
        ConcurrentLinkedQueue<Map.Entry<String, Object>> reports = new ConcurrentLinkedQueue<>();
        ReferenceMap<String, Object> map = ReferenceMap.<String, Object>builder().weakValues()
                .onCollected((k, v) -> reports.add(new java.util.AbstractMap.SimpleEntry<>(k, v)))
                .build();
        Object value = new Object();
        WeakReference<Object> probe = new WeakReference<>(value);
        map.put("k", value);
        value = null;
        GcFinalization.awaitClear(probe);

        Object replacement = new Object();
        assertThat(map.put("k", replacement)).isNull();
        GcFinalization.awaitFullGc();
        map.cleanUp();

        assertThat(reports).hasSize(1);
        Map.Entry<String, Object> report = reports.peek();
        assertThat(report.getKey()).isEqualTo("k");
        assertThat(report.getValue()).isNull();
        assertThat(map.get("k")).isSameAs(replacement);
    }

    @Test
    void aClearedValueIsAbsentToEveryRead() {
        ReferenceMap<String, Object> map = ReferenceMap.<String, Object>builder().weakValues().build();
        Object value = new Object();
        WeakReference<Object> probe = new WeakReference<>(value);
        map.put("k", value);
        value = null;
        GcFinalization.awaitClear(probe);

        assertThat(map.get("k")).isNull();
        assertThat(map.containsKey("k")).isFalse();
        assertThat(map.keySet().iterator().hasNext()).isFalse();
        assertThat(map.replace("k", new Object())).isNull();
        assertThat(map.computeIfPresent("k", (k, v) -> new Object())).isNull();
        assertThat(map.remove("k")).isNull();
    }

    @Test
    void anIteratorLeftBehindKeepsNoKeyAlive() {
        AtomicInteger collected = new AtomicInteger();
        ReferenceMap<Object, String> map = ReferenceMap.<Object, String>builder().weakKeys()
                .onCollected((k, v) -> collected.incrementAndGet()).build();
        for (int i = 0; i < 20; i++) {
            map.put(new Object(), "v" + i);
        }
        Iterator<Object> keys = map.keySet().iterator();
        // Hold no key: next() returned one, which is not kept; the iterator stays reachable.
        assertThat(keys.next()).isNotNull();
        Iterator<Map.Entry<Object, String>> exhausted = map.entrySet().iterator();
        exhausted.forEachRemaining(e -> { });

        GcFinalization.awaitDone(() -> {
            map.cleanUp();
            return collected.get() >= 20;
        });

        assertThat(collected).hasValue(20);
        assertThat(keys).isNotNull();
        assertThat(exhausted.hasNext()).isFalse();
    }

    @Test
    void mergeIsAtomicPerKeyUnderContention() throws Exception {
        ReferenceMap<Object, Integer> map = ReferenceMap.<Object, Integer>builder().weakKeys().build();
        Object[] keys = new Object[8];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = new Object();
        }
        int threads = 4;
        int increments = 5_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < increments; i++) {
                        map.merge(keys[i % keys.length], 1, Integer::sum);
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> future : futures) {
                future.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        int total = 0;
        for (Object key : keys) {
            total += map.get(key);
        }
        assertThat(total).isEqualTo(threads * increments);
    }

    @Test
    void readsAloneExpungeClearedEntriesWithoutCleanUp() {
        AtomicInteger collected = new AtomicInteger();
        ReferenceMap<Object, String> map = ReferenceMap.<Object, String>builder().weakKeys()
                .onCollected((k, v) -> collected.incrementAndGet()).build();
        // a read expunges only its own segment: the held keys must fall in every segment, up to 64 of them
        // (a thousand random keys miss one of 64 segments with a chance of about 1 in 100,000; fifty, as this test
        // had, missed one of 8 segments in about 1 run in 100, and one of 64 in nearly every run)
        List<Object> held = putKeysHoldingEveryFourth(map, 4_000);

        GcFinalization.awaitDone(() -> {
            for (int round = 0; round < 20; round++) {
                for (Object key : held) {
                    map.get(key);
                }
            }
            return map.size() == held.size();
        });

        assertThat(collected).hasValue(3_000);
        assertThat(map).hasSize(1_000);
    }

    @Test
    void writesAloneExpungeClearedEntriesWithoutCleanUp() {
        ReferenceMap<Object, String> map = ReferenceMap.<Object, String>builder().weakKeys().build();
        List<Object> held = putKeysHoldingEveryFourth(map, 200);

        // Each segment drains its own queue on its own writes, so write fresh (held) keys, which land in
        // every segment, rather than only the surviving ones, which need not.
        List<Object> writers = new ArrayList<>();
        GcFinalization.awaitDone(() -> {
            for (int i = 0; i < 64; i++) {
                Object key = new Object();
                writers.add(key);
                map.put(key, "writer");
            }
            return map.size() == held.size() + writers.size();
        });

        assertThat(map).hasSize(50 + writers.size());
    }

    /**
     * Puts {@code n} fresh keys and returns every fourth, held. In a method of its own so that no local variable
     * of the test's frame (an interpreted frame keeps dead locals) still refers to a key meant to be dropped.
     */
    private static List<Object> putKeysHoldingEveryFourth(ReferenceMap<Object, String> map, int n) {
        List<Object> held = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Object key = new Object();
            if (i % 4 == 0) {
                held.add(key);
            }
            map.put(key, "v" + i);
        }
        return held;
    }

    @Test
    void growingFarBeyondTheInitialCapacityKeepsEveryEntry() {
        ReferenceMap<Object, Integer> map = ReferenceMap.<Object, Integer>builder().weakKeys().initialCapacity(0).build();
        List<Object> keys = new ArrayList<>();
        for (int i = 0; i < 50_000; i++) {
            Object key = new Object();
            keys.add(key);
            map.put(key, i);
        }
        assertThat(map).hasSize(keys.size());
        for (int i = 0; i < keys.size(); i++) {
            assertThat(map.get(keys.get(i))).isEqualTo(i);
        }
    }
}
