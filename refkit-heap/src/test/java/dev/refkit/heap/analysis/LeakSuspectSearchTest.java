package dev.refkit.heap.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class LeakSuspectSearchTest {

    private static List<LeakSuspect> suspects(TestGraph graph) {
        return new HeapAnalysis(graph).leakSuspects();
    }

    private static List<LeakSuspect> ofKind(List<LeakSuspect> suspects, LeakSuspect.Kind kind) {
        return suspects.stream().filter(s -> s.kind() == kind).toList();
    }

    /** A static registry whose list holds {@code count} listeners, each the only holder of a 1000-byte owner. */
    private static TestGraph registry(int count, String listenerClass) {
        TestGraph.Builder b = TestGraph.builder();
        int registry = b.classObject("com.example.Registry", 64);
        int list = b.object("java.util.ArrayList", 24);
        int array = b.object("java.lang.Object[]", 16 + 4L * count);
        int app = b.object("com.example.App", 100);
        b.root(registry).root(app).ref(registry, list, "static LISTENERS").ref(list, array, "elementData");
        for (int i = 0; i < count; i++) {
            int listener = b.object(listenerClass, 16);
            int owner = b.object("com.example.Owner", 1000);
            b.ref(array, listener, "[" + i + "]").ref(listener, owner, "this$0");
        }
        return b.build();
    }

    @Test
    void singleObjectRetainingMostOfTheHeapIsASuspectWithItsAccumulationPoint() {
        List<LeakSuspect> found = ofKind(suspects(registry(30, "com.example.Owner$Listener")),
                LeakSuspect.Kind.LARGE_RETAINER);

        assertThat(found).hasSize(1);
        LeakSuspect suspect = found.get(0);
        assertThat(suspect.objectType()).isEqualTo("class com.example.Registry");
        assertThat(suspect.heapShare()).isGreaterThan(0.9);
        assertThat(suspect.accumulationPoint()).isEqualTo(2); // the Object[]: its children hold the bulk
        assertThat(suspect.summary()).contains("the bulk accumulates in java.lang.Object[]");
    }

    @Test
    void smallObjectsAreNotLargeRetainers() {
        List<LeakSuspect> found = ofKind(suspects(registry(30, "com.example.Owner$Listener")),
                LeakSuspect.Kind.LARGE_RETAINER);

        assertThat(found).extracting(LeakSuspect::objectType).doesNotContain("com.example.App");
    }

    @Test
    void manyInstancesOfOneClassTogetherAreAClassSuspect() {
        TestGraph.Builder b = TestGraph.builder();
        for (int i = 0; i < 20; i++) {
            int session = b.object("com.example.Session", 100);
            b.root(session, "JNI_GLOBAL", null, null);
        }
        int other = b.object("com.example.Config", 50);
        b.root(other);

        List<LeakSuspect> found = ofKind(suspects(b.build()), LeakSuspect.Kind.LARGE_CLASS);

        assertThat(found).hasSize(1);
        assertThat(found.get(0).instances()).isEqualTo(20);
        assertThat(found.get(0).retainedBytes()).isEqualTo(2000);
        assertThat(found.get(0).summary()).startsWith("20 instances of com.example.Session retain");
    }

    @Test
    void classObjectsTogetherAreNotAClassSuspect() {
        TestGraph.Builder b = TestGraph.builder();
        for (int i = 0; i < 20; i++) {
            int cls = b.classObject("com.example.C" + i, 100);
            b.root(cls);
        }

        assertThat(ofKind(suspects(b.build()), LeakSuspect.Kind.LARGE_CLASS)).isEmpty();
    }

    @Test
    void listenerRegistryKeepingOwnersAliveIsAnAccumulationSuspectWithItsPath() {
        List<LeakSuspect> found = ofKind(suspects(registry(30, "com.example.Owner$Listener")),
                LeakSuspect.Kind.LISTENER_ACCUMULATION);

        assertThat(found).hasSize(1);
        LeakSuspect suspect = found.get(0);
        assertThat(suspect.instances()).isEqualTo(30);
        assertThat(suspect.summary()).contains("30 com.example.Owner$Listener elements that alone keep 30"
                + " com.example.Owner alive");
        assertThat(suspect.path().get(0).steps()).extracting(GcRootPath.Step::referenceText)
                .containsExactly("com.example.Registry.LISTENERS", "java.util.ArrayList.elementData");
    }

    @Test
    void ownersHeldElsewhereTooAreNotListenerAccumulation() {
        TestGraph.Builder b = TestGraph.builder();
        int array = b.object("java.lang.Object[]", 100);
        int elsewhere = b.object("java.lang.Object[]", 100);
        b.root(array).root(elsewhere);
        for (int i = 0; i < 30; i++) {
            int listener = b.object("com.example.Owner$Listener", 16);
            int owner = b.object("com.example.Owner", 1000);
            b.ref(array, listener, "[" + i + "]").ref(listener, owner, "this$0").ref(elsewhere, owner, "[" + i + "]");
        }

        assertThat(ofKind(suspects(b.build()), LeakSuspect.Kind.LISTENER_ACCUMULATION)).isEmpty();
    }

    @Test
    void jdkCollectionNodesAreNotTakenForListeners() {
        assertThat(ofKind(suspects(registry(30, "java.util.HashMap$Node")), LeakSuspect.Kind.LISTENER_ACCUMULATION))
                .isEmpty();
        assertThat(LeakSuspectSearch.isListenerLike("com.example.PriceListener")).isTrue();
        assertThat(LeakSuspectSearch.isListenerLike("com.example.Price")).isFalse();
    }

    @Test
    void watchedObjectStillStronglyReachableIsRankedFirstWithPathAndDescription() {
        TestGraph.Builder b = TestGraph.builder();
        int big = b.object("com.example.Cache", 1_000_000);
        int holder = b.classObject("com.example.Views", 32);
        int view = b.object("com.example.View", 200);
        int watcher = b.object("dev.refkit.leak.KeyedWeakReference", "java.lang.ref.WeakReference", 40);
        int collected = b.object("com.example.View", 200);
        int watcher2 = b.object("dev.refkit.leak.KeyedWeakReference", "java.lang.ref.WeakReference", 40);
        b.root(big).root(holder).root(watcher).root(watcher2)
                .ref(holder, view, "static LAST")
                .ref(watcher, view, Reachability.WEAK, "referent")
                .ref(watcher2, collected, Reachability.WEAK, "referent")
                .string(watcher, "description", "closed view").string(watcher, "key", "k-1");

        List<LeakSuspect> found = suspects(b.build());

        LeakSuspect first = found.get(0);
        assertThat(first.kind()).isEqualTo(LeakSuspect.Kind.WATCHED_OBJECT_ALIVE);
        assertThat(first.object()).isEqualTo(view);
        assertThat(first.summary()).contains("\"closed view\"").contains("k-1");
        assertThat(first.path().get(0).steps()).extracting(GcRootPath.Step::referenceText)
                .containsExactly("com.example.Views.LAST");
        assertThat(ofKind(found, LeakSuspect.Kind.WATCHED_OBJECT_ALIVE)).hasSize(1);
    }

    @Test
    void weakHashMapEntryWhoseValueHoldsItsKeyIsASuspect() {
        TestGraph.Builder b = TestGraph.builder();
        int map = b.object("java.util.WeakHashMap", 48);
        int table = b.object("java.util.WeakHashMap$Entry[]", 80);
        b.root(map).ref(map, table, "table");
        for (int i = 0; i < 3; i++) {
            int entry = b.object("java.util.WeakHashMap$Entry", "java.lang.ref.WeakReference", 40);
            int key = b.object("com.example.Widget", 64);
            int value = b.object("com.example.WidgetState", 500);
            b.ref(table, entry, "[" + i + "]").ref(entry, key, Reachability.WEAK, "referent")
                    .ref(entry, value, "value").ref(value, key, "widget");
        }
        int fineEntry = b.object("java.util.WeakHashMap$Entry", "java.lang.ref.WeakReference", 40);
        int fineKey = b.object("com.example.Widget", 64);
        int fineValue = b.object("com.example.WidgetState", 500);
        b.ref(table, fineEntry, "[3]").ref(fineEntry, fineKey, Reachability.WEAK, "referent")
                .ref(fineEntry, fineValue, "value");

        List<LeakSuspect> found = ofKind(suspects(b.build()), LeakSuspect.Kind.VALUE_REACHES_WEAK_KEY);

        assertThat(found).hasSize(1);
        assertThat(found.get(0).instances()).isEqualTo(3);
        assertThat(found.get(0).objectType()).isEqualTo("java.util.WeakHashMap$Entry");
        assertThat(found.get(0).summary()).contains("value (com.example.WidgetState) strongly reaches its own weak key"
                + " (com.example.Widget)");
        assertThat(found.get(0).retainedBytes()).isEqualTo(3 * (500 + 64));
    }

    @Test
    void emptyHeapHasNoSuspects() {
        assertThat(suspects(TestGraph.builder().build())).isEmpty();
    }
}
