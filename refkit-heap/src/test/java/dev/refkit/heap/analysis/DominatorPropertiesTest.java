package dev.refkit.heap.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class DominatorPropertiesTest {

    /** Objects reachable from the virtual root over strong edges when {@code removed} is taken out (-1: none). */
    private static boolean[] reachableWithout(ObjectGraph graph, int removed) {
        int n = graph.objectCount();
        boolean[] seen = new boolean[n];
        int[] queue = new int[n];
        int tail = 0;
        for (int r = 0; r < graph.rootCount(); r++) {
            int root = graph.rootObject(r);
            if (root != removed && !seen[root]) {
                seen[root] = true;
                queue[tail++] = root;
            }
        }
        for (int head = 0; head < tail; head++) {
            int o = queue[head];
            for (long e = graph.firstEdge(o); e < graph.firstEdge(o + 1); e++) {
                int t = graph.edgeTarget(e);
                if (graph.edgeStrength(e) == 0 && t != removed && !seen[t]) {
                    seen[t] = true;
                    queue[tail++] = t;
                }
            }
        }
        return seen;
    }

    @Property(tries = 300)
    void dominatesExactlyWhenRemovalCutsOffTheObject(@ForAll @IntRange(min = 1, max = 30) int n,
                                                     @ForAll @IntRange(min = 1, max = 3) int density,
                                                     @ForAll long seed) {
        TestGraph graph = ReachabilityPropertiesTest.randomGraph(n, density, seed, false);
        DominatorTree tree = DominatorTree.of(graph);
        boolean[] reachable = reachableWithout(graph, -1);
        for (int d = 0; d < n; d++) {
            boolean[] without = reachableWithout(graph, d);
            for (int v = 0; v < n; v++) {
                if (v == d || !reachable[v]) {
                    continue;
                }
                assertThat(tree.dominates(d, v)).as("%d dominates %d", d, v).isEqualTo(reachable[d] && !without[v]);
            }
        }
        for (int v = 0; v < n; v++) {
            assertThat(tree.isStronglyReachable(v)).isEqualTo(reachable[v]);
        }
    }

    @Property(tries = 300)
    void retainedSizeIsTheSumOverDominatedObjects(@ForAll @IntRange(min = 1, max = 30) int n,
                                                 @ForAll @IntRange(min = 1, max = 3) int density,
                                                 @ForAll long seed) {
        TestGraph graph = ReachabilityPropertiesTest.randomGraph(n, density, seed, false);
        DominatorTree tree = DominatorTree.of(graph);
        boolean[] reachable = reachableWithout(graph, -1);
        for (int d = 0; d < n; d++) {
            if (!reachable[d]) {
                assertThat(tree.retainedSize(d)).as("retained size of unreachable %d", d).isZero();
                continue;
            }
            boolean[] without = reachableWithout(graph, d);
            long expected = 0;
            for (int v = 0; v < n; v++) {
                if (reachable[v] && (v == d || !without[v])) {
                    expected += graph.shallowSize(v);
                }
            }
            assertThat(tree.retainedSize(d)).as("retained by %d", d).isEqualTo(expected);
        }
    }

    @Property(tries = 300)
    void topRetainersAreTheFirstOfAllReachableObjectsByRetainedSizeThenIndex(
            @ForAll @IntRange(min = 1, max = 40) int n, @ForAll @IntRange(min = 1, max = 3) int density,
            @ForAll @IntRange(min = 0, max = 45) int limit, @ForAll long seed) {
        TestGraph graph = ReachabilityPropertiesTest.randomGraph(n, density, seed, false);
        DominatorTree tree = DominatorTree.of(graph);
        boolean[] reachable = reachableWithout(graph, -1);
        java.util.List<Integer> all = new java.util.ArrayList<>();
        for (int v = 0; v < n; v++) {
            if (reachable[v]) {
                all.add(v);
            }
        }
        all.sort(java.util.Comparator.<Integer>comparingLong(tree::retainedSize).reversed()
                .thenComparing(java.util.Comparator.naturalOrder()));
        java.util.List<Integer> expected = all.subList(0, Math.min(limit, all.size()));
        assertThat(tree.topRetainers(limit).stream().map(DominatorTree.Retainer::object).toList())
                .isEqualTo(expected);
    }
}
