package dev.refkit.heap.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.refkit.heap.HeapDump;
import dev.refkit.heap.HeapGraph;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The analyses on real dumps written by HotSpot 5 to 11: the results must agree with each other (the census,
 * the dominator tree and the paths are computed independently) and nothing may fail on what old JVMs wrote.
 */
class SharedDumpAnalysisTest {

    private static Path dump(String name) {
        String dir = System.getProperty("refkit.hprof.dir");
        assumeTrue(dir != null && Files.isDirectory(Path.of(dir)),
                "the shared heap dumps are absent (system property refkit.hprof.dir: " + dir + ")");
        Path file = Path.of(dir, name);
        assumeTrue(Files.isRegularFile(file), "the shared heap dump " + file + " is absent");
        return file;
    }

    @ParameterizedTest
    @ValueSource(strings = {"sun_jdk5_13_x32.hprof", "sun_jdk6_18_x64.hprof", "oracle_jdk7_21_x64.hprof",
            "oracle_jdk8_05_x64.hprof", "openjdk_jdk11_04_x64.hprof.gz"})
    void censusAndDominatorTreeAgreeOnWhatIsStronglyReachable(String name) throws Exception {
        try (HeapDump dump = HeapDump.open(dump(name))) {
            HeapAnalysis analysis = HeapAnalysis.of(dump);
            ReachabilityCensus census = analysis.reachability();
            DominatorTree tree = analysis.dominators();

            assertThat(census.totalCount()).isEqualTo(dump.graph().objectCount());
            assertThat(census.count(Reachability.STRONG)).isEqualTo(tree.reachableCount()).isPositive();
            assertThat(census.shallowBytes(Reachability.STRONG)).isEqualTo(tree.reachableBytes());
            long topLevel = 0;
            for (int object : tree.topLevel()) {
                topLevel += tree.retainedSize(object);
            }
            assertThat(topLevel).isEqualTo(tree.reachableBytes());
            assertThat(census.summary()).contains(String.format("%,d objects", dump.graph().objectCount()));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sun_jdk6_18_x32.hprof", "oracle_jdk8_05_x64.hprof", "openjdk_jdk11_04_x64.hprof.gz"})
    void everyStronglyReachableObjectHasAStrongPathAndNoOtherDoes(String name) throws Exception {
        try (HeapDump dump = HeapDump.open(dump(name))) {
            HeapGraph graph = dump.graph();
            HeapAnalysis analysis = HeapAnalysis.of(dump);
            ReachabilityCensus census = analysis.reachability();
            int step = Math.max(1, graph.objectCount() / 300);
            for (int object = 0; object < graph.objectCount(); object += step) {
                List<GcRootPath> paths = analysis.pathsToGcRoots(object, PathOptions.excludingNonStrong());
                boolean strong = census.reachability(object) == Reachability.STRONG;
                assertThat(paths).as("strong paths to object %d (%s)", object, census.reachability(object))
                        .hasSize(strong ? 1 : 0);
                if (strong) {
                    GcRootPath path = paths.get(0);
                    assertThat(path.target()).isEqualTo(object);
                    assertThat(path.steps()).allSatisfy(s -> assertThat(s.strength()).isEqualTo(Reachability.STRONG));
                }
                boolean reachable = census.reachability(object) != Reachability.UNREACHABLE;
                assertThat(analysis.pathsToGcRoots(object, PathOptions.includingNonStrong()))
                        .hasSize(reachable ? 1 : 0);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sun_jdk6_18_x64.hprof", "openjdk_jdk11_04_x64.hprof.gz"})
    void leakSuspectsAndClassRetainedSizesAreConsistent(String name) throws Exception {
        try (HeapDump dump = HeapDump.open(dump(name))) {
            HeapAnalysis analysis = HeapAnalysis.of(dump);
            DominatorTree tree = analysis.dominators();

            List<LeakSuspect> suspects = analysis.leakSuspects();

            assertThat(suspects).allSatisfy(s -> {
                assertThat(s.heapShare()).isBetween(0.0, 1.0);
                assertThat(s.summary()).isNotBlank();
            });
            assertThat(tree.retainedByClass()).allSatisfy(c ->
                    assertThat(c.retainedBytes()).isBetween(c.shallowBytes(), tree.reachableBytes()));
            assertThat(tree.topRetainers(10)).isSortedAccordingTo(
                    (a, b) -> Long.compare(b.retainedSize(), a.retainedSize()));
        }
    }
}
