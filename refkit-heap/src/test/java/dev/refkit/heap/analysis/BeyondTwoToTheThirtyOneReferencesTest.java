package dev.refkit.heap.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The walks over a graph of more than 2^31 references, computed instead of stored: one array whose last slot,
 * number 2^31 + 1, is the only way to an object. An {@code int} reference number anywhere in the census or the
 * shortest paths would wrap before that slot and never reach it. (The generated 31 GiB dump of
 * {@code docs/BENCHMARKS.md}, 2.28 G references, is the same check through the whole reader and analysis.)
 */
class BeyondTwoToTheThirtyOneReferencesTest {

    private static final long SLOTS = (1L << 31) + 2;

    /** Object 0, a GC root, is an array of {@link #SLOTS}: every slot holds object 1 but the last, which holds 2. */
    private record WideArrayGraph() implements ObjectGraph {
        @Override public int objectCount() { return 4; }
        @Override public long firstEdge(int object) { return object == 0 ? 0 : SLOTS; }
        @Override public int edgeTarget(long edge) { return edge == SLOTS - 1 ? 2 : 1; }
        @Override public int edgeSource(long edge) { return 0; }
        @Override public int edgeStrength(long edge) { return 0; }
        @Override public String edgeName(long edge) { return "[" + edge + "]"; }
        @Override public boolean isStaticField(long edge) { return false; }
        @Override public int rootCount() { return 1; }
        @Override public int rootObject(int root) { return 0; }
        @Override public String rootKind(int root) { return "JNI_GLOBAL"; }
        @Override public String rootThread(int root) { return null; }
        @Override public String rootFrame(int root) { return null; }
        @Override public int rootThreadObject(int root) { return -1; }
        @Override public int rootFrameDepth(int root) { return -1; }
        @Override public long shallowSize(int object) { return object == 0 ? 16 + 4 * SLOTS : 16; }
        @Override public int classOf(int object) { return object == 0 ? 0 : 1; }
        @Override public int classCount() { return 2; }
        @Override public String className(int classId) { return classId == 0 ? "java.lang.Object[]" : "Item"; }
        @Override public int superClassOf(int classId) { return -1; }
        @Override public int classForObject(int object) { return -1; }
        @Override public int classObject(int classId) { return -1; }
        @Override public int classLoaderOf(int classId) { return -1; }
        @Override public List<String> primitiveFieldNames(int classId) { return List.of(); }
        @Override public String stringField(int object, String fieldName) { return null; }
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES) // an int counter against a long bound would loop for ever
    void theCensusAndTheShortestPathsFollowAReferenceNumberedBeyondTwoToTheThirtyOne() {
        ObjectGraph graph = new WideArrayGraph();

        ReachabilityCensus census = ReachabilityCensus.of(graph);
        ShortestPaths paths = new ShortestPaths(graph, false);

        assertThat(census.count(Reachability.STRONG)).as("the array and both items").isEqualTo(3);
        assertThat(census.count(Reachability.UNREACHABLE)).isEqualTo(1);
        assertThat(paths.isReached(2)).isTrue();
        GcRootPath path = paths.pathTo(2);
        assertThat(path.steps()).hasSize(1);
        assertThat(path.steps().get(0).reference()).isEqualTo("[" + (SLOTS - 1) + "]");
        assertThat(path.steps().get(0).reference()).isEqualTo("[2147483649]");
    }
}
