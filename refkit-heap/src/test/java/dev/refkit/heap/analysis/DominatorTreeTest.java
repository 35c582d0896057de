package dev.refkit.heap.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class DominatorTreeTest {

    /**
     * <pre>
     *   root r (10) ─┬─ a (20) ─┬─ c (40) ── e (80)
     *                │          └─ d (100) ─┐
     *                └─ b (30) ──────────────┴─ f (200) ── g (5, also held softly by r)
     * </pre>
     * f is held by d and b, so only r dominates it.
     */
    private static TestGraph handBuilt() {
        TestGraph.Builder b = TestGraph.builder();
        int r = b.object("Root", 10);
        int a = b.object("A", 20);
        int bb = b.object("B", 30);
        int c = b.object("C", 40);
        int d = b.object("D", 100);
        int e = b.object("E", 80);
        int f = b.object("F", 200);
        int g = b.object("G", 5);
        int softOnly = b.object("Cached", 1000);
        b.root(r).ref(r, a).ref(r, bb).ref(a, c).ref(a, d).ref(c, e).ref(d, f).ref(bb, f).ref(f, g)
                .ref(r, g, Reachability.SOFT, "referent").ref(r, softOnly, Reachability.SOFT, "referent");
        return b.build();
    }

    @Test
    void retainedSizesMatchHandComputedOnes() {
        DominatorTree tree = DominatorTree.of(handBuilt());

        assertThat(tree.retainedSize(0)).as("r").isEqualTo(10 + 20 + 30 + 40 + 100 + 80 + 200 + 5);
        assertThat(tree.retainedSize(1)).as("a").isEqualTo(20 + 40 + 80 + 100);
        assertThat(tree.retainedSize(2)).as("b").isEqualTo(30);
        assertThat(tree.retainedSize(3)).as("c").isEqualTo(120);
        assertThat(tree.retainedSize(4)).as("d").isEqualTo(100);
        assertThat(tree.retainedSize(6)).as("f").isEqualTo(205);
        assertThat(tree.reachableBytes()).isEqualTo(485);
    }

    @Test
    void objectHeldThroughTwoBranchesIsDominatedByTheirCommonAncestor() {
        DominatorTree tree = DominatorTree.of(handBuilt());

        assertThat(tree.immediateDominator(6)).isEqualTo(0);
        assertThat(tree.immediateDominator(7)).isEqualTo(6);
        assertThat(tree.immediateDominator(0)).isEqualTo(DominatorTree.VIRTUAL_ROOT);
        assertThat(tree.dominates(1, 5)).isTrue();
        assertThat(tree.dominates(1, 6)).isFalse();
    }

    @Test
    void objectHeldOnlySoftlyHasNoDominatorAndRetainsNothingForOthers() {
        DominatorTree tree = DominatorTree.of(handBuilt());

        assertThat(tree.immediateDominator(8)).isEqualTo(DominatorTree.NOT_STRONGLY_REACHABLE);
        assertThat(tree.retainedSize(8)).isZero();
    }

    @Test
    void objectSharedByTwoRootsHangsUnderTheVirtualRoot() {
        TestGraph.Builder b = TestGraph.builder();
        int r1 = b.object(1);
        int r2 = b.object(1);
        int shared = b.object(50);
        b.root(r1).root(r2).ref(r1, shared).ref(r2, shared);
        DominatorTree tree = DominatorTree.of(b.build());

        assertThat(tree.immediateDominator(shared)).isEqualTo(DominatorTree.VIRTUAL_ROOT);
        assertThat(tree.retainedSize(r1)).isEqualTo(1);
        assertThat(tree.topLevel()).containsExactly(shared, r1, r2);
    }

    @Test
    void topRetainersAreOrderedByRetainedSize() {
        DominatorTree tree = DominatorTree.of(handBuilt());

        List<DominatorTree.Retainer> top = tree.topRetainers(3);

        assertThat(top).extracting(DominatorTree.Retainer::object).containsExactly(0, 1, 6);
        assertThat(top.get(1)).isEqualTo(new DominatorTree.Retainer(1, "A", 20, 240));
        assertThat(tree.children(0)).containsExactly(1, 6, 2);
    }

    @Test
    void retainedByClassCountsNestedInstancesOnce() {
        // A linked list of three nodes: the head retains the whole list; the class retains it once.
        TestGraph.Builder b = TestGraph.builder();
        int holder = b.object("Holder", 16);
        int n1 = b.object("Node", 24);
        int n2 = b.object("Node", 24);
        int n3 = b.object("Node", 24);
        int v = b.object("Value", 100);
        b.root(holder).ref(holder, n1).ref(n1, n2).ref(n2, n3).ref(n3, v);
        DominatorTree tree = DominatorTree.of(b.build());

        assertThat(tree.retainedByClass()).contains(
                new DominatorTree.ClassRetained("Node", 3, 72, 172),
                new DominatorTree.ClassRetained("Holder", 1, 16, 188));
    }

    @Test
    void cyclesSelfReferencesAndClasslessObjectsAreHandled() {
        TestGraph.Builder b = TestGraph.builder();
        int r = b.object(8);
        int x = b.object(8);
        int y = b.object(8);
        b.root(r).ref(r, x).ref(x, y).ref(y, x).ref(y, y).ref(x, r);
        DominatorTree tree = DominatorTree.of(b.build());

        assertThat(tree.immediateDominator(y)).isEqualTo(x);
        assertThat(tree.retainedSize(r)).isEqualTo(24);
        assertThat(tree.retainedByClass()).containsExactly(new DominatorTree.ClassRetained("<no class>", 3, 24, 24));
    }

    @Test
    void tenMillionObjectChainNeitherOverflowsTheStackNorLosesBytes() {
        int n = 10_000_000;
        ObjectGraph chain = new ChainGraph(n);

        DominatorTree tree = DominatorTree.of(chain);

        assertThat(tree.retainedSize(0)).isEqualTo(n);
        assertThat(tree.retainedSize(n - 1)).isEqualTo(1);
        assertThat(tree.immediateDominator(n - 1)).isEqualTo(n - 2);
        assertThat(tree.retainedByClass().get(0).retainedBytes()).isEqualTo(n);
        assertThat(ReachabilityWalk.classify(chain).get(n - 1)).isEqualTo((byte) Reachability.STRONG.ordinal());
    }

    /** 0 → 1 → ... → n-1, one root, every object one byte, computed rather than stored. */
    private record ChainGraph(int n) implements ObjectGraph {
        @Override public int objectCount() { return n; }
        @Override public long firstEdge(int object) { return Math.min(object, n - 1); }
        @Override public int edgeTarget(long edge) { return (int) edge + 1; }
        @Override public int edgeSource(long edge) { return (int) edge; }
        @Override public int edgeStrength(long edge) { return 0; }
        @Override public String edgeName(long edge) { return "next"; }
        @Override public int rootCount() { return 1; }
        @Override public int rootObject(int root) { return 0; }
        @Override public String rootKind(int root) { return "JNI_GLOBAL"; }
        @Override public String rootThread(int root) { return null; }
        @Override public String rootFrame(int root) { return null; }
        @Override public long shallowSize(int object) { return 1; }
        @Override public int classOf(int object) { return 0; }
        @Override public int classCount() { return 1; }
        @Override public String className(int classId) { return "Link"; }
        @Override public int superClassOf(int classId) { return -1; }
        @Override public int classForObject(int object) { return -1; }
        @Override public boolean isStaticField(long edge) { return false; }
        @Override public int rootThreadObject(int root) { return -1; }
        @Override public int rootFrameDepth(int root) { return -1; }
        @Override public int classObject(int classId) { return -1; }
        @Override public int classLoaderOf(int classId) { return -1; }
        @Override public java.util.List<String> primitiveFieldNames(int classId) { return java.util.List.of(); }
        @Override public String stringField(int object, String fieldName) { return null; }
    }
}
