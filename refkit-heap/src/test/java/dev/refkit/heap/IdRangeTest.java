package dev.refkit.heap;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refkit.heap.HprofWriter.Field;
import dev.refkit.heap.hprof.BasicType;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ids that do not pack into 32-bit quotients of 8-byte steps: far apart (more than 2^32 alignments), or
 * aligned to less than 8 bytes. The reader falls back to wider forms and must find every object.
 */
class IdRangeTest {

    private static final long OBJECT = 0x1000_0000L;
    private static final long CLASS = OBJECT + 0x100;
    private static final long NODE = CLASS + 0x100;

    @TempDir
    Path dir;

    /** java.lang.Object, java.lang.Class and example.Node {Object next; int value}. */
    private static void writeClasses(HprofWriter w) throws IOException {
        w.loadClass(1, OBJECT, "java/lang/Object");
        w.loadClass(2, CLASS, "java/lang/Class");
        w.loadClass(3, NODE, "example/Node");
        Field[] none = {};
        w.classDump(OBJECT, 0, 0, 0, none, none);
        w.classDump(CLASS, OBJECT, 0, 0, none, none);
        w.classDump(NODE, OBJECT, 0, 16, none, new Field[] {
            new Field("next", BasicType.OBJECT), new Field("value", BasicType.INT)});
    }

    /** A chain of nodes at the given ids, in the order given, each referring to the next; the last to the first. */
    private Path chain(long... ids) throws IOException {
        Path file = dir.resolve("chain.hprof");
        BasicType[] fields = {BasicType.OBJECT, BasicType.INT};
        try (OutputStream out = Files.newOutputStream(file); HprofWriter w = new HprofWriter(out, 0)) {
            writeClasses(w);
            w.rootJniGlobal(ids[0]);
            for (int i = 0; i < ids.length; i++) {
                w.instance(ids[i], NODE, fields, ids[(i + 1) % ids.length], i);
            }
        }
        return file;
    }

    private void assertChain(long... ids) throws IOException {
        try (HeapDump dump = HeapDump.open(chain(ids))) {
            HeapGraph g = dump.graph();
            assertThat(g.objectCount()).isEqualTo(ids.length + 3);
            for (int i = 0; i < ids.length; i++) {
                int node = g.objectIndex(ids[i]);
                assertThat(node).as("index of 0x%x", ids[i]).isNotNegative();
                assertThat(g.objectId(node)).isEqualTo(ids[i]);
                assertThat(g.classOf(node).name()).isEqualTo("example.Node");
                assertThat(g.fieldValue(node, "value")).isEqualTo(i);
                // the class edge, then next
                assertThat(g.referenceTarget(g.firstReference(node) + 1)).isEqualTo(g.objectIndex(ids[(i + 1) % ids.length]));
            }
            assertThat(dump.info().danglingReferences()).isZero();
        }
    }

    @Test
    void anObjectWrittenTwiceIsKeptOnceAsFirstWritten() throws IOException {
        Path file = dir.resolve("twice.hprof");
        BasicType[] fields = {BasicType.OBJECT, BasicType.INT};
        long a = 0x7_0000_0000L;
        long b = a + 0x20;
        try (OutputStream out = Files.newOutputStream(file); HprofWriter w = new HprofWriter(out, 0)) {
            writeClasses(w);
            w.rootJniGlobal(a);
            w.instance(a, NODE, fields, b, 1);
            w.instance(b, NODE, fields, a, 2);
            w.instance(a, NODE, fields, 0, 3);   // the same id again: the first one stays
        }
        try (HeapDump dump = HeapDump.open(file)) {
            HeapGraph g = dump.graph();
            assertThat(dump.info().duplicateObjects()).isEqualTo(1);
            assertThat(g.objectCount()).isEqualTo(5);
            int first = g.objectIndex(a);
            assertThat(g.fieldValue(first, "value")).isEqualTo(1);
            assertThat(g.referenceTarget(g.firstReference(first) + 1)).isEqualTo(g.objectIndex(b));
            assertThat(g.referenceTarget(g.firstReference(g.objectIndex(b)) + 1)).isEqualTo(first);
            assertThat(g.firstReference(g.objectCount())).isEqualTo(2 + 2 + 2);
            assertThat(dump.histogram().entries().stream().filter(e -> e.className().equals("example.Node"))
                    .findFirst().orElseThrow().instances()).isEqualTo(2);
        }
    }

