package dev.refkit.heap.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.refkit.heap.HeapDump;
import dev.refkit.heap.HeapGraph;
import dev.refkit.heap.ProgressListener;
import dev.refkit.heap.index.Storage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The index in mapped files gives the same analysis as on the heap, object by object: references, census,
 * immediate dominators, retained sizes and the leak suspects, on the dumps HotSpot 5 to 11 wrote. Every array is
 * mapped here, however small, so that every array of the index and of the analyses goes through the files.
 */
class IndexInFilesTest {

    @TempDir
    Path work;

    private static Path dump(String name) {
        String dir = System.getProperty("refkit.hprof.dir");
        assumeTrue(dir != null && Files.isDirectory(Path.of(dir)),
                "the shared heap dumps are absent (system property refkit.hprof.dir: " + dir + ")");
        Path file = Path.of(dir, name);
        assumeTrue(Files.isRegularFile(file), "the shared heap dump " + file + " is absent");
        return file;
    }

    private HeapDump openInFiles(Path file) throws Exception {
        String before = System.getProperty("refkit.index.mapFrom");
        System.setProperty("refkit.index.mapFrom", "0");
        try {
            return HeapDump.open(file, ProgressListener.NONE, Storage.Mode.FILES, work);
        } finally {
            if (before == null) {
                System.clearProperty("refkit.index.mapFrom");
            } else {
                System.setProperty("refkit.index.mapFrom", before);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sun_jdk5_13_x32.hprof", "sun_jdk6_18_x64.hprof", "oracle_jdk7_21_x64.hprof",
            "oracle_jdk8_05_x64.hprof", "openjdk_jdk11_04_x64.hprof.gz"})
    void theAnalysisInFilesIsTheAnalysisOnTheHeap(String name) throws Exception {
        Path file = dump(name);
        try (HeapDump heap = HeapDump.open(file, ProgressListener.NONE, Storage.Mode.HEAP, null);
             HeapDump files = openInFiles(file)) {
            assertThat(heap.graph().storage().inFiles()).isFalse();
            assertThat(files.graph().storage().inFiles()).isTrue();
            HeapGraph a = heap.graph();
            HeapGraph b = files.graph();
            assertThat(b.objectCount()).isEqualTo(a.objectCount());
            assertThat(b.firstReference(b.objectCount())).isEqualTo(a.firstReference(a.objectCount()));
            for (long r = 0; r < a.firstReference(a.objectCount()); r++) {
                if (a.referenceTarget(r) != b.referenceTarget(r) || a.referenceKind(r) != b.referenceKind(r)) {
                    assertThat(b.referenceTarget(r)).as("reference %d", r).isEqualTo(a.referenceTarget(r));
                    assertThat(b.referenceKind(r)).as("reference %d", r).isEqualTo(a.referenceKind(r));
                }
            }
            assertThat(files.graph().storage().mappedBytes()).isPositive();
            assertThat(files.graph().storage().folder()).startsWith(work);

            HeapAnalysis x = HeapAnalysis.of(heap);
            HeapAnalysis y = HeapAnalysis.of(files);
            DominatorTree dx = x.dominators();
            DominatorTree dy = y.dominators();
            ReachabilityCensus cx = x.reachability();
            ReachabilityCensus cy = y.reachability();
            for (int o = 0; o < a.objectCount(); o++) {
                if (dx.immediateDominator(o) != dy.immediateDominator(o) || dx.retainedSize(o) != dy.retainedSize(o)
                        || cx.reachability(o) != cy.reachability(o)) {
                    assertThat(dy.immediateDominator(o)).as("dominator of %d", o).isEqualTo(dx.immediateDominator(o));
                    assertThat(dy.retainedSize(o)).as("retained size of %d", o).isEqualTo(dx.retainedSize(o));
                    assertThat(cy.reachability(o)).as("reachability of %d", o).isEqualTo(cx.reachability(o));
                }
            }
            assertThat(dy.topLevel()).containsExactly(dx.topLevel());
            assertThat(dy.retainedByClass()).isEqualTo(dx.retainedByClass());
            List<String> suspects = x.leakSuspects(new SuspectThresholds(0, 0)).stream().map(LeakSuspect::summary).toList();
            assertThat(y.leakSuspects(new SuspectThresholds(0, 0)).stream().map(LeakSuspect::summary).toList())
                    .isEqualTo(suspects);
        }
    }
}
