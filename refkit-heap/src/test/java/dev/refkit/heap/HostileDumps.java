package dev.refkit.heap;

import dev.refkit.heap.index.Antiqsort;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.GZIPOutputStream;

/**
 * Well-formed dumps that are hostile, or merely large in one dimension: the cases of issue 17, each written
 * in seconds, sparse where the file would be large. Every one is a valid HPROF file a reader must open, or
 * refuse with one line, in bounded time and memory.
 *
 * <p>{@code java -cp refkit-heap/target/classes:refkit-heap/target/test-classes dev.refkit.heap.HostileDumps
 * DIR} writes them all into DIR, for measuring by hand.
 */
final class HostileDumps {

    static final long OBJECT = 0x100;
    static final long CLASS = 0x200;
    /** The multiplier of the class tables' hash before it was seeded: ids that collide under it. */
    static final long GOLDEN = 0x9e37_79b9_7f4a_7c15L;

    private HostileDumps() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        Files.createDirectories(dir);
        collidingClasses(dir.resolve("colliding-100k.hprof"), 100_000, true);
        collidingClasses(dir.resolve("sequential-100k.hprof"), 100_000, false);
        adversarialStrings(dir.resolve("antiqsort-300k.hprof"), 300_000);
        wideHierarchy(dir.resolve("wide-hierarchy.hprof"), 65_535, 4_000);
        gzip(wideHierarchy(dir.resolve("wide-hierarchy-20k.hprof"), 65_535, 20_000),
                dir.resolve("wide-hierarchy-20k.hprof.gz"));
        hugeUtf8(dir.resolve("huge-utf8.hprof"));
        hugeStackTrace(dir.resolve("huge-stack-trace.hprof"));
        manyRoots(dir.resolve("roots-10m.hprof"), 10_000_000);
        emptySegments(dir.resolve("empty-segments-20m.hprof"), 20_000_000);
        longClassName(dir.resolve("class-name-200m.hprof"), 200 << 20);
    }

    /** A plain HPROF file written with absolute positions, so that gaps stay sparse. */
    static final class RawDump implements Closeable {
        final int idSize;
        private final FileChannel out;
        private long position;

        RawDump(Path file, int idSize) throws IOException {
            this.idSize = idSize;
            out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE);
            Bytes header = new Bytes(idSize);
            header.out.write("JAVA PROFILE 1.0.2".getBytes(StandardCharsets.US_ASCII));
            header.out.write(0);
            header.out.writeInt(idSize);
            header.out.writeLong(1_700_000_000_000L);
            write(header.toArray());
        }

        void write(byte[] bytes) throws IOException {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            while (b.hasRemaining()) {
                position += out.write(b, position);
            }
        }

        /** A top-level record whose body is {@code body} followed by {@code gap} bytes left unwritten (zeros). */
        void record(int tag, byte[] body, long gap) throws IOException {
            Bytes header = new Bytes(idSize);
            header.out.writeByte(tag);
            header.out.writeInt(0);
            header.out.writeInt((int) (body.length + gap));
            write(header.toArray());
            write(body);
            position += gap;
        }

        void record(int tag, Bytes body) throws IOException {
            record(tag, body.toArray(), 0);
        }

        /** UTF8 record. */
        void string(long id, String text) throws IOException {
            Bytes body = new Bytes(idSize);
            body.id(id);
            body.out.write(text.getBytes(StandardCharsets.UTF_8));
            record(0x01, body);
        }

        void loadClass(int serial, long classId, long nameId) throws IOException {
            Bytes body = new Bytes(idSize);
            body.out.writeInt(serial);
            body.id(classId);
            body.out.writeInt(0);
            body.id(nameId);
            record(0x02, body);
        }

        /** java.lang.Object and java.lang.Class, named, in a segment of their own. */
        void objectAndClass() throws IOException {
            string(1, "java/lang/Object");
            string(2, "java/lang/Class");
            objectAndClass(1, 2);
        }

        /** java.lang.Object and java.lang.Class, named by the strings of these ids, in a segment of their own. */
        void objectAndClass(long objectName, long className) throws IOException {
            loadClass(1, OBJECT, objectName);
            loadClass(2, CLASS, className);
            Bytes segment = new Bytes(idSize);
            segment.classDump(OBJECT, 0, 0, new long[0]);
            segment.classDump(CLASS, OBJECT, 0, new long[0]);
            record(0x1c, segment);
        }

        void end() throws IOException {
            record(0x2c, new byte[0], 0);
        }

        @Override
        public void close() throws IOException {
            out.truncate(position);
            if (out.size() < position) {
                out.write(ByteBuffer.allocate(1), position - 1);
            }
            out.close();
        }
    }

    /** Bytes of a record being put together. */
    static final class Bytes {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final DataOutputStream out = new DataOutputStream(bytes);
        final int idSize;

        Bytes(int idSize) {
            this.idSize = idSize;
        }

        void id(long id) throws IOException {
            if (idSize == 4) {
                out.writeInt((int) id);
            } else {
                out.writeLong(id);
            }
        }

        /** A CLASS_DUMP with no statics; {@code fields} holds (name id, type code) pairs. */
        void classDump(long id, long superId, int instanceSize, long[] fields) throws IOException {
            out.writeByte(0x20);
            id(id);
            out.writeInt(0);
            id(superId);
            for (int i = 0; i < 5; i++) {
                id(0);
            }
            out.writeInt(instanceSize);
            out.writeShort(0);
            out.writeShort(0);
            out.writeShort(fields.length / 2);
            for (int i = 0; i < fields.length; i += 2) {
                id(fields[i]);
                out.writeByte((int) fields[i + 1]);
            }
        }

        void instance(long id, long classId, int dataBytes) throws IOException {
            out.writeByte(0x21);
            id(id);
            out.writeInt(0);
            id(classId);
            out.writeInt(dataBytes);
            out.write(new byte[dataBytes]);
        }

        int size() {
            return bytes.size();
        }

        byte[] toArray() {
            return bytes.toByteArray();
        }
    }

    /**
     * {@code n} classes, each with one instance. Colliding ids are {@code i} times the inverse of the old hash
     * multiplier: multiplied by it they leave bits 32 and up zero, the bits both class tables took their slot
     * from, so that every id fell into one probe sequence; sequential ids are 16 apart.
     */
    static Path collidingClasses(Path file, int n, boolean colliding) throws IOException {
        long inverse = inverse(GOLDEN);
        try (RawDump w = new RawDump(file, 8)) {
            w.objectAndClass();
            w.string(3, "app/Crafted");
            long[] ids = new long[n];
            for (int i = 0; i < n; i++) {
                ids[i] = colliding ? (i + 1L) * inverse : 0x1_0000_0000L + 16L * i;
                w.loadClass(10 + i, ids[i], 3);
            }
            Bytes segment = new Bytes(8);
            for (int i = 0; i < n; i++) {
                segment.classDump(ids[i], OBJECT, 0, new long[0]);
                segment = flush(w, segment);
            }
            for (int i = 0; i < n; i++) {
                segment.instance(0x7_0000_0000L + 16L * i, ids[i], 0);
                segment = flush(w, segment);
            }
            w.record(0x1c, segment);
            w.end();
        }
        return file;
    }

    /** The multiplicative inverse of an odd number modulo 2^64 (Newton's iteration). */
    static long inverse(long odd) {
        long x = odd;
        for (int i = 0; i < 5; i++) {
            x *= 2 - odd * x;
        }
        return x;
    }

    private static Bytes flush(RawDump w, Bytes segment) throws IOException {
        if (segment.size() < (1 << 20)) {
            return segment;
        }
        w.record(0x1c, segment);
        return new Bytes(segment.idSize);
    }

    /** {@code n} UTF8 records whose ids come in the order McIlroy's adversary chose against a median-of-three sort. */
    static Path adversarialStrings(Path file, int n) throws IOException {
        long[] ids = Antiqsort.againstMedianOfThree(n);
        try (RawDump w = new RawDump(file, 8)) {
            for (int i = 0; i < n; i++) {
                w.string(1000 + ids[i], i == 0 ? "java/lang/Object" : i == 1 ? "java/lang/Class" : "s");
            }
            w.objectAndClass(1000 + ids[0], 1000 + ids[1]);
            w.end();
        }
        return file;
    }

    /**
     * A class with {@code fields} reference fields (all named by one string) and {@code subclasses} classes that
     * extend it and declare none.
     */
    static Path wideHierarchy(Path file, int fields, int subclasses) throws IOException {
        try (RawDump w = new RawDump(file, 8)) {
            w.objectAndClass();
            w.string(3, "f");
            w.string(4, "app/Wide");
            w.loadClass(3, 0x300, 4);
            long[] declared = new long[2 * fields];
            for (int i = 0; i < fields; i++) {
                declared[2 * i] = 3;
                declared[2 * i + 1] = 2;
            }
            Bytes segment = new Bytes(8);
            segment.classDump(0x300, OBJECT, 8 * fields, declared);
            for (int i = 0; i < subclasses; i++) {
                segment.classDump(0x1000 + 16L * i, 0x300, 8 * fields, new long[0]);
                segment = flush(w, segment);
            }
            w.record(0x1c, segment);
            w.end();
        }
        return file;
    }

    /** A UTF8 record of 2^31 - 1 bytes (sparse) that names a class. */
    static Path hugeUtf8(Path file) throws IOException {
        try (RawDump w = new RawDump(file, 8)) {
            Bytes id = new Bytes(8);
            id.id(9);
            w.record(0x01, id.toArray(), Integer.MAX_VALUE);
            w.objectAndClass();
            w.loadClass(3, 0x300, 9);
            Bytes segment = new Bytes(8);
            segment.classDump(0x300, OBJECT, 0, new long[0]);
            w.record(0x1c, segment);
            w.end();
        }
        return file;
    }

    /** A dump with 4-byte ids whose STACK_TRACE claims 10^9 frames (sparse: 4 GB of frame ids). */
    static Path hugeStackTrace(Path file) throws IOException {
        try (RawDump w = new RawDump(file, 4)) {
            Bytes trace = new Bytes(4);
            trace.out.writeInt(1);
            trace.out.writeInt(1);
            trace.out.writeInt(1_000_000_000);
            w.record(0x05, trace.toArray(), 4_000_000_000L);
            w.objectAndClass();
            w.end();
        }
        return file;
    }

    /** {@code n} ROOT_STICKY_CLASS records for java.lang.Object, in segments of about a megabyte. */
    static Path manyRoots(Path file, int n) throws IOException {
        try (RawDump w = new RawDump(file, 8)) {
            w.objectAndClass();
            Bytes segment = new Bytes(8);
            for (int i = 0; i < n; i++) {
                segment.out.writeByte(0x05);
                segment.id(OBJECT);
                segment = flush(w, segment);
            }
            w.record(0x1c, segment);
            w.end();
        }
        return file;
    }

    /** {@code n} empty HEAP_DUMP_SEGMENT records before the classes. */
    static Path emptySegments(Path file, int n) throws IOException {
        try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            DataOutputStream data = new DataOutputStream(out);
            data.write("JAVA PROFILE 1.0.2".getBytes(StandardCharsets.US_ASCII));
            data.write(0);
            data.writeInt(8);
            data.writeLong(0);
            for (int i = 0; i < n; i++) {
                data.writeByte(0x1c);
                data.writeInt(0);
                data.writeInt(0);
            }
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            Path rest = Files.createTempFile(file.getParent(), "rest", ".hprof");
            try (RawDump w = new RawDump(rest, 8)) {
                w.objectAndClass();
                w.end();
            }
            byte[] bytes = Files.readAllBytes(rest);
            Files.delete(rest);
            channel.write(ByteBuffer.wrap(bytes, 31, bytes.length - 31));
        }
        return file;
    }

    /** A class named by a string of {@code length} bytes. */
    static Path longClassName(Path file, int length) throws IOException {
        try (RawDump w = new RawDump(file, 8)) {
            byte[] body = new byte[8 + length];
            ByteBuffer.wrap(body).putLong(9);
            java.util.Arrays.fill(body, 8, body.length, (byte) 'a');
            w.record(0x01, body, 0);
            w.objectAndClass();
            w.loadClass(3, 0x300, 9);
            Bytes segment = new Bytes(8);
            segment.classDump(0x300, OBJECT, 0, new long[0]);
            w.record(0x1c, segment);
            w.end();
        }
        return file;
    }

    static Path gzip(Path file, Path target) throws IOException {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(target), 1 << 16)) {
            Files.copy(file, out);
        }
        return target;
    }
}
