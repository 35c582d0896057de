package dev.refkit.heap.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Growth across hand-built heaps of one program at three moments: a static list that gains elements at every step
 * beside a larger cache that does not grow and a bounded map that replaces its entries; each heap built with its
 * objects in another order, as a collector leaves them.
 */
class HeapGrowthTest {

    /** The program's heap after {@code step} rounds: the audit log grows, the catalog is steady, the LRU churns. */
    private static TestGraph heap(int step, boolean leak) {
        TestGraph.Builder b = TestGraph.builder();
        b.object("app.Padding", 8 * step); // shifts every index from one heap to the next
        int log = b.classObject("app.AuditLog", 64);
        int catalog = b.classObject("app.Catalog", 64);
        int lru = b.classObject("app.Recent", 64);
        b.root(log).root(catalog).root(lru);
        int events = leak ? 1_000 * step : 1_000;
        list(b, log, "static EVENTS", "app.AuditEvent", events, 2_000);
        list(b, catalog, "static ITEMS", "app.Item", 5_000, 2_000);
        int map = b.object("java.util.LinkedHashMap", 48);
        int table = b.object("java.util.HashMap$Node[]", 16 + 4 * 512);
        b.ref(lru, map, "static ENTRIES").ref(map, table, "table");
        for (int i = 0; i < 500; i++) {
            int node = b.object("java.util.LinkedHashMap$Entry", 40);
            b.ref(table, node, "[" + (i + step) % 512 + "]").ref(node, b.object("app.Page", 1_000), "value");
        }
        return b.build();
    }

    private static void list(TestGraph.Builder b, int holder, String field, String element, int count, long size) {
        int list = b.object("java.util.ArrayList", 24);
        int array = b.object("java.lang.Object[]", 16 + 4L * count);
        b.ref(holder, list, field).ref(list, array, "elementData");
        for (int i = 0; i < count; i++) {
            int e = b.object(element, size);
            b.ref(array, e, "[" + i + "]").ref(e, b.object("java.lang.String", 40), "message");
        }
    }

    private static HeapGrowth growth(boolean leak) {
        List<PathProfile> profiles = new ArrayList<>();
        for (int step = 1; step <= 3; step++) {
            profiles.add(new HeapAnalysis(heap(step, leak)).pathProfile());
        }
        return HeapGrowth.of(profiles);
    }

    @Test
    void aStaticListGrowingAtEveryStepIsTheOneGrowingPath() {
        HeapGrowth growth = growth(true);

        assertThat(growth.growing()).hasSize(1);
        HeapGrowth.GrowingPath path = growth.growing().get(0);
        assertThat(path.owner()).isEqualTo("static field app.AuditLog.EVENTS");
        assertThat(path.container()).isEqualTo("java.util.ArrayList");
        assertThat(path.elementClass()).isEqualTo("app.AuditEvent");
        assertThat(path.counts()).containsExactly(1_000L, 2_000L, 3_000L);
        assertThat(path.objectsPerStep()).isEqualTo(1_000);
        assertThat(path.bytesPerStep()).isEqualTo(1_000L * (2_000 + 40));
        assertThat(path.path()).containsExactly("static app.AuditLog.EVENTS → ArrayList  ◀ container",
                "  .elementData → Object[]", "  [*] → AuditEvent  ◀ grows");
    }

    @Test
    void theGrowingPathHasTheFingerprintOfTheLeakSuspectOfTheLastDump() {
        HeapGrowth growth = growth(true);
        LeakSuspect suspect = new HeapAnalysis(heap(3, true)).leakSuspects().stream()
                .filter(s -> s.owner().description().equals("static field app.AuditLog.EVENTS")).findFirst().orElseThrow();

        assertThat(growth.growing().get(0).fingerprint()).isEqualTo(suspect.fingerprint());
    }

    @Test
    void nothingGrowsWhenOnlyACacheIsSteadyAndAnLruChurns() {
        HeapGrowth growth = growth(false);

        assertThat(growth.growing()).isEmpty();
        assertThat(growth.grew()).extracting(HeapGrowth.ClassChange::className).doesNotContain("app.Item", "app.Page");
    }

    @Test
    void classesThatGrewAtEveryStepAreListedWithTheirCounts() {
        HeapGrowth growth = growth(true);

        assertThat(growth.grew()).extracting(HeapGrowth.ClassChange::className).contains("app.AuditEvent");
        HeapGrowth.ClassChange events = growth.grew().stream().filter(c -> c.className().equals("app.AuditEvent"))
                .findFirst().orElseThrow();
        assertThat(events.instances()).containsExactly(1_000L, 2_000L, 3_000L);
    }
}
