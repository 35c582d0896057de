package dev.refkit.heap.analysis;

import static dev.refkit.heap.analysis.Reachability.FINALIZER;
import static dev.refkit.heap.analysis.Reachability.PHANTOM;
import static dev.refkit.heap.analysis.Reachability.SOFT;
import static dev.refkit.heap.analysis.Reachability.STRONG;
import static dev.refkit.heap.analysis.Reachability.UNREACHABLE;
import static dev.refkit.heap.analysis.Reachability.WEAK;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReachabilityWalkTest {

    private static Reachability of(TestGraph graph, int object) {
        return Reachability.ofOrdinal(ReachabilityWalk.classify(graph).get(object));
    }

    @Test
    void objectReachedThroughSoftAndWeakPathsIsSoft() {
        // Roots reach their holders by strong references (1) and (3); one holder reaches the object softly (5),
        // the other weakly (7). The weakest reference decides a path, the strongest path decides the object.
        TestGraph.Builder b = TestGraph.builder();
        int root1 = b.object("Root", 16);
        int root3 = b.object("Root", 16);
        int softHolder = b.object("java.lang.ref.SoftReference", 32);
        int weakHolder = b.object("java.lang.ref.WeakReference", 32);
        int object5 = b.object("Payload", 24);
        b.root(root1).root(root3)
                .ref(root1, softHolder, "cache")
                .ref(softHolder, object5, SOFT, "referent")
                .ref(root3, weakHolder, "listener")
                .ref(weakHolder, object5, WEAK, "referent");
        TestGraph graph = b.build();

        assertThat(of(graph, object5)).isEqualTo(SOFT);
        assertThat(of(graph, softHolder)).isEqualTo(STRONG);
        assertThat(of(graph, weakHolder)).isEqualTo(STRONG);
    }

    @Test
    void weakestReferenceOnAPathDecidesEvenWhenStrongReferencesFollowIt() {
        TestGraph.Builder b = TestGraph.builder();
        int root = b.object(8);
        int ref = b.object(8);
        int a = b.object(8);
        int c = b.object(8);
        b.root(root).ref(root, ref).ref(ref, a, WEAK, "referent").ref(a, c);
        TestGraph graph = b.build();

        assertThat(of(graph, c)).isEqualTo(WEAK);
    }

    @Test
    void strongestPathDecidesEvenWhenItIsLonger() {
        TestGraph.Builder b = TestGraph.builder();
        int root = b.object(8);
        int x = b.object(8);
        int hop1 = b.object(8);
        int hop2 = b.object(8);
        b.root(root).ref(root, x, PHANTOM, "referent").ref(root, hop1).ref(hop1, hop2).ref(hop2, x);
        TestGraph graph = b.build();

        assertThat(of(graph, x)).isEqualTo(STRONG);
    }

    @Test
    void finalizerPathOutranksPhantomPath() {
        TestGraph.Builder b = TestGraph.builder();
        int root = b.object(8);
        int x = b.object(8);
        b.root(root).ref(root, x, PHANTOM, "referent").ref(root, x, FINALIZER, "referent");
        TestGraph graph = b.build();

        assertThat(of(graph, x)).isEqualTo(FINALIZER);
    }

    @Test
    void objectImprovedAfterBeingQueuedAtAWeakerLevelKeepsTheStrongerLevel() {
        // x is first found weakly (short path), later softly (longer path): the soft walk must settle it.
        TestGraph.Builder b = TestGraph.builder();
        int root = b.object(8);
        int x = b.object(8);
        int s1 = b.object(8);
        int s2 = b.object(8);
        int beyond = b.object(8);
        b.root(root).ref(root, x, WEAK, "referent").ref(root, s1, SOFT, "referent").ref(s1, s2).ref(s2, x)
                .ref(x, beyond);
        TestGraph graph = b.build();

        assertThat(of(graph, x)).isEqualTo(SOFT);
        assertThat(of(graph, beyond)).isEqualTo(SOFT);
    }

    @Test
    void cycleWithoutRootIsUnreachableAndSelfReferencingRootIsStrong() {
        TestGraph.Builder b = TestGraph.builder();
        int root = b.object(8);
        int a = b.object(8);
        int c = b.object(8);
        b.root(root).ref(root, root).ref(a, c).ref(c, a).ref(a, a);
        TestGraph graph = b.build();

        assertThat(of(graph, root)).isEqualTo(STRONG);
        assertThat(of(graph, a)).isEqualTo(UNREACHABLE);
        assertThat(of(graph, c)).isEqualTo(UNREACHABLE);
    }

    @Test
    void rootListedTwiceAndEmptyGraphAreHandled() {
        TestGraph.Builder b = TestGraph.builder();
        int root = b.object(8);
        b.root(root).root(root);
        assertThat(of(b.build(), root)).isEqualTo(STRONG);
        assertThat(ReachabilityWalk.classify(TestGraph.builder().build()).length()).isZero();
    }
}
