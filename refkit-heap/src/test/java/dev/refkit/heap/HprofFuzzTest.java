package dev.refkit.heap;

import dev.refkit.heap.index.IndexerKnobs;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.refkit.heap.analysis.HeapAnalysis;
import dev.refkit.heap.analysis.LeakSuspect;
import dev.refkit.heap.analysis.PathOptions;
import dev.refkit.heap.analysis.SuspectThresholds;
import dev.refkit.heap.hprof.HprofFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mutated dumps either open or fail with an HprofFormatException: never another exception, an
 * OutOfMemoryError or a hang. A mutant that opens goes through what the commands do with it ({@code analyze}:
 * census, dominators, top retainers, leak suspects at any size; {@code histogram}; {@code paths} to the
 * instances of every class), which may fail only the same way.
 *
 * <p>The Jazzer test runs its seed inputs ({@code HprofFuzzTestInputs/}: small synthetic dumps, plain and
 * gzipped) in a normal build; {@code JAZZER_FUZZ=1 mvn -pl refkit-heap test -Dtest=HprofFuzzTest} fuzzes
 * for real, for {@code maxDuration}. The seeded mutation test runs a fixed set of random mutations in
 * every build; {@code -Drefkit.fuzz.mutations=N} runs more.
 */
class HprofFuzzTest {

    @TempDir
    Path dir;

    private static void openOrFailCleanly(Path file) throws IOException {
        try (HeapDump dump = HeapDump.open(file)) {
            HeapGraph g = dump.graph();
            for (int o = 0; o < g.objectCount(); o++) {
                g.shallowSize(o);
                g.classOf(o);
                g.stringValue(o);
            }
            for (long r = 0; r < g.firstReference(g.objectCount()); r++) {
                g.referenceName(r);
            }
            analyze(dump);
        } catch (HprofFormatException expected) {
            assertThat(expected.getMessage()).contains(file.getFileName().toString());
        } catch (java.io.UncheckedIOException expected) {
            assertThat(expected.getCause()).isInstanceOf(HprofFormatException.class);
        }
    }

    /** What {@code analyze}, {@code histogram} and {@code paths} compute. */
    private static void analyze(HeapDump dump) {
        HeapAnalysis analysis = HeapAnalysis.of(dump);
        analysis.reachability().summary();
        analysis.dominators().topRetainers(10);
        analysis.dominators().retainedByClass();
        for (LeakSuspect suspect : analysis.leakSuspects(new SuspectThresholds(0, 0))) {
            suspect.pathLines();
        }
        dump.histogram().sorted(Histogram.BY_BYTES);
        for (HeapClass c : dump.graph().classes()) {
            analysis.mergedPathsToGcRoots(c.name(), PathOptions.excludingNonStrong());
        }
    }

    @FuzzTest(maxDuration = "5m")
    void anyInputOpensOrFailsWithAFormatException(byte[] input) throws IOException {
        Path file = Files.createTempFile("refkit-fuzz-", ".hprof");
        try {
            Files.write(file, input);
            openOrFailCleanly(file);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Test
    void seededRandomMutationsOpenOrFailWithAFormatException() throws IOException {
        mutate(SyntheticHeap.write(dir.resolve("seed.hprof"), 20), 77);
    }

    /**
     * The same on a dump of many small segments, read the way large dumps are: segments sampled to size one
     * shared log, scanned on several threads, the bucket directory filled on two.
     */
    @Test
    void seededRandomMutationsOfASegmentedDumpReadInParallel() throws IOException {
        IndexerKnobs.Values before = IndexerKnobs.current();
        try {
            IndexerKnobs.set(new IndexerKnobs.Values(512, 0, before.regionSlack(), 16, 16));
            mutate(SyntheticHeap.write(dir.resolve("segmented.hprof"), 60, 256), 78);
        } finally {
            IndexerKnobs.set(before);
        }
    }

    private void mutate(Path seedFile, long randomSeed) throws IOException {
        byte[] seed = Files.readAllBytes(seedFile);
        int mutations = Integer.getInteger("refkit.fuzz.mutations", 300);
        Random random = new Random(randomSeed);
        Path file = dir.resolve("mutant.hprof");
        for (int i = 0; i < mutations; i++) {
            byte[] mutant = seed.clone();
            int changes = 1 + random.nextInt(4);
            for (int c = 0; c < changes; c++) {
                int at = 31 + random.nextInt(mutant.length - 31);
                switch (random.nextInt(3)) {
                    case 0 -> mutant[at] = (byte) random.nextInt(256);
                    case 1 -> mutant[at] ^= (byte) (1 << random.nextInt(8));
                    default -> mutant[at] = (byte) (random.nextBoolean() ? 0 : 0xff);
                }
            }
            Files.write(file, mutant);
            openOrFailCleanly(file);
        }
    }
}
