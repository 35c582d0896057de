package dev.refkit.heap.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** What a damaged or unusual dump can hand the analyses: none of it may make them fail. */
class MalformedGraphTest {

    @Test
    void rootsOutsideTheGraphAreIgnoredByEveryAnalysis() {
        TestGraph.Builder b = TestGraph.builder();
        int real = b.object("A", 10);
        b.root(-1).root(real).root(99);
        HeapAnalysis analysis = new HeapAnalysis(b.build());

        assertThat(analysis.reachability().reachability(real)).isEqualTo(Reachability.STRONG);
        assertThat(analysis.dominators().retainedSize(real)).isEqualTo(10);
        assertThat(analysis.pathsToGcRoots(real, PathOptions.excludingNonStrong())).hasSize(1);
        assertThat(analysis.leakSuspects()).isNotNull();
    }

    @Test
    void graphWithoutRootsIsAllUnreachable() {
        TestGraph.Builder b = TestGraph.builder();
        int a = b.object("A", 10);
        int c = b.object(20);
        b.ref(a, c).ref(c, a);
        HeapAnalysis analysis = new HeapAnalysis(b.build());

        assertThat(analysis.reachability().count(Reachability.UNREACHABLE)).isEqualTo(2);
        assertThat(analysis.dominators().reachableCount()).isZero();
        assertThat(analysis.dominators().topRetainers(5)).isEmpty();
        assertThat(analysis.mergedPathsToGcRoots(new int[] {a, c}, PathOptions.includingNonStrong()).unreached())
                .isEqualTo(2);
        assertThat(analysis.leakSuspects()).isEmpty();
    }

    @Test
    void parallelEdgesAndSelfLoopsOnEveryObjectChangeNothing() {
        TestGraph.Builder b = TestGraph.builder();
        int r = b.object("R", 1);
        int x = b.object("X", 2);
        b.root(r).ref(r, r).ref(r, x).ref(r, x).ref(x, x).ref(x, x, Reachability.WEAK, "referent");
        HeapAnalysis analysis = new HeapAnalysis(b.build());

        assertThat(analysis.dominators().immediateDominator(x)).isEqualTo(r);
        assertThat(analysis.dominators().retainedSize(r)).isEqualTo(3);
        assertThat(analysis.pathsToGcRoots(x, PathOptions.excludingNonStrong().withMaxPaths(3))).hasSize(1);
    }

    @Test
    void objectIndexOutsideTheGraphIsAClearError() {
        TestGraph.Builder b = TestGraph.builder();
        b.object("A", 1);
        HeapAnalysis analysis = new HeapAnalysis(b.build());

        assertThatThrownBy(() -> analysis.pathsToGcRoots(5, PathOptions.excludingNonStrong()))
                .isInstanceOf(IndexOutOfBoundsException.class).hasMessageContaining("5");
        assertThatThrownBy(() -> PathOptions.excludingNonStrong().withMaxPaths(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one path");
    }
}
