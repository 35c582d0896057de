package dev.refkit.map;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.testing.GcFinalization;
import dev.refkit.Strength;
import java.io.IOException;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Streams over the views of the three maps whose only collectable sides are soft, after memory pressure
 * cleared some of their entries and before the map expunged them: a child JVM with a small heap fills the
 * maps, allocates more than the heap could hold if the soft entries stayed, and then streams the views. The
 * streams see exactly the entries that are still alive, as {@link ReferenceMapViewStreamsTest} checks for
 * the combinations with a weak side.
 */
class ViewStreamsUnderMemoryPressureTest {

    private static final int HEAP_MB = 64;
    private static final int ENTRIES = 24;
    private static final int DROPPED_MB = 1;

    @Test
    void streamsSeeOnlyTheEntriesMemoryPressureLeftAlive() throws IOException, InterruptedException {
        ChildJvm child = ChildJvm.run(ViewStreamsUnderMemoryPressureTest.class, HEAP_MB);

        assertThat(child.finished()).as("child JVM finished within a minute").isTrue();
        assertThat(child.exitValue()).as("child exit code; output:%n%s", child.output()).isZero();
        for (String combination : List.of("keys=SOFT values=STRONG", "keys=STRONG values=SOFT",
                "keys=SOFT values=SOFT")) {
            assertThat(child.output()).contains(combination + ": every stream saw the " + ENTRIES / 2
                    + " live entries");
        }
    }

    /**
     * The child: fills each map with {@code ENTRIES} entries, every other one with a 1 MB soft side that only
     * the map refers to, the rest held here; allocates most of the heap; then streams the views without
     * {@code cleanUp()}.
     */
    public static void main(String[] args) {
        Strength[][] combinations = {
                {Strength.SOFT, Strength.STRONG}, {Strength.STRONG, Strength.SOFT}, {Strength.SOFT, Strength.SOFT}};
        List<ReferenceMap<Object, Object>> maps = new ArrayList<>();
        List<Object> held = new ArrayList<>();
        List<WeakReference<Object>> dropped = new ArrayList<>();
        for (Strength[] combination : combinations) {
            ReferenceMap<Object, Object> map = ReferenceMap.builder().keys(combination[0]).values(combination[1])
                    .build();
            fill(map, combination[0], held, dropped);
            maps.add(map);
        }

        List<byte[]> hog = new ArrayList<>();
        for (int mb = 0; mb < HEAP_MB - 3 * (ENTRIES / 2) * DROPPED_MB + ENTRIES / 2; mb++) {
            hog.add(new byte[1 << 20]);
        }
        System.out.println("allocation after soft entries: ok (" + hog.size() + " MB)");
        hog = null;
        dropped.forEach(GcFinalization::awaitClear); // cleared by the pressure above; no cleanUp() follows

        boolean ok = true;
        for (int i = 0; i < combinations.length; i++) {
            String name = "keys=" + combinations[i][0] + " values=" + combinations[i][1];
            ReferenceMap<Object, Object> map = maps.get(i);
            try {
                List<Long> counts = List.of(
                        (long) map.keySet().stream().toArray().length,
                        map.keySet().stream().count(),
                        (long) map.values().stream().toList().size(),
                        map.entrySet().stream().map(Map.Entry::getValue).filter(v -> v != null).count(),
                        (long) map.keySet().toArray().length);
                if (counts.stream().allMatch(c -> c == ENTRIES / 2)) {
                    System.out.println(name + ": every stream saw the " + ENTRIES / 2 + " live entries (size() "
                            + map.size() + ")");
                } else {
                    System.out.println(name + ": FAILED, the streams counted " + counts + " live entries, not "
                            + ENTRIES / 2);
                    ok = false;
                }
            } catch (RuntimeException e) {
                System.out.println(name + ": FAILED with " + e);
                e.printStackTrace(System.out);
                ok = false;
            }
        }
        System.out.println(held.size() + " objects held");
        System.exit(ok ? 0 : 1);
    }

    /** In a method of its own, so that no dead local of main's frame refers to a dropped soft side. */
    private static void fill(ReferenceMap<Object, Object> map, Strength keys, List<Object> held,
                             List<WeakReference<Object>> dropped) {
        for (int i = 0; i < ENTRIES; i++) {
            boolean drop = i % 2 == 1;
            Object key = keys == Strength.SOFT && drop ? new byte[DROPPED_MB << 20] : new Object();
            Object value = keys != Strength.SOFT && drop ? new byte[DROPPED_MB << 20] : new Object();
            map.put(key, value);
            if (drop) {
                dropped.add(new WeakReference<>(keys == Strength.SOFT ? key : value));
                held.add(keys == Strength.SOFT ? value : key);
            } else {
                held.add(key);
                held.add(value);
            }
        }
    }
}
