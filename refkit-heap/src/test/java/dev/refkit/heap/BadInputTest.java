package dev.refkit.heap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.refkit.heap.hprof.BasicType;
import dev.refkit.heap.hprof.HprofFormatException;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files that are not valid dumps end in an HprofFormatException that says where and what. */
class BadInputTest {

    @TempDir
    Path dir;

    private Path file(String name, byte[] content) throws IOException {
        return Files.write(dir.resolve(name), content);
    }

    private static byte[] header(int idSize) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.write("JAVA PROFILE 1.0.2".getBytes(StandardCharsets.US_ASCII));
        out.write(0);
        out.writeInt(idSize);
        out.writeLong(0);
        return bytes.toByteArray();
    }

    /** A header and one top-level record with the given tag, declared length and body. */
    private static byte[] dumpWithRecord(int tag, int declaredLength, byte[] body) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.write(header(8));
        out.writeByte(tag);
        out.writeInt(0);
        out.writeInt(declaredLength);
        out.write(body);
        return bytes.toByteArray();
    }

    private static HprofFormatException failure(Path file) {
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> HeapDump.open(file).close());
        assertThat(t).isInstanceOf(HprofFormatException.class);
        HprofFormatException e = (HprofFormatException) t;
        assertThat(e.getMessage()).contains(file.getFileName().toString()).contains("offset");
        assertThat(e.file()).isEqualTo(file);
        return e;
    }

    @Test
    void anEmptyFileIsNotAHeapDump() throws IOException {
        assertThat(failure(file("empty.hprof", new byte[0])).getMessage()).contains("not an HPROF heap dump");
    }

    @Test
    void aZipFileIsNotAHeapDump() throws IOException {
        byte[] zip = {'P', 'K', 3, 4, 20, 0, 0, 0, 8, 0};
        assertThat(failure(file("archive.hprof", zip)).getMessage()).contains("not an HPROF heap dump");
    }

    @Test
    void anIdentifierSizeOtherThanFourOrEightIsRejected() throws IOException {
        HprofFormatException e = failure(file("ids.hprof", header(3)));
        assertThat(e.getMessage()).contains("identifier size 3");
        assertThat(e.offset()).isEqualTo(19);
    }

    @Test
    void aHeaderCutShortIsTruncated() throws IOException {
        byte[] header = header(8);
        assertThat(failure(file("short.hprof", Arrays.copyOf(header, header.length - 3))).getMessage())
                .contains("truncated header");
    }

    @Test
    void anUnknownRecordTagIsNamedWithItsOffset() throws IOException {
        HprofFormatException e = failure(file("tag.hprof", dumpWithRecord(0x77, 0, new byte[0])));
        assertThat(e.getMessage()).contains("unknown record tag 0x77");
        assertThat(e.offset()).isEqualTo(31);
    }

    @Test
    void aRecordLengthBeyondTheFileIsNeverAllocated() throws IOException {
        HprofFormatException e = failure(file("length.hprof", dumpWithRecord(0x01, Integer.MAX_VALUE, new byte[12])));
        assertThat(e.getMessage()).contains("UTF8").contains("exceeds the file");
        assertThat(e.record()).isEqualTo("UTF8");
    }

    @Test
    void anUnknownHeapSubRecordIsNamed() throws IOException {
        HprofFormatException e = failure(file("sub.hprof", dumpWithRecord(0x1c, 1, new byte[] {0x55})));
        assertThat(e.getMessage()).contains("unknown heap dump sub-record tag 0x55");
        assertThat(e.offset()).isEqualTo(40);
    }

    @Test
    void anArrayLongerThanItsSegmentIsTruncatedContent() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(body);
        out.writeByte(0x23);
        out.writeLong(0x1000);
        out.writeInt(0);
        out.writeInt(0xffff_fff0);
        out.writeByte(8);
        HprofFormatException e = failure(file("array.hprof", dumpWithRecord(0x1c, body.size(), body.toByteArray())));
        assertThat(e.getMessage()).contains("PRIM_ARRAY_DUMP").contains("truncated content");
    }

    @Test
    void anInstanceOfAClassTheDumpLacksIsRejected() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(body);
        out.writeByte(0x21);
        out.writeLong(0x1000);
        out.writeInt(0);
        out.writeLong(0x2000);
        out.writeInt(0);
        byte[] dump = dumpWithRecord(0x1c, body.size(), body.toByteArray());
        byte[] withEnd = Arrays.copyOf(dump, dump.length + 9);
        withEnd[dump.length] = 0x2c;
        assertThat(failure(file("orphan.hprof", withEnd)).getMessage()).contains("java.lang.Class");
    }

    /** Writes java.lang.Object, java.lang.Class and what {@code body} adds, then returns the file. */
    private Path dumpWith(String name, HprofBody body) throws IOException {
        Path file = dir.resolve(name);
        try (java.io.OutputStream out = Files.newOutputStream(file); HprofWriter w = new HprofWriter(out, 0)) {
            w.loadClass(1, 0x100, "java/lang/Object");
            w.loadClass(2, 0x200, "java/lang/Class");
            HprofWriter.Field[] none = {};
            w.classDump(0x100, 0, 0, 0, none, none);
            w.classDump(0x200, 0x100, 0, 0, none, none);
            body.write(w);
        }
        return file;
    }

    private interface HprofBody {
        void write(HprofWriter w) throws IOException;
    }

    /** The byte at the offset an exception names, and the id after it: the record it blames. */
    private static void assertOffsetIsRecord(Path file, HprofFormatException e, int tag, long id) throws IOException {
        java.nio.ByteBuffer bytes = java.nio.ByteBuffer.wrap(Files.readAllBytes(file));
        assertThat(bytes.get((int) e.offset()) & 0xff).isEqualTo(tag);
        assertThat(bytes.getLong((int) e.offset() + 1)).isEqualTo(id);
    }

    @Test
    void anInstanceWhoseClassHasNoClassDumpIsRejectedWhenOpened() throws IOException {
        Path file = dumpWith("missing-class.hprof", w -> {
            w.instance(0x1000, 0x100, new BasicType[0]);
            w.instance(0x1010, 0x777, new BasicType[0]);
        });
        HprofFormatException e = failure(file);
        assertThat(e.getMessage()).contains("INSTANCE_DUMP").contains("class id 0x777, which has no CLASS_DUMP");
        assertOffsetIsRecord(file, e, 0x21, 0x1010);
    }

    @Test
    void anInstanceWithLessDataThanItsFieldsIsRejectedWhenOpened() throws IOException {
        Path file = dumpWith("short-instance.hprof", w -> {
            w.loadClass(3, 0x300, "example/Point");
            HprofWriter.Field[] fields = {
                new HprofWriter.Field("x", BasicType.INT, 0),
                new HprofWriter.Field("y", BasicType.LONG, 0)};
            w.classDump(0x300, 0x100, 0, 12, new HprofWriter.Field[0], fields);
            w.instance(0x1000, 0x300, new BasicType[] {
                BasicType.INT, BasicType.LONG}, 1, 2);
            w.instance(0x1020, 0x300, new BasicType[] {BasicType.INT}, 1);
        });
        HprofFormatException e = failure(file);
        assertThat(e.getMessage()).contains("instance data of 4 bytes for class example.Point (its fields need 12)");
        assertOffsetIsRecord(file, e, 0x21, 0x1020);
    }

    @Test
    void anObjectArrayOfAnUnknownClassIsRejectedWithoutObjectArrays() throws IOException {
        Path file = dumpWith("unknown-array-class.hprof", w -> w.objectArray(0x1000, 0x888, 0x100));
        HprofFormatException e = failure(file);
        assertThat(e.getMessage()).contains("OBJ_ARRAY_DUMP").contains("array class id 0x888, which has no CLASS_DUMP");
        assertOffsetIsRecord(file, e, 0x22, 0x1000);
    }

    @Test
    void anObjectArrayOfAnUnknownClassCountsAsObjectArrayWhenThereIsOne() throws IOException {
        Path file = dumpWith("fallback-array-class.hprof", w -> {
            w.loadClass(3, 0x300, "[Ljava/lang/Object;");
            w.classDump(0x300, 0x100, 0, 0, new HprofWriter.Field[0], new HprofWriter.Field[0]);
            w.objectArray(0x1000, 0x888, 0x100, 0x200, 0);
        });
        try (HeapDump dump = HeapDump.open(file)) {
            HeapGraph g = dump.graph();
            int array = g.objectIndex(0x1000);
            assertThat(g.classOf(array).name()).isEqualTo("java.lang.Object[]");
            assertThat(dump.histogram().entry("java.lang.Object[]").instances()).isEqualTo(1);
            assertThat(dump.histogram().entry("java.lang.Object[]").shallowBytes()).isEqualTo(g.shallowSize(array));
            g.firstReference(0);
            assertThat(g.classOf(array).name()).isEqualTo("java.lang.Object[]");
        }
    }

    @Test
    void ofSeveralFaultsTheFirstInTheFileIsReported() throws IOException {
        Path file = dumpWith("two-faults.hprof", w -> {
            w.loadClass(3, 0x300, "example/Point");
            HprofWriter.Field[] fields = {new HprofWriter.Field("x", BasicType.LONG, 0)};
            w.classDump(0x300, 0x100, 0, 8, new HprofWriter.Field[0], fields);
            w.instance(0x1000, 0x300, new BasicType[0]);
            w.instance(0x1010, 0x777, new BasicType[0]);
        });
        HprofFormatException e = failure(file);
        assertThat(e.getMessage()).contains("instance data of 0 bytes for class example.Point");
        assertOffsetIsRecord(file, e, 0x21, 0x1000);
    }

    @Test
    void aClassWhoseSuperClassIsMissingIsRejected() throws IOException {
        Path file = dir.resolve("super.hprof");
        try (java.io.OutputStream out = Files.newOutputStream(file); HprofWriter w = new HprofWriter(out, 0)) {
            w.loadClass(1, 0x100, "java/lang/Object");
            w.loadClass(2, 0x200, "java/lang/Class");
            w.loadClass(3, 0x300, "example/Orphan");
            HprofWriter.Field[] none = {};
            w.classDump(0x100, 0, 0, 0, none, none);
            w.classDump(0x200, 0x100, 0, 0, none, none);
            w.classDump(0x300, 0x999, 0, 0, none, none);
        }
        assertThat(failure(file).getMessage()).contains("super class id 0x999 of class example.Orphan");
    }

    @Test
    void aClassHierarchyThousandsDeepIsRejectedQuickly() throws IOException {
        Path file = dir.resolve("deep.hprof");
        try (java.io.OutputStream out = Files.newOutputStream(file); HprofWriter w = new HprofWriter(out, 0)) {
            w.loadClass(1, 0x100, "java/lang/Object");
            w.loadClass(2, 0x200, "java/lang/Class");
            HprofWriter.Field[] none = {};
            HprofWriter.Field[] one = {new HprofWriter.Field("f", BasicType.INT)};
            w.classDump(0x100, 0, 0, 0, none, none);
            w.classDump(0x200, 0x100, 0, 0, none, none);
            for (int i = 1; i <= 20_000; i++) {
                w.classDump(0x1000L + 8L * i, i == 1 ? 0x100 : 0x1000L + 8L * (i - 1), 0, 4, none, one);
            }
        }
        assertThat(failure(file).getMessage()).contains("more than 256 super classes");
    }

    @Test
    void aSegmentedDumpWithoutItsEndRecordIsIncomplete() throws IOException {
        assertThat(failure(file("noend.hprof", dumpWithRecord(0x1c, 0, new byte[0]))).getMessage())
                .contains("no HEAP_DUMP_END");
    }

    @Test
    void aFileWithoutAHeapDumpSaysSo() throws IOException {
        assertThat(failure(file("noheap.hprof", header(8))).getMessage()).contains("no HEAP_DUMP");
    }

    @Test
    void aTruncatedGzipStreamIsReported(@TempDir Path tmp) throws IOException {
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(compressed)) {
            gz.write(Files.readAllBytes(SyntheticHeap.write(tmp.resolve("s.hprof"), 200)));
        }
        byte[] bytes = compressed.toByteArray();
        Path cut = file("cut.hprof.gz", Arrays.copyOf(bytes, bytes.length / 2));
        assertThat(failure(cut).getMessage()).contains("gzip stream");
    }

    @Test
    void aDumpThatReadsCompletelyIsNotRejected(@TempDir Path tmp) throws IOException {
        assertThatThrownBy(() -> {
            try (HeapDump dump = HeapDump.open(SyntheticHeap.write(tmp.resolve("ok.hprof"), 10))) {
                throw new IllegalStateException("opened " + dump.info().objectCount());
            }
        }).hasMessageStartingWith("opened");
    }
}
