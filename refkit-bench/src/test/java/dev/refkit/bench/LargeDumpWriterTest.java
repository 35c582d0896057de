package dev.refkit.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refkit.heap.DumpInfo;
import dev.refkit.heap.HeapClass;
import dev.refkit.heap.HeapDump;
import dev.refkit.heap.HeapGraph;
import dev.refkit.heap.ObjectRef;
import dev.refkit.heap.analysis.HeapAnalysis;
import dev.refkit.heap.analysis.Reachability;
import dev.refkit.heap.analysis.ReachabilityCensus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generated dumps, read back by refkit: what the writer says it wrote is what the reader finds. */
class LargeDumpWriterTest {

    private static final long OBJECTS = 200_000;

    @TempDir
    Path folder;

    private DumpTally application(Path file, int idSize, long seed) throws IOException {
        return LargeDumpWriter.write(new LargeDumpWriter.Options(file, OBJECTS, 0, idSize, false, seed), false);
    }

    @Test
    void applicationDumpHasTheObjectsReferencesAndRootsTheWriterCounted() throws IOException {
        Path file = folder.resolve("application.hprof");
        DumpTally tally = application(file, 8, 1);
        try (HeapDump dump = HeapDump.open(file)) {
            DumpInfo info = dump.info();
            assertThat(info.objectCount()).isEqualTo(tally.objects());
            assertThat(info.classCount()).isEqualTo(tally.classes);
            assertThat(info.instanceCount()).isEqualTo(tally.instances);
            assertThat(info.objectArrayCount()).isEqualTo(tally.objectArrays);
            assertThat(info.primitiveArrayCount()).isEqualTo(tally.primitiveArrays);
            assertThat(info.referenceCount()).isEqualTo(tally.references);
            assertThat(info.gcRootCount()).isEqualTo(tally.gcRoots);
            assertThat(info.danglingReferences()).isZero();
            assertThat(info.danglingGcRoots()).isZero();
            assertThat(info.duplicateObjects()).isZero();
            assertThat(info.bytes()).isEqualTo(Files.size(file)).isEqualTo(tally.fileBytes);
        }
        assertThat(tally.objects()).isBetween(OBJECTS, OBJECTS + 1_000);
        assertThat(tally.referencesPerObject()).isBetween(7.0, 8.5);
    }

    @Test
    void censusFindsTheReachabilityTheWriterIntended() throws IOException {
        Path file = folder.resolve("census.hprof");
        DumpTally tally = application(file, 8, 2);
        try (HeapDump dump = HeapDump.open(file)) {
            ReachabilityCensus census = HeapAnalysis.of(dump).reachability();
            for (Reachability r : Reachability.values()) {
                assertThat(census.count(r)).as("%s objects", r).isEqualTo(tally.objects(r));
                assertThat(census.shallowBytes(r)).as("%s bytes", r).isEqualTo(tally.shallowBytes(r));
            }
            assertThat(census.unreachableHeldByJvm()).as("the unreachable objects are garbage").isFalse();
        }
        assertThat(tally.objects(Reachability.SOFT)).isPositive();
        assertThat(tally.objects(Reachability.WEAK)).isPositive();
        assertThat(tally.objects(Reachability.UNREACHABLE)).isGreaterThan(tally.objects() / 20);
    }

    @Test
    void idsAreAscendingAlignedAddressesOfACompressedReferencesHeap() throws IOException {
        Path file = folder.resolve("layout.hprof");
        application(file, 8, 3);
        try (HeapDump dump = HeapDump.open(file)) {
            assertThat(dump.info().vmLayout()).isEqualTo("64-bit, compressed references, JDK 15+ field layout");
            HeapGraph graph = dump.graph();
            for (int o = 0; o < graph.objectCount(); o++) {
                assertThat(graph.objectId(o) & 7).isZero();
            }
        }
    }

    @Test
    void fieldsAndStringsReadBackAsWritten() throws IOException {
        Path file = folder.resolve("fields.hprof");
        application(file, 8, 4);
        try (HeapDump dump = HeapDump.open(file)) {
            HeapGraph graph = dump.graph();
            HeapClass customer = graph.findClass("com.acme.store.Customer");
            int first = firstInstance(graph, customer);
            long number = (Long) graph.fieldValue(first, "id");
            ObjectRef name = (ObjectRef) graph.fieldValue(first, "name");
            assertThat(graph.stringValue(name.object())).isEqualTo("customer-" + number);
            assertThat(graph.fieldValue(first, "version")).isEqualTo(1L);
            HeapClass soft = graph.findClass("java.lang.ref.SoftReference");
            assertThat(soft.referentKind()).isNotNull();
            ObjectRef regions = (ObjectRef) graph.staticFieldValue(graph.findClass("com.acme.store.Region"),
                    "$VALUES");
            assertThat(graph.arrayLength(regions.object())).isEqualTo(32);
        }
    }

