package dev.refkit.heap;

import dev.refkit.heap.index.IndexerKnobs;
import static org.assertj.core.api.Assertions.assertThat;

import dev.refkit.heap.HprofWriter.Field;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reading on several threads gives the graph one thread gives, also when the references are spread
 * unevenly over the objects (the later threads' share of the reference arrays is then too small).
 */
class ParallelReadingTest {

    private static final long OBJECT = 0x1000_0000L;
    private static final long CLASS = OBJECT + 0x100;
    private static final long BYTES = CLASS + 0x100;
    private static final long OBJECTS = BYTES + 0x100;
    private static final long HEAP = 0x7_0000_0000L;
    private static final int HALF = 3000;
    private static final int LENGTH = 12;

    @TempDir
    Path dir;

    /** HALF byte arrays without references, then HALF object arrays referring to LENGTH byte arrays each. */
    private Path unevenDump() throws IOException {
        Path file = dir.resolve("uneven.hprof");
        try (OutputStream out = Files.newOutputStream(file);
             HprofWriter w = new HprofWriter(out, 0, "1.0.2", 4096)) {
            w.loadClass(1, OBJECT, "java/lang/Object");
            w.loadClass(2, CLASS, "java/lang/Class");
            w.loadClass(3, BYTES, "[B");
            w.loadClass(4, OBJECTS, "[Ljava/lang/Object;");
            Field[] none = {};
            w.classDump(OBJECT, 0, 0, 0, none, none);
            w.classDump(CLASS, OBJECT, 0, 0, none, none);
            w.classDump(BYTES, OBJECT, 0, 0, none, none);
            w.classDump(OBJECTS, OBJECT, 0, 0, none, none);
            for (int i = 0; i < HALF; i++) {
                w.byteArray(HEAP + 24L * i, new byte[i % 7]);
            }
            long arrays = HEAP + 24L * HALF;
            for (int i = 0; i < HALF; i++) {
                long[] elements = new long[LENGTH];
                for (int e = 0; e < LENGTH; e++) {
                    elements[e] = HEAP + 24L * ((i * 31 + e * 7) % HALF);
                }
                long id = arrays + 64L * i;
                w.objectArray(id, OBJECTS, elements);
                w.rootJniGlobal(id);
            }
        }
        return file;
    }

    /**
     * How the reader may be set up for a dump far smaller than those it is tuned for, so that every path runs:
     * threads for pass 1 and pass 2, objects logged into one shared array (with regions sized so that they
     * overflow, or not), the bucket directory filled on two threads.
     */
    enum Setup {
        PARALLEL(1000, 100, Long.MAX_VALUE, 1.08, Integer.MAX_VALUE),
        SHARED_LOG_ONE_THREAD(64L << 20, 1 << 20, 0, 1.08, Integer.MAX_VALUE),
        SHARED_LOG_PARALLEL(1000, 100, 0, 1.08, 16),
        SHARED_LOG_OVERFLOWING(1000, 100, 0, 0.5, 16);

        final long scanBytes;
        final int referenceThreshold;
        final long sharedLogBytes;
        final double regionSlack;
        final int parallelBuckets;

        Setup(long scanBytes, int referenceThreshold, long sharedLogBytes, double regionSlack, int parallelBuckets) {
            this.scanBytes = scanBytes;
            this.referenceThreshold = referenceThreshold;
            this.sharedLogBytes = sharedLogBytes;
            this.regionSlack = regionSlack;
            this.parallelBuckets = parallelBuckets;
        }

        /** Opens a dump set up this way. */
        HeapDump open(Path file) throws IOException {
            IndexerKnobs.Values before = IndexerKnobs.current();
            IndexerKnobs.set(new IndexerKnobs.Values(scanBytes, sharedLogBytes, regionSlack, parallelBuckets,
                    referenceThreshold));
            try {
                HeapDump dump = HeapDump.open(file);
                dump.graph().firstReference(0);
                return dump;
            } finally {
                IndexerKnobs.set(before);
            }
        }
    }

    /** Opens the dump as by default (one thread, own logs, for so small a dump) and set up as given: both read the same. */
    static void assertSameAsDefault(Path file, Setup setup) throws IOException {
        try (HeapDump single = HeapDump.open(file); HeapDump parallel = setup.open(file)) {
            HeapGraph a = single.graph();
            HeapGraph b = parallel.graph();
            assertThat(b.objectCount()).isEqualTo(a.objectCount());
            for (int o = 0; o < a.objectCount(); o++) {
                assertThat(b.objectId(o)).isEqualTo(a.objectId(o));
                assertThat(b.shallowSize(o)).isEqualTo(a.shallowSize(o));
                assertThat(b.classOf(o).name()).isEqualTo(a.classOf(o).name());
                assertThat(b.objectIndex(a.objectId(o))).isEqualTo(o);
            }
            assertThat(b.gcRootCount()).isEqualTo(a.gcRootCount());
            for (int r = 0; r < a.gcRootCount(); r++) {
                assertThat(b.gcRoot(r)).isEqualTo(a.gcRoot(r));
            }
            for (int o = 0; o <= a.objectCount(); o++) {
                assertThat(b.firstReference(o)).isEqualTo(a.firstReference(o));
            }
            for (long r = 0; r < a.firstReference(a.objectCount()); r++) {
                assertThat(b.referenceTarget(r)).isEqualTo(a.referenceTarget(r));
                assertThat(b.referenceKind(r)).isEqualTo(a.referenceKind(r));
            }
            assertThat(parallel.info().danglingReferences()).isEqualTo(single.info().danglingReferences());
            assertThat(parallel.info().duplicateObjects()).isEqualTo(single.info().duplicateObjects());
            assertThat(parallel.info().vmLayout()).isEqualTo(single.info().vmLayout());
            assertThat(parallel.histogram().entries().stream().map(e -> e.className() + e.instances() + e.shallowBytes()))
                    .isEqualTo(single.histogram().entries().stream()
                            .map(e -> e.className() + e.instances() + e.shallowBytes()).toList());
        }
    }

    /** How the reader set up so makes the id table of the dump. */
    static String idTable(Path file, Setup setup) throws IOException {
        try (HeapDump dump = setup.open(file)) {
            return IndexerKnobs.idTable(dump.graph().index);
        }
    }

    /**
     * The shared log becomes the table as it stands on one thread and on several; regions that overflow
     * are copied out; logs of their own are converted into a new array.
     */
    private static void assertTablesMadeAsMeant(Path file) throws IOException {
        assertThat(idTable(file, Setup.SHARED_LOG_ONE_THREAD)).isEqualTo("IN_PLACE");
        assertThat(idTable(file, Setup.SHARED_LOG_PARALLEL)).isEqualTo("IN_PLACE");
        assertThat(idTable(file, Setup.SHARED_LOG_OVERFLOWING)).isEqualTo("COPIED");
        assertThat(idTable(file, Setup.PARALLEL)).isEqualTo("COPIED");
    }

    private static void assertSameOnSeveralThreads(Path file) throws IOException {
        for (Setup setup : Setup.values()) {
            assertSameAsDefault(file, setup);
        }
    }

    @Test
    void theSyntheticHeapReadsTheSameOnSeveralThreads() throws IOException {
        // segments of about 4 KB, so that pass 1 has records to share out
        Path file = SyntheticHeap.write(dir.resolve("threads.hprof"), 5000, 4096);
        assertSameOnSeveralThreads(file);
        // (its last two objects have lower ids than all before them: the logs keep them apart)
        assertTablesMadeAsMeant(file);
    }

    @Test
    void unevenlySpreadReferencesReadOnSeveralThreads() throws IOException {
        Path file = unevenDump();
        try (HeapDump dump = HeapDump.open(file)) {
            HeapGraph g = dump.graph();
            assertThat(g.objectCount()).isEqualTo(2 * HALF + 4);
            // a class edge per array, the elements, and the three classes' super class
            assertThat(g.firstReference(g.objectCount())).isEqualTo(HALF + HALF * (LENGTH + 1) + 3);
            int array = g.objectIndex(HEAP + 24L * HALF);
            assertThat(g.referenceTarget(g.firstReference(array) + 1)).isEqualTo(g.objectIndex(HEAP));
        }
        assertSameOnSeveralThreads(file);
        assertTablesMadeAsMeant(file);
    }
}
