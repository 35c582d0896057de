package dev.refkit.map;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.testing.GcFinalization;
import dev.refkit.Strength;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Spliterator;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Streams over the views of a map whose size is in motion: entries that the collector cleared but the map has
 * not expunged yet (still counted by {@code size()}), and writers on other threads. A stream must traverse
 * what is there rather than trust {@code size()}: the views' spliterators are {@code CONCURRENT} and not
 * {@code SIZED}, as {@link java.util.concurrent.ConcurrentHashMap}'s are. Clearing of softly held sides
 * needs memory pressure and is checked in a child JVM by {@link ViewStreamsUnderMemoryPressureTest}.
 */
class ReferenceMapViewStreamsTest {

    private static final int ENTRIES = 1_000;
    private static final int STABLE = 200;
    private static final int CHURNED = 200;
    private static final int ROUNDS = 300;

    /** What the test keeps reachable beside the keys it returns: values, and keys whose value is dropped. */
    private final List<String> held = new ArrayList<>();

    @ParameterizedTest(name = "keys={0} values={1}")
    @MethodSource("dev.refkit.map.ReferenceMapCollectionTest#withWeakSide")
    void streamsSeeOnlyLiveEntriesWhileClearedOnesAwaitExpunging(Strength keys, Strength values) {
        ReferenceMap<String, String> map = ReferenceMap.<String, String>builder().keys(keys).values(values).build();
        List<WeakReference<String>> dropped = new ArrayList<>();
        List<String> heldKeys = fillDroppingEveryOtherWeakSide(map, keys, dropped);

        dropped.forEach(GcFinalization::awaitClear);

        // No cleanUp(): size() may still count the cleared entries; the streams must not.
        assertThat(map.keySet().stream().toArray()).containsExactlyInAnyOrderElementsOf(heldKeys);
        assertThat(map.keySet().stream().count()).isEqualTo(ENTRIES / 2);
        assertThat(map.keySet().stream().sorted().toList()).hasSize(ENTRIES / 2).doesNotContainNull();
        assertThat(map.values().stream().toList()).hasSize(ENTRIES / 2).doesNotContainNull();
        assertThat(map.values().stream().sorted().toArray(String[]::new)).hasSize(ENTRIES / 2);
        assertThat(map.entrySet().stream().map(Map.Entry::getKey).toList())
                .containsExactlyInAnyOrderElementsOf(heldKeys);
        assertThat(map.keySet().parallelStream().count()).isEqualTo(ENTRIES / 2);
        assertThat(map.keySet().toArray()).hasSize(ENTRIES / 2);
        assertThat(map.values().toArray(new String[0])).hasSize(ENTRIES / 2).doesNotContainNull();
        assertThat(heldKeys).hasSize(ENTRIES / 2);
    }

    /**
     * Puts {@code ENTRIES} entries and returns the keys of every other one, whose values it keeps reachable
     * too (in {@link #held}); the weak side of the others is referenced by the map alone and has a probe in
     * {@code dropped}. A method of its own, so that no dead local of the test's frame holds a dropped object.
     */
    private List<String> fillDroppingEveryOtherWeakSide(ReferenceMap<String, String> map, Strength keys,
                                                        List<WeakReference<String>> dropped) {
        List<String> heldKeys = new ArrayList<>();
        for (int i = 0; i < ENTRIES; i++) {
            String key = new String("k" + i);
            String value = new String("v" + i);
            map.put(key, value);
            if (i % 2 == 0) {
                heldKeys.add(key);
                held.add(value);
            } else {
                dropped.add(new WeakReference<>(keys == Strength.WEAK ? key : value));
                if (keys != Strength.WEAK) {
                    held.add(key); // only the weak value is dropped; the key stays as the test's
                }
            }
        }
        return heldKeys;
    }

