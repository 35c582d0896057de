package dev.refkit.map;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.testing.GcFinalization;
import dev.refkit.Strength;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Soft entries give their memory back before the JVM runs out: a child JVM with a small heap fills soft
 * maps, then allocates more than the heap could hold if the soft entries stayed. The allocation succeeds,
 * and every soft entry is reported collected exactly once.
 */
class SoftPressureTest {

    private static final int HEAP_MB = 64;
    private static final int ENTRIES = 12;
    private static final int ENTRY_MB = 1;

    @Test
    void softEntriesAreClearedBeforeOutOfMemoryError() throws IOException, InterruptedException {
        ChildJvm child = ChildJvm.run(SoftPressureTest.class, HEAP_MB);

        assertThat(child.finished()).as("child JVM finished within a minute").isTrue();
        assertThat(child.exitValue()).as("child exit code; output:%n%s", child.output()).isZero();
        assertThat(child.output()).contains(
                "keys=SOFT values=STRONG: " + ENTRIES + " of " + ENTRIES + " reported once",
                "keys=STRONG values=SOFT: " + ENTRIES + " of " + ENTRIES + " reported once",
                "keys=SOFT values=SOFT: " + ENTRIES + " of " + ENTRIES + " reported once",
                "allocation after soft entries: ok");
    }

    /** The child: fills three soft maps with a third of the heap each, then allocates most of the heap. */
    public static void main(String[] args) {
        Strength[][] combinations = {
                {Strength.SOFT, Strength.STRONG}, {Strength.STRONG, Strength.SOFT}, {Strength.SOFT, Strength.SOFT}};
        List<ReferenceMap<Object, Object>> maps = new ArrayList<>();
        List<AtomicInteger> reports = new ArrayList<>();
        for (Strength[] combination : combinations) {
            AtomicInteger reported = new AtomicInteger();
            ReferenceMap<Object, Object> map = ReferenceMap.builder().keys(combination[0]).values(combination[1])
                    .onCollected((k, v) -> reported.incrementAndGet()).build();
            for (int i = 0; i < ENTRIES; i++) {
                // The payload sits on the soft side; a strong side is also held by the map only.
                Object key = combination[0] == Strength.SOFT ? new byte[ENTRY_MB << 20] : new Object();
                Object value = combination[1] == Strength.SOFT ? new byte[ENTRY_MB << 20] : new Object();
                map.put(key, value);
            }
            maps.add(map);
            reports.add(reported);
        }

        List<byte[]> hog = new ArrayList<>();
        for (int mb = 0; mb < HEAP_MB - 3 * ENTRIES * ENTRY_MB + ENTRIES; mb++) {
            hog.add(new byte[1 << 20]);
        }
        System.out.println("allocation after soft entries: ok (" + hog.size() + " MB)");
        hog = null;

        GcFinalization.awaitDone(() -> {
            maps.forEach(ReferenceMap::cleanUp);
            return reports.stream().allMatch(r -> r.get() >= ENTRIES);
        });
        maps.forEach(ReferenceMap::cleanUp);
        boolean ok = true;
        for (int i = 0; i < combinations.length; i++) {
            ReferenceMap<Object, Object> map = maps.get(i);
            int reported = reports.get(i).get();
            String name = "keys=" + combinations[i][0] + " values=" + combinations[i][1];
            if (reported == ENTRIES && map.isEmpty() && !map.entrySet().iterator().hasNext()) {
                System.out.println(name + ": " + reported + " of " + ENTRIES + " reported once");
            } else {
                System.out.println(name + ": FAILED, reported " + reported + ", size " + map.size());
                ok = false;
            }
        }
        System.exit(ok ? 0 : 1);
    }
}