    private static int firstInstance(HeapGraph graph, HeapClass c) {
        for (int o = 0; o < graph.objectCount(); o++) {
            if (graph.classOf(o) == c) {
                return o;
            }
        }
        throw new AssertionError("no instance of " + c);
    }

    @Test
    void aSeedGivesTheSameFile() throws IOException {
        Path a = folder.resolve("a.hprof");
        Path b = folder.resolve("b.hprof");
        application(a, 8, 5);
        application(b, 8, 5);
        assertThat(Files.mismatch(a, b)).isEqualTo(-1);
    }

    @Test
    void fourByteIdsAreReadWithTheSameCounts() throws IOException {
        Path file = folder.resolve("ids4.hprof");
        DumpTally tally = application(file, 4, 6);
        try (HeapDump dump = HeapDump.open(file)) {
            assertThat(dump.info().idSize()).isEqualTo(4);
            assertThat(dump.info().objectCount()).isEqualTo(tally.objects());
            assertThat(dump.info().referenceCount()).isEqualTo(tally.references);
            ReachabilityCensus census = HeapAnalysis.of(dump).reachability();
            for (Reachability r : Reachability.values()) {
                assertThat(census.count(r)).as("%s objects", r).isEqualTo(tally.objects(r));
            }
        }
    }

    @Test
    void bytesTargetStopsNearTheSize() throws IOException {
        Path file = folder.resolve("bytes.hprof");
        DumpTally tally = LargeDumpWriter.write(new LargeDumpWriter.Options(file, 0, 8 << 20, 8, false, 7), false);
        assertThat(Files.size(file)).isBetween(8L << 20, (8L << 20) + (2L << 20));
        assertThat(tally.fileBytes).isEqualTo(Files.size(file));
    }

    @Test
    void minimalDumpHoldsHalfItsLeavesThroughAChainOfArrays() throws IOException {
        Path file = folder.resolve("minimal.hprof");
        DumpTally tally = LargeDumpWriter.write(new LargeDumpWriter.Options(file, 100_000, 0, 4, true, 0), false);
        assertThat(tally.objects()).isEqualTo(100_000);
        assertThat(Files.size(file)).isEqualTo(tally.fileBytes);
        assertThat((double) MinimalHeap.estimateBytes(100_000, 4)).isCloseTo(tally.fileBytes,
                org.assertj.core.data.Percentage.withPercentage(0.1));
        try (HeapDump dump = HeapDump.open(file)) {
            assertThat(dump.info().objectCount()).isEqualTo(tally.objects());
            assertThat(dump.info().referenceCount()).isEqualTo(tally.references);
            ReachabilityCensus census = HeapAnalysis.of(dump).reachability();
            assertThat(census.count(Reachability.STRONG)).isEqualTo(tally.objects(Reachability.STRONG));
            assertThat(census.count(Reachability.UNREACHABLE)).isEqualTo(tally.objects(Reachability.UNREACHABLE));
        }
    }

    @Test
    void minimalDumpWithDenseIdsIsReadAlike() throws IOException {
        Path file = folder.resolve("dense.hprof");
        DumpTally tally;
        try (HprofStream out = HprofStream.create(file, 4, HeapGenerator.TIMESTAMP)) {
            tally = new MinimalHeap(out, 50_000, true).generate();
        }
        try (HeapDump dump = HeapDump.open(file)) {
            HeapGraph graph = dump.graph();
            assertThat(graph.objectId(graph.objectCount() - 1) - graph.objectId(0)).isEqualTo(tally.objects() - 1);
            assertThat(dump.info().referenceCount()).isEqualTo(tally.references);
            ReachabilityCensus census = HeapAnalysis.of(dump).reachability();
            assertThat(census.count(Reachability.STRONG)).isEqualTo(tally.objects(Reachability.STRONG));
            assertThat(census.count(Reachability.UNREACHABLE)).isEqualTo(tally.objects(Reachability.UNREACHABLE));
        }
    }

    @Test
    void estimateOfAMinimalDumpOverTwoToTheThirtyOneObjectsNeedsDenseIds() throws IOException {
        long objects = 2_200_000_000L;
        long bytes = MinimalHeap.estimateBytes(objects, 4);
        assertThat(objects).isGreaterThan(Integer.MAX_VALUE).isGreaterThan(MinimalHeap.MAX_ALIGNED_32);
        assertThat(bytes).isBetween(objects * 17, objects * 20);
    }
}