    @ParameterizedTest(name = "keys={0} values={1}")
    @MethodSource("dev.refkit.map.ReferenceMapCollectionTest#allCombinations")
    void streamsNeverFailNorYieldNullsWhileOtherThreadsWrite(Strength keys, Strength values) throws Exception {
        ReferenceMap<String, String> map = ReferenceMap.<String, String>builder().keys(keys).values(values).build();
        String[] stableKeys = new String[STABLE];
        String[] stableValues = new String[STABLE];
        for (int i = 0; i < STABLE; i++) {
            stableKeys[i] = new String("stable" + i);
            stableValues[i] = new String("value" + i);
            map.put(stableKeys[i], stableValues[i]);
        }
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService writers = Executors.newSingleThreadExecutor();
        try {
            Future<?> writer = writers.submit(() -> churn(map, stop));
            for (int round = 0; round < ROUNDS; round++) {
                Object[] keysSeen = map.keySet().stream().toArray();
                assertThat(keysSeen).doesNotContainNull();
                assertThat(new HashSet<>(Arrays.asList(keysSeen)).containsAll(Arrays.asList(stableKeys)))
                        .as("every key present throughout was seen").isTrue();
                List<String> valuesSeen = map.values().stream().toList();
                assertThat(valuesSeen).doesNotContainNull();
                assertThat(new HashSet<>(valuesSeen).containsAll(Arrays.asList(stableValues)))
                        .as("every value present throughout was seen").isTrue();
                assertThat(map.entrySet().stream().count()).isBetween((long) STABLE, (long) STABLE + CHURNED);
                assertThat(map.keySet().stream().sorted().toArray(String[]::new)).doesNotContainNull();
                assertThat(map.values().toArray()).doesNotContainNull();
            }
            stop.set(true);
            writer.get(60, TimeUnit.SECONDS);
        } finally {
            stop.set(true);
            writers.shutdownNow();
        }
    }

    /** Puts and removes its own keys (held here, so nothing of theirs is collected) until told to stop. */
    private static void churn(ReferenceMap<String, String> map, AtomicBoolean stop) {
        String[] keys = new String[CHURNED];
        String[] values = new String[CHURNED];
        for (int i = 0; i < CHURNED; i++) {
            keys[i] = new String("churned" + i);
            values[i] = new String("churned value" + i);
        }
        while (!stop.get()) {
            for (int i = 0; i < CHURNED; i++) {
                map.put(keys[i], values[i]);
            }
            for (int i = 0; i < CHURNED; i++) {
                map.remove(keys[i]);
            }
        }
    }

    @Test
    void viewSpliteratorsAreConcurrentNonNullAndNotSized() {
        ReferenceMap<String, String> map = ReferenceMap.<String, String>builder().weakKeys().build();
        map.put("k", "v");

        assertConcurrentNotSized(map.keySet(), true);
        assertConcurrentNotSized(map.values(), false);
        assertConcurrentNotSized(map.entrySet(), true);
    }

    static void assertConcurrentNotSized(Collection<?> view, boolean distinct) {
        Spliterator<?> spliterator = view.spliterator();
        assertThat(spliterator.hasCharacteristics(Spliterator.CONCURRENT)).as("CONCURRENT").isTrue();
        assertThat(spliterator.hasCharacteristics(Spliterator.NONNULL)).as("NONNULL").isTrue();
        assertThat(spliterator.hasCharacteristics(Spliterator.SIZED)).as("SIZED").isFalse();
        assertThat(spliterator.hasCharacteristics(Spliterator.SUBSIZED)).as("SUBSIZED").isFalse();
        assertThat(spliterator.hasCharacteristics(Spliterator.DISTINCT)).as("DISTINCT").isEqualTo(distinct);
    }

    @Test
    void aSplitTraversalReturnsEveryEntryExactlyOnce() {
        ReferenceMap<Integer, Integer> map = ReferenceMap.<Integer, Integer>builder().build();
        for (int i = 0; i < 10_000; i++) {
            map.put(i, i);
        }

        List<Spliterator<Integer>> parts = new ArrayList<>(List.of(map.keySet().spliterator()));
        for (int round = 0; round < 12; round++) {
            List<Spliterator<Integer>> next = new ArrayList<>();
            for (Spliterator<Integer> part : parts) {
                Spliterator<Integer> prefix = part.trySplit();
                if (prefix != null) {
                    next.add(prefix);
                }
                next.add(part);
            }
            parts = next;
        }
        int[] seen = new int[10_000];
        parts.forEach(part -> part.forEachRemaining(k -> seen[k]++));

        assertThat(parts.size()).as("parts after splitting").isGreaterThan(64);
        assertThat(Arrays.stream(seen).filter(n -> n != 1).count()).as("keys not seen exactly once").isZero();
        assertThat(map.values().parallelStream().mapToLong(Integer::longValue).sum()).isEqualTo(49_995_000L);
        assertThat(map.entrySet().parallelStream().filter(e -> Objects.equals(e.getKey(), e.getValue())).count())
                .isEqualTo(10_000);
    }
}
