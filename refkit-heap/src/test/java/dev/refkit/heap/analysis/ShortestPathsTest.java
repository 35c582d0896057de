package dev.refkit.heap.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ShortestPathsTest {

    private static final class Leak {
        final TestGraph graph;
        final int registryClass;
        final int list;
        final int array;
        final int[] listeners;
        final int[] owners;

        Leak(int listenerCount) {
            TestGraph.Builder b = TestGraph.builder();
            registryClass = b.classObject("com.example.Registry", 64);
            list = b.object("java.util.ArrayList", 24);
            array = b.object("java.lang.Object[]", 16 + 4L * listenerCount);
            listeners = new int[listenerCount];
            owners = new int[listenerCount];
            b.root(registryClass, "STICKY_CLASS", null, null)
                    .ref(registryClass, list, "static LISTENERS")
                    .ref(list, array, "elementData");
            for (int i = 0; i < listenerCount; i++) {
                listeners[i] = b.object("com.example.Listener", 16);
                owners[i] = b.object("com.example.Owner", 1000);
                b.ref(array, listeners[i], "[" + i + "]").ref(listeners[i], owners[i], "owner");
            }
            graph = b.build();
        }
    }

    @Test
    void pathNamesStaticFieldInstanceFieldsAndArrayIndex() {
        Leak leak = new Leak(3);
        ShortestPaths paths = new ShortestPaths(leak.graph, false);

        GcRootPath path = paths.pathTo(leak.owners[2]);

        assertThat(path.root().kind()).isEqualTo("STICKY_CLASS");
        assertThat(path.root().objectType()).isEqualTo("class com.example.Registry");
        assertThat(path.steps()).extracting(GcRootPath.Step::referenceText).containsExactly(
                "com.example.Registry.LISTENERS",
                "java.util.ArrayList.elementData",
                "java.lang.Object[][2]",
                "com.example.Listener.owner");
        assertThat(path.target()).isEqualTo(leak.owners[2]);
        assertThat(path.toString()).contains("GC root STICKY_CLASS: class com.example.Registry")
                .contains("com.example.Listener.owner → com.example.Owner");
    }

    @Test
    void shortestOfTwoPathsIsChosen() {
        TestGraph.Builder b = TestGraph.builder();
        int root = b.object("Root", 8);
        int far1 = b.object("Hop", 8);
        int far2 = b.object("Hop", 8);
        int near = b.object("Near", 8);
        int x = b.object("X", 8);
        b.root(root).ref(root, far1, "a").ref(far1, far2, "b").ref(far2, x, "c").ref(root, near, "d").ref(near, x, "e");

        GcRootPath path = new ShortestPaths(b.build(), false).pathTo(x);

        assertThat(path.steps()).extracting(GcRootPath.Step::reference).containsExactly("d", "e");
    }

    @Test
    void weakReferentIsNotAPathByDefaultButIsOnRequest() {
        TestGraph.Builder b = TestGraph.builder();
        int root = b.object("Root", 8);
        int ref = b.object("java.lang.ref.WeakReference", 32);
        int x = b.object("X", 8);
        b.root(root, "JAVA_FRAME", "main", "com.example.Main.run(Main.java:12)")
                .ref(root, ref, "ref").ref(ref, x, Reachability.WEAK, "referent");
        TestGraph graph = b.build();

        assertThat(new ShortestPaths(graph, false).pathsTo(x, 1)).isEmpty();
        GcRootPath path = new ShortestPaths(graph, true).pathsTo(x, 1).get(0);
        assertThat(path.steps().get(1).referenceText()).isEqualTo("java.lang.ref.WeakReference.referent (weak)");
        assertThat(path.root().toString())
                .isEqualTo("GC root JAVA_FRAME in thread \"main\" at com.example.Main.run(Main.java:12): Root");
    }

    @Test
    void furtherPathsArriveThroughOtherHolders() {
        TestGraph.Builder b = TestGraph.builder();
        int root = b.object("Root", 8);
        int h1 = b.object("H1", 8);
        int h2 = b.object("H2", 8);
        int mid = b.object("Mid", 8);
        int x = b.object("X", 8);
        b.root(root).ref(root, h1, "a").ref(h1, x, "x1").ref(root, mid, "m").ref(mid, h2, "n").ref(h2, x, "x2");

        List<GcRootPath> paths = new ShortestPaths(b.build(), false).pathsTo(x, 5);

        assertThat(paths).extracting(GcRootPath::length).containsExactly(2, 3);
        assertThat(paths.get(1).steps()).extracting(GcRootPath.Step::reference).containsExactly("m", "n", "x2");
    }

    @Test
    void rootObjectHasAnEmptyPath() {
        Leak leak = new Leak(1);

        GcRootPath path = new ShortestPaths(leak.graph, false).pathTo(leak.registryClass);

        assertThat(path.steps()).isEmpty();
        assertThat(path.target()).isEqualTo(leak.registryClass);
    }

    @Test
    void mergedPathsCountInstancesPerHolder() {
        Leak leak = new Leak(4);
        ShortestPaths paths = new ShortestPaths(leak.graph, false);

        PathTree tree = paths.mergedPaths(leak.owners);

        assertThat(tree.reached()).isEqualTo(4);
        assertThat(tree.roots()).hasSize(1);
        PathTree.Node registry = tree.roots().get(0);
        assertThat(registry.count()).isEqualTo(4);
        PathTree.Node array = registry.children().get(0).children().get(0);
        assertThat(array.reference()).isEqualTo("java.util.ArrayList.elementData");
        assertThat(array.count()).isEqualTo(4);
        assertThat(array.children()).hasSize(4).allSatisfy(listener -> {
            assertThat(listener.count()).isEqualTo(1);
            assertThat(listener.children().get(0).isTarget()).isTrue();
            assertThat(listener.children().get(0).reference()).isEqualTo("com.example.Listener.owner");
        });
    }

    @Test
    void mergedPathsCountObjectsWithoutPath() {
        TestGraph.Builder b = TestGraph.builder();
        int root = b.object("Root", 8);
        int lost = b.object("X", 8);
        b.root(root);

        PathTree tree = new ShortestPaths(b.build(), false).mergedPaths(new int[] {root, lost});

        assertThat(tree.reached()).isEqualTo(1);
        assertThat(tree.unreached()).isEqualTo(1);
        assertThat(tree.roots().get(0).isTarget()).isTrue();
    }
}
