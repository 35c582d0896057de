package dev.refkit.heap;

import dev.refkit.heap.index.IndexerKnobs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.refkit.heap.hprof.HprofFormatException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Opening a dump reads objects, classes and the histogram; the references are read on first use. What the
 * open counts without the per-object classes (pass 1's tallies) must agree with what reading the references
 * finds object by object.
 */
class LazyReferencesTest {

    @TempDir
    Path dir;

    /** Per class: instances and shallow bytes, counted object by object. */
    private static void assertHistogramMatchesObjects(HeapDump dump) {
        HeapGraph g = dump.graph();
        long[] counts = new long[g.classes().size()];
        long[] bytes = new long[g.classes().size()];
        for (int o = 0; o < g.objectCount(); o++) {
            int c = g.classOf(o).index();
            counts[c]++;
            bytes[c] += g.shallowSize(o);
        }
        for (HeapClass c : g.classes()) {
            Histogram.Entry row = dump.histogram().entries().stream()
                    .filter(e -> e.heapClass() == c).findFirst().orElse(null);
            if (counts[c.index()] == 0) {
                assertThat(row).as("histogram row of %s, which has no objects", c.name()).isNull();
                continue;
            }
            assertThat(row).as("histogram row of %s", c.name()).isNotNull();
            assertThat(row.instances()).as("instances of %s", c.name()).isEqualTo(counts[c.index()]);
            assertThat(row.shallowBytes()).as("shallow bytes of %s", c.name()).isEqualTo(bytes[c.index()]);
        }
    }

    private static void assertOpenReadsNoReferences(Path file) throws IOException {
        try (HeapDump dump = HeapDump.open(file)) {
            HeapGraph g = dump.graph();
            assertHistogramMatchesObjects(dump);
            List<HeapClass> before = new ArrayList<>();
            for (int o = 0; o < g.objectCount(); o++) {
                before.add(g.classOf(o));
            }
            assertThat(IndexerKnobs.referencesRead(g.index)).as("references read by the open or by the histogram check").isFalse();

            assertThat(g.firstReference(g.objectCount())).isPositive();
            assertThat(IndexerKnobs.referencesRead(g.index)).isTrue();
            for (int o = 0; o < g.objectCount(); o++) {
                assertThat(g.classOf(o)).as("class of object %d once the references are read", o)
                        .isSameAs(before.get(o));
            }
            assertHistogramMatchesObjects(dump);
        }
    }

    @Test
    void aSyntheticDumpOpensWithoutItsReferences() throws IOException {
        assertOpenReadsNoReferences(SyntheticHeap.write(dir.resolve("synthetic.hprof"), 5_000));
    }

    static List<String> sharedDumps() {
        return SharedDumpsTest.smallDumps().toList();
    }

    @ParameterizedTest
    @MethodSource("sharedDumps")
    void aRealDumpOpensWithoutItsReferencesAndItsTalliesMatchItsObjects(String name) throws IOException {
        assertOpenReadsNoReferences(SharedDumps.dump(name));
    }

    @Test
    void threadsAskingAtOnceReadTheReferencesOnce() throws Exception {
        Path file = SyntheticHeap.write(dir.resolve("shared.hprof"), 20_000);
        AtomicInteger reads = new AtomicInteger();
        ProgressListener progress = (phase, done, total) -> {
            if (phase.equals("reading references") && done == total) {
                reads.incrementAndGet();
            }
        };
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try (HeapDump dump = HeapDump.open(file, progress)) {
            HeapGraph g = dump.graph();
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Long>> counts = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                counts.add(pool.submit(() -> {
                    start.await();
                    return g.firstReference(g.objectCount());
                }));
            }
            start.countDown();
            Set<Long> seen = new HashSet<>();
            for (Future<Long> count : counts) {
                seen.add(count.get(60, TimeUnit.SECONDS));
            }
            assertThat(seen).hasSize(1);
            assertThat(reads.get()).isEqualTo(1);
            assertThat((long) seen.iterator().next()).isEqualTo(dump.info().referenceCount());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aReadThatFailsLeavesTheGraphToBeReadAgain() throws IOException {
        Path file = SyntheticHeap.write(dir.resolve("retry.hprof"), 1_000);
        try (HeapDump dump = HeapDump.open(file)) {
            HeapGraph g = dump.graph();
            HprofFormatException failure = new HprofFormatException(file, 7, "test", "a failing read");
            IndexerKnobs.failReferenceReads(g.index, failure);
            Throwable t = catchThrowable(() -> g.firstReference(0));
            assertThat(t).isInstanceOf(UncheckedIOException.class).hasCause(failure);
            assertThat(IndexerKnobs.referencesRead(g.index)).isFalse();

            IndexerKnobs.readReferencesFromDump(g.index, Files.size(file));
            assertThat(g.firstReference(g.objectCount())).isEqualTo(dump.info().referenceCount());
            assertThat(IndexerKnobs.referencesRead(g.index)).isTrue();
        }
    }
}