    @Test
    void objectsWrittenTwiceAmongIdsFarApartAreCountedOnce() throws IOException {
        Path file = dir.resolve("twice-wide.hprof");
        BasicType[] fields = {BasicType.OBJECT, BasicType.INT};
        long a = 0x7_0000_0000L;
        long far = 0x7fff_0000_0000L;
        long array = far + 0x40;
        long arrayClass = NODE + 0x100;
        try (OutputStream out = Files.newOutputStream(file); HprofWriter w = new HprofWriter(out, 0)) {
            writeClasses(w);
            w.loadClass(4, arrayClass, "[Ljava/lang/Object;");
            w.classDump(arrayClass, OBJECT, 0, 0, new Field[0], new Field[0]);
            w.instance(a, NODE, fields, far, 1);
            w.instance(far, NODE, fields, a, 2);
            w.objectArray(array, arrayClass, a, far);
            w.instance(far, NODE, fields, 0, 3);              // written again: the first one stays
            w.objectArray(array, arrayClass, a, far, a, far);  // likewise, with another length
        }
        try (HeapDump dump = HeapDump.open(file)) {
            HeapGraph g = dump.graph();
            assertThat(dump.info().duplicateObjects()).isEqualTo(2);
            assertThat(g.objectCount()).isEqualTo(7);
            assertThat(dump.histogram().totalInstances()).isEqualTo(7);
            assertThat(dump.histogram().entry("example.Node").instances()).isEqualTo(2);
            int arrayIndex = g.objectIndex(array);
            assertThat(g.arrayLength(arrayIndex)).isEqualTo(2);
            assertThat(dump.histogram().entry("java.lang.Object[]").instances()).isEqualTo(1);
            assertThat(dump.histogram().entry("java.lang.Object[]").shallowBytes()).isEqualTo(g.shallowSize(arrayIndex));
            assertThat(g.fieldValue(g.objectIndex(far), "value")).isEqualTo(2);
        }
    }

    @Test
    void everyIdShapeReadsTheSameThroughTheSharedLog() throws IOException {
        long[][] shapes = {
            {0x7_0000_0000L, 0x7_0000_0010L, 0x7fff_0000_0000L, 0x7_0000_0020L, 0x10L},
            {0x7_0000_0004L, 0x7_0000_0000L, 0x7_0000_0018L, 0x7_0000_000cL},
            {0x7_0000_0000L, 0x7_0000_0000L + (20L << 30), 0x7_0000_0008L, 0x1_0000_0000L},
            {0x7_0000_0000L, 0x7_0000_0020L, 0x7_0000_0000L, 0x7_0000_0040L},
            // near the classes, so that the quotients fit, but 4-byte aligned: the log widens in its region
            {NODE + 0x1004, NODE + 0x1000, NODE + 0x1018, NODE + 0x100c}};
        for (long[] ids : shapes) {
            Path file = chain(ids);
            for (ParallelReadingTest.Setup setup : ParallelReadingTest.Setup.values()) {
                ParallelReadingTest.assertSameAsDefault(file, setup);
            }
        }
    }

    /** Nodes at ascending ids from a heap base, 16 bytes apart. */
    private static long[] ascending(long from, int n) {
        long[] ids = new long[n];
        for (int i = 0; i < n; i++) {
            ids[i] = from + 16L * i;
        }
        return ids;
    }

    @Test
    void aFewObjectsOutOfOrderAreKeptApartAndMergedIn() throws IOException {
        // in address order but for objects written late with lower ids (below the first, and between two
        // others), one out of alignment, and one id written twice
        long heap = 0x7_0000_0000L;
        long[] ids = ascending(heap + 0x100, 3000);
        ids[700] = heap;
        ids[1500] = heap + 0x100 + 16L * 100 + 8;
        ids[2000] = heap + 0x100 + 16L * 3000 + 4;
        ids[2999] = ids[10];
        Path file = chain(ids);
        for (ParallelReadingTest.Setup setup : ParallelReadingTest.Setup.values()) {
            ParallelReadingTest.assertSameAsDefault(file, setup);
        }
        // the misaligned id does not fit the shared log's 8-byte steps, and 4-byte steps from the classes far
        // below do not fit 32 bits: ids and positions go apart
        assertThat(ParallelReadingTest.idTable(file, ParallelReadingTest.Setup.SHARED_LOG_ONE_THREAD))
                .isEqualTo("WIDE");
        ids[2000] -= 4;
        file = chain(ids);
        for (ParallelReadingTest.Setup setup : ParallelReadingTest.Setup.values()) {
            ParallelReadingTest.assertSameAsDefault(file, setup);
        }
        assertThat(ParallelReadingTest.idTable(file, ParallelReadingTest.Setup.SHARED_LOG_ONE_THREAD))
                .isEqualTo("IN_PLACE");
        try (HeapDump dump = ParallelReadingTest.Setup.SHARED_LOG_ONE_THREAD.open(file)) {
            HeapGraph g = dump.graph();
            assertThat(dump.info().duplicateObjects()).isEqualTo(1);
            assertThat(g.objectCount()).isEqualTo(ids.length - 1 + 3);
            for (int o = 1; o < g.objectCount(); o++) {
                assertThat(g.objectId(o - 1)).isLessThan(g.objectId(o));
            }
            assertThat(g.fieldValue(g.objectIndex(heap), "value")).isEqualTo(700);
            assertThat(g.fieldValue(g.objectIndex(ids[10]), "value")).isEqualTo(10);
        }
    }

