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

    @Test
    void objectsBeyondFourGigabytesReadAsInTheSmallDump() throws IOException {
        Path small = SyntheticHeap.write(dir.resolve("small.hprof"), 300);
        byte[] bytes = Files.readAllBytes(small);
        int header = 31;
        Path large = dir.resolve("large.hprof");
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

    private static List<String> rows(Histogram histogram) {
        return histogram.entries().stream().map(e -> e.className() + " " + e.instances() + " " + e.shallowBytes())
                .toList();
    }
}
