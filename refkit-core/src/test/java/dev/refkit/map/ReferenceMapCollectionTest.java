package dev.refkit.map;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.testing.GcFinalization;
import dev.refkit.Strength;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Collection by the real garbage collector, for every strength combination: an entry goes away when a
 * weakly held side becomes unreachable (reported once), and stays while both sides are strongly
 * reachable elsewhere, or while a softly held side is merely softly reachable without memory pressure.
 * Clearing of soft entries under memory pressure is checked in a child JVM by {@link SoftPressureTest}.
 */
class ReferenceMapCollectionTest {

    private static final int ENTRIES = 100;

    /** A collected entry as the listener saw it. */
    private record Report(Object key, Object value) {
    }

    static Stream<Arguments> allCombinations() {
        List<Arguments> combinations = new ArrayList<>();
        for (Strength keys : Strength.values()) {
            for (Strength values : Strength.values()) {
                combinations.add(Arguments.of(keys, values));
            }
        }
        return combinations.stream();
    }

    static Stream<Arguments> withWeakSide() {
        return allCombinations().filter(a -> a.get()[0] == Strength.WEAK || a.get()[1] == Strength.WEAK);
    }

    static Stream<Arguments> withSoftSide() {
        return allCombinations().filter(a -> a.get()[0] == Strength.SOFT || a.get()[1] == Strength.SOFT);
    }

    private static ReferenceMap<Object, Object> map(Strength keys, Strength values, ConcurrentLinkedQueue<Report> reports) {
        return ReferenceMap.builder().keys(keys).values(values)
                .onCollected((k, v) -> reports.add(new Report(k, v)))
                .build();
    }

    @ParameterizedTest(name = "keys={0} values={1}")
    @MethodSource("withWeakSide")
    void entriesWhoseWeakSideBecameUnreachableDisappearAndAreReportedOnce(Strength keys, Strength values) {
        ConcurrentLinkedQueue<Report> reports = new ConcurrentLinkedQueue<>();
        ReferenceMap<Object, Object> map = map(keys, values, reports);
        // The test keeps the side that must survive; the weak side (and a strong side, which the map holds
        // anyway) is referenced by the map alone.
        List<Object> survivors = new ArrayList<>();
        Map<Object, Boolean> expectedSurvivors = new IdentityHashMap<>();
        for (int i = 0; i < ENTRIES; i++) {
            Object key = new Object();
            Object value = new Object();
            if (keys != Strength.WEAK) {
                survivors.add(key);
                expectedSurvivors.put(key, true);
            }
            if (values != Strength.WEAK && keys == Strength.WEAK) {
                if (values != Strength.STRONG) {
                    survivors.add(value);
                }
                expectedSurvivors.put(value, true);
            }
            map.put(key, value);
        }

        GcFinalization.awaitDone(() -> {
            map.cleanUp();
            return reports.size() >= ENTRIES;
        });
        GcFinalization.awaitFullGc();
        map.cleanUp();

        assertThat(reports).hasSize(ENTRIES);
        assertThat(map).isEmpty();
        assertThat(map.size()).isZero();
        for (Report report : reports) {
            Object survivor = keys == Strength.WEAK ? report.value() : report.key();
            Object cleared = keys == Strength.WEAK ? report.key() : report.value();
            assertThat(cleared).isNull();
            if (keys == Strength.WEAK && values == Strength.WEAK) {
                assertThat(survivor).isNull();
            } else {
                assertThat(expectedSurvivors.remove(survivor)).as("reported survivor, once").isTrue();
            }
        }
        assertThat(survivors).hasSize(keys != Strength.WEAK || values == Strength.SOFT ? ENTRIES : 0);
    }

    @ParameterizedTest(name = "keys={0} values={1}")
    @MethodSource("allCombinations")
    void entriesStronglyReachableElsewhereSurviveRepeatedFullCollections(Strength keys, Strength values) {
        ConcurrentLinkedQueue<Report> reports = new ConcurrentLinkedQueue<>();
        ReferenceMap<Object, Object> map = map(keys, values, reports);
        List<Object> keysHeld = new ArrayList<>();
        List<Object> valuesHeld = new ArrayList<>();
        for (int i = 0; i < ENTRIES; i++) {
            Object key = new Object();
            Object value = new Object();
            keysHeld.add(key);
            valuesHeld.add(value);
            map.put(key, value);
        }

        for (int round = 0; round < 3; round++) {
            GcFinalization.awaitFullGc();
            map.cleanUp();
        }

        assertThat(reports).isEmpty();
        assertThat(map).hasSize(ENTRIES);
        for (int i = 0; i < ENTRIES; i++) {
            assertThat(map.get(keysHeld.get(i))).isSameAs(valuesHeld.get(i));
        }
    }

    @ParameterizedTest(name = "keys={0} values={1}")
    @MethodSource("withSoftSide")
    void softlyHeldSidesSurviveCollectionsWithoutMemoryPressure(Strength keys, Strength values) {
        ConcurrentLinkedQueue<Report> reports = new ConcurrentLinkedQueue<>();
        ReferenceMap<Object, Object> map = map(keys, values, reports);
        // Only the soft sides are left to the map; a weak side is held here so that it cannot clear.
        List<Object> held = new ArrayList<>();
        for (int i = 0; i < ENTRIES; i++) {
            Object key = new Object();
            Object value = new Object();
            if (keys != Strength.SOFT) {
                held.add(key);
            }
            if (values == Strength.WEAK) {
                held.add(value);
            }
            map.put(key, value);
        }

        for (int round = 0; round < 3; round++) {
            GcFinalization.awaitFullGc();
            map.cleanUp();
        }

        assertThat(reports).isEmpty();
        assertThat(map).hasSize(ENTRIES);
        assertThat(map.entrySet()).hasSize(ENTRIES)
                .allSatisfy(e -> assertThat(e.getKey()).isNotNull())
                .allSatisfy(e -> assertThat(e.getValue()).isNotNull());
        assertThat(held).isNotNull();
    }

    @ParameterizedTest(name = "keys={0} values={1}")
    @MethodSource("withWeakSide")
    void iterationNeverReturnsAnEntryWhoseSideWasCleared(Strength keys, Strength values) {
        ReferenceMap<Object, Object> map = ReferenceMap.builder().keys(keys).values(values).build();
        List<Object> held = new ArrayList<>();
        List<java.lang.ref.WeakReference<Object>> probes = new ArrayList<>();
        for (int i = 0; i < ENTRIES; i++) {
            Object key = new Object();
            Object value = new Object();
            if (i % 2 == 0) {
                held.add(key);
                held.add(value);
            } else {
                probes.add(new java.lang.ref.WeakReference<>(keys == Strength.WEAK ? key : value));
            }
            map.put(key, value);
        }

        probes.forEach(GcFinalization::awaitClear);

        // Not expunged yet (no cleanUp): cleared entries may still be counted by size(), never returned.
        List<Map.Entry<Object, Object>> entries = new ArrayList<>();
        map.entrySet().iterator().forEachRemaining(entries::add);
        List<Object> keysSeen = new ArrayList<>();
        map.keySet().iterator().forEachRemaining(keysSeen::add);
        List<Object> valuesSeen = new ArrayList<>();
        map.values().iterator().forEachRemaining(valuesSeen::add);
        assertThat(entries).hasSize(ENTRIES / 2)
                .allSatisfy(e -> assertThat(held).contains(e.getKey(), e.getValue()));
        assertThat(keysSeen).hasSize(ENTRIES / 2);
        assertThat(valuesSeen).hasSize(ENTRIES / 2);
    }
}