    @Test
    void objectsInTwoLongRunsOutOfOrderAreSortedAfterTheLogLeavesItsRegion() throws IOException {
        // as a heap whose young generation, at higher addresses, is written before its old one
        long heap = 0x7_0000_0000L;
        long[] young = ascending(heap + 0x10_0000, 2500);
        long[] old = ascending(heap, 2500);
        long[] ids = new long[5000];
        System.arraycopy(young, 0, ids, 0, 2500);
        System.arraycopy(old, 0, ids, 2500, 2500);
        Path file = chain(ids);
        for (ParallelReadingTest.Setup setup : ParallelReadingTest.Setup.values()) {
            ParallelReadingTest.assertSameAsDefault(file, setup);
        }
        assertThat(ParallelReadingTest.idTable(file, ParallelReadingTest.Setup.SHARED_LOG_ONE_THREAD))
                .isEqualTo("COPIED");
        assertChain(ids);
    }

    @Test
    void idsFarApart() throws IOException {
        assertChain(0x7_0000_0000L, 0x7_0000_0010L, 0x7fff_0000_0000L, 0x7_0000_0020L, 0x10L);
    }

    @Test
    void idsAlignedToFourBytes() throws IOException {
        assertChain(0x7_0000_0004L, 0x7_0000_0000L, 0x7_0000_0018L, 0x7_0000_000cL);
    }

    @Test
    void idsMoreThanSixteenGigabytesFromTheFirst() throws IOException {
        assertChain(0x7_0000_0000L, 0x7_0000_0000L + (20L << 30), 0x7_0000_0008L, 0x1_0000_0000L);
    }

    /**
     * Ids that are not addresses (Android's, or a tool's): far apart and in no order, some written twice. They are
     * sorted in the index's storage, in heap and in files alike, and of an id written twice the first is kept.
     */
    @Test
    void manyIdsFarApartInNoOrderAreSortedInTheStorageKeepingTheFirstOfEachDuplicate() throws IOException {
        int n = 40_000;
        java.util.Random random = new java.util.Random(16);
        java.util.Set<Long> distinct = new java.util.HashSet<>();
        long[] ids = new long[n];
        for (int i = 0; i < n; ) {
            long id = (random.nextLong() & 0x7fff_ffff_fff0L) | 0x1_0000_0000L;
            if (distinct.add(id)) {
                ids[i++] = id;
            }
        }
        int duplicates = 500;
        Path file = dir.resolve("unsorted-wide.hprof");
        BasicType[] fields = {BasicType.OBJECT, BasicType.INT};
        try (OutputStream out = Files.newOutputStream(file); HprofWriter w = new HprofWriter(out, 0)) {
            writeClasses(w);
            w.rootJniGlobal(ids[0]);
            for (int i = 0; i < n; i++) {
                w.instance(ids[i], NODE, fields, ids[(i + 1) % n], i);
                if (i % 80 == 79) { // an earlier object written again, with another value
                    w.instance(ids[i - 40], NODE, fields, 0, -1);
                }
            }
        }
        for (dev.refkit.heap.index.Storage.Mode mode : new dev.refkit.heap.index.Storage.Mode[] {
            dev.refkit.heap.index.Storage.Mode.HEAP, dev.refkit.heap.index.Storage.Mode.FILES}) {
            try (HeapDump dump = HeapDump.open(file, ProgressListener.NONE, mode, dir)) {
                HeapGraph g = dump.graph();
                assertThat(dump.info().duplicateObjects()).as("%s", mode).isEqualTo(duplicates);
                assertThat(g.objectCount()).isEqualTo(n + 3);
                assertThat(dump.histogram().entry("example.Node").instances()).isEqualTo(n);
                for (int o = 1; o < g.objectCount(); o++) {
                    assertThat(g.objectId(o)).isGreaterThan(g.objectId(o - 1));
                }
                for (int i = 0; i < n; i++) {
                    int node = g.objectIndex(ids[i]);
                    assertThat(node).as("index of 0x%x", ids[i]).isNotNegative();
                    assertThat(g.fieldValue(node, "value")).as("the first of 0x%x", ids[i]).isEqualTo(i);
                    assertThat(g.referenceTarget(g.firstReference(node) + 1))
                            .isEqualTo(g.objectIndex(ids[(i + 1) % n]));
                }
            }
        }
    }
}
