package dev.refkit.heap.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class ReachabilityPropertiesTest {

    /** Random graphs: n objects, about {@code density * n} edges of random strengths, a few roots. */
    static TestGraph randomGraph(int n, int density, long seed, boolean strongOnly) {
        Random random = new Random(seed);
        TestGraph.Builder b = TestGraph.builder();
        for (int i = 0; i < n; i++) {
            b.object("C" + random.nextInt(3), 1 + random.nextInt(100));
        }
        int edges = random.nextInt(density * n + 1);
        for (int i = 0; i < edges; i++) {
            Reachability strength = strongOnly || random.nextInt(3) > 0
                    ? Reachability.STRONG : Reachability.ofOrdinal(1 + random.nextInt(4));
            b.ref(random.nextInt(n), random.nextInt(n), strength, "e" + i);
        }
        int roots = 1 + random.nextInt(Math.min(n, 3));
        for (int i = 0; i < roots; i++) {
            b.root(random.nextInt(n));
        }
        return b.build();
    }

    /** The rule by its definition, solved by relaxing max-min path values until nothing changes. */
    static int[] bruteForce(TestGraph graph) {
        int n = graph.objectCount();
        int[] best = new int[n];
        Arrays.fill(best, Reachability.UNREACHABLE.ordinal());
        for (int r = 0; r < graph.rootCount(); r++) {
            best[graph.rootObject(r)] = 0;
        }
        boolean changed = true;
        while (changed) {
            changed = false;
            for (int o = 0; o < n; o++) {
                if (best[o] == Reachability.UNREACHABLE.ordinal()) {
                    continue;
                }
                for (long e = graph.firstEdge(o); e < graph.firstEdge(o + 1); e++) {
                    int t = graph.edgeTarget(e);
                    int value = Math.max(best[o], graph.edgeStrength(e));
                    if (value < best[t]) {
                        best[t] = value;
                        changed = true;
                    }
                }
            }
        }
        return best;
    }

    @Property(tries = 400)
    void walkAgreesWithMaxMinPathDefinition(@ForAll @IntRange(min = 1, max = 40) int n,
                                            @ForAll @IntRange(min = 1, max = 4) int density,
                                            @ForAll long seed) {
        TestGraph graph = randomGraph(n, density, seed, false);
        dev.refkit.heap.index.ByteArray walked = ReachabilityWalk.classify(graph);
        int[] expected = bruteForce(graph);
        for (int o = 0; o < n; o++) {
            assertThat((int) walked.get(o)).as("object %d", o).isEqualTo(expected[o]);
        }
    }
}
