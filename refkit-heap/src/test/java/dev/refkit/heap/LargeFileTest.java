package dev.refkit.heap;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A dump whose objects lie beyond 4 GB in the file, across several 1 GB mappings: two 2 GB string records
 * (a sparse file, so the disk holds only the small dump) come before the heap.
 */
class LargeFileTest {

    private static final long HUGE_STRING = 1L << 31;

    @TempDir
    Path dir;

    /** The small dump with two 2 GB strings put in ahead of its records. */
    private Path far(Path small, String name) throws IOException {
        byte[] bytes = Files.readAllBytes(small);
        int header = 31;
        Path large = dir.resolve(name);
        try (RandomAccessFile out = new RandomAccessFile(large.toFile(), "rw")) {
            out.write(bytes, 0, header);
            long at = header;
            for (int i = 0; i < 2; i++) {
                out.seek(at);
                out.writeByte(0x01);
                out.writeInt(0);
                out.writeInt((int) HUGE_STRING);
                out.writeLong(0x7fff_0000L + i);
                at += 9 + HUGE_STRING;
            }
            out.seek(at);
            out.write(bytes, header, bytes.length - header);
        }
        assertThat(Files.size(large)).isGreaterThan(1L << 32);
        return large;
    }

    @Test
    void objectsBeyondFourGigabytesReadAsInTheSmallDump() throws IOException {
        Path small = SyntheticHeap.write(dir.resolve("small.hprof"), 300);
        Path large = far(small, "large.hprof");
        try (HeapDump plain = HeapDump.open(small); HeapDump far = HeapDump.open(large)) {
            assertThat(far.info().objectCount()).isEqualTo(plain.info().objectCount());
            assertThat(far.info().referenceCount()).isEqualTo(plain.info().referenceCount());
            assertThat(rows(far.histogram())).isEqualTo(rows(plain.histogram()));
            HeapGraph g = far.graph();
            for (int o = 0; o < g.objectCount(); o++) {
                assertThat(g.stringValue(o)).isEqualTo(plain.graph().stringValue(o));
            }
            assertThat(far.info().indexBytesPerObject()).isGreaterThan(plain.info().indexBytesPerObject());
        }
        // and the same on every reader setup: shared log, threads, buckets on two threads
        for (ParallelReadingTest.Setup setup : ParallelReadingTest.Setup.values()) {
            ParallelReadingTest.assertSameAsDefault(large, setup);
        }
    }

    @Test
    void objectsInAddressOrderBeyondFourGigabytesStayInTheSharedLog() throws IOException {
        // no object out of order: the logs stay in their regions, whose entries are converted in place (the
        // positions' bits 32..39 are kept in the logs' order, so the logs keep no strays in such a file)
        long object = 0x1000_0000L;
        long bytesClass = object + 0x100;
        Path small = dir.resolve("ordered.hprof");
        try (java.io.OutputStream out = Files.newOutputStream(small);
             HprofWriter w = new HprofWriter(out, 0, "1.0.2", 4096)) {
            w.loadClass(1, object, "java/lang/Object");
            w.loadClass(2, object + 0x200, "java/lang/Class");
            w.loadClass(3, bytesClass, "[B");
            HprofWriter.Field[] none = {};
            w.classDump(object, 0, 0, 0, none, none);
            w.classDump(object + 0x200, object, 0, 0, none, none);
            w.classDump(bytesClass, object, 0, 0, none, none);
            for (int i = 0; i < 3000; i++) {
                w.byteArray(0x7_0000_0000L + 32L * i, new byte[i % 9]);
            }
            w.rootJniGlobal(0x7_0000_0000L);
        }
        Path large = far(small, "ordered-large.hprof");
        for (ParallelReadingTest.Setup setup : ParallelReadingTest.Setup.values()) {
            ParallelReadingTest.assertSameAsDefault(large, setup);
        }
        assertThat(ParallelReadingTest.idTable(large, ParallelReadingTest.Setup.SHARED_LOG_ONE_THREAD))
                .isEqualTo("CONVERTED");
        assertThat(ParallelReadingTest.idTable(small, ParallelReadingTest.Setup.SHARED_LOG_ONE_THREAD))
                .isEqualTo("IN_PLACE");
        try (HeapDump dump = ParallelReadingTest.Setup.SHARED_LOG_PARALLEL.open(large)) {
            assertThat(dump.info().objectCount()).isEqualTo(3003);
            assertThat(dump.graph().arrayLength(dump.graph().objectIndex(0x7_0000_0000L + 32L * 2999))).isEqualTo(2999 % 9);
        }
    }

    private static List<String> rows(Histogram histogram) {
        return histogram.entries().stream().map(e -> e.className() + " " + e.instances() + " " + e.shallowBytes())
                .toList();
    }
}
