package dev.refkit.bench;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;

/**
 * Writes an HPROF 1.0.2 file front to back in bounded memory (about 1.1 MB of buffers, whatever the file's size),
 * for {@link LargeDumpWriter}.
 *
 * <p>Top-level records (UTF8, LOAD_CLASS, STACK_FRAME, STACK_TRACE) go through a small buffer; heap sub-records
 * are gathered into a HEAP_DUMP_SEGMENT that is closed once it holds {@link #SEGMENT_BYTES} or more, as HotSpot
 * writes them. A sub-record longer than {@link #LARGE_SUB_RECORD} (a big object array) gets a segment of its own
 * whose length is written first and whose bytes then stream through the buffer, so no sub-record is ever held
 * whole. A sub-record is started with {@link #begin(long)}, which is given its exact length, and its content is
 * put with the {@code u1 .. id} methods; the streamed ones ({@link #element}, {@link #bytes}) may follow a large
 * begin, the others only an ordinary one, and {@link #end()} closes either.
 *
 * <p>Without a file (see {@link #counting}) nothing is written and only {@link #position()} advances: the way to
 * learn a dump's size and counts without the disk.
 */
final class HprofStream implements Closeable {

    /** A heap dump segment is closed once it holds this many bytes, as HotSpot's are (about 1 MB). */
    static final int SEGMENT_BYTES = 1 << 20;
    /** Longer sub-records get a segment of their own. */
    static final int LARGE_SUB_RECORD = 64 << 10;

    static final int TAG_UTF8 = 0x01;
    static final int TAG_LOAD_CLASS = 0x02;
    static final int TAG_STACK_FRAME = 0x04;
    static final int TAG_STACK_TRACE = 0x05;
    static final int TAG_HEAP_DUMP_SEGMENT = 0x1c;
    static final int TAG_HEAP_DUMP_END = 0x2c;

    static final int ROOT_JNI_GLOBAL = 0x01;
    static final int ROOT_JAVA_FRAME = 0x03;
    static final int ROOT_STICKY_CLASS = 0x05;
    static final int ROOT_THREAD_OBJECT = 0x08;
    static final int CLASS_DUMP = 0x20;
    static final int INSTANCE_DUMP = 0x21;
    static final int OBJECT_ARRAY_DUMP = 0x22;
    static final int PRIMITIVE_ARRAY_DUMP = 0x23;

    private static final int RECORD_HEADER = 9;
    private static final byte[] ZEROS = new byte[8192];

    private final FileChannel channel;
    private final int idSize;
    private final ByteBuffer top = ByteBuffer.allocateDirect(64 << 10);
    private final ByteBuffer segment = ByteBuffer.allocateDirect(SEGMENT_BYTES + LARGE_SUB_RECORD);
    private final ByteBuffer segmentHeader = ByteBuffer.allocateDirect(RECORD_HEADER);
    private final ByteBuffer[] gather = {segmentHeader, segment};
    /** Bytes handed to the file (or counted, without one). */
    private long written;
    /** Bytes of the large sub-record being streamed still to come; -1 outside one. */
    private long largeRemaining = -1;
    private long nextSymbol;
    private final Map<String, Long> symbols = new HashMap<>();
    private final long symbolStep;

    private HprofStream(FileChannel channel, int idSize, long timestamp) {
        if (idSize != 4 && idSize != 8) {
            throw new IllegalArgumentException("identifier size " + idSize + "; HPROF has 4 or 8");
        }
        this.channel = channel;
        this.idSize = idSize;
        // symbols are ids of their own, addresses of the VM's symbol table in a HotSpot dump
        this.nextSymbol = idSize == 8 ? 0x7f3a_2c00_1000L : 0x100;
        this.symbolStep = idSize == 8 ? 0x28 : 0x8;
        top.put("JAVA PROFILE 1.0.2".getBytes(StandardCharsets.US_ASCII)).put((byte) 0);
        top.putInt(idSize).putLong(timestamp);
    }

    /** A stream that creates (or replaces) {@code file}. */
    static HprofStream create(Path file, int idSize, long timestamp) throws IOException {
        return new HprofStream(FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING), idSize, timestamp);
    }

    /** A stream that writes nothing and only counts bytes. */
    static HprofStream counting(int idSize, long timestamp) {
        return new HprofStream(null, idSize, timestamp);
    }

    int idSize() {
        return idSize;
    }

    /** Bytes of the file so far, those still buffered included. */
    long position() {
        long buffered = top.position();
        if (largeRemaining >= 0 || segment.position() > 0) {
            buffered += segment.position() + (largeRemaining >= 0 ? 0 : RECORD_HEADER);
        }
        return written + buffered;
    }

    // ---- top-level records ----

    /** The id of a symbol, written as a UTF8 record the first time it is asked for. */
    long symbol(String text) throws IOException {
        Long known = symbols.get(text);
        if (known != null) {
            return known;
        }
        long id = utf8(text);
        symbols.put(text, id);
        return id;
    }

    /** A UTF8 record; returns the symbol's id. */
    long utf8(String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        long id = nextSymbol;
        nextSymbol += symbolStep;
        record(TAG_UTF8, idSize + bytes.length);
        putId(top, id);
        top.put(bytes);
        return id;
    }

    void loadClass(int serial, long classId, long nameId) throws IOException {
        record(TAG_LOAD_CLASS, 4 + idSize + 4 + idSize);
        top.putInt(serial);
        putId(top, classId);
        top.putInt(0);
        putId(top, nameId);
    }

    void stackFrame(long frameId, long method, long signature, long sourceFile, int classSerial, int line)
            throws IOException {
        record(TAG_STACK_FRAME, 4L * idSize + 8);
        putId(top, frameId);
        putId(top, method);
        putId(top, signature);
        putId(top, sourceFile);
        top.putInt(classSerial).putInt(line);
    }

    void stackTrace(int serial, int threadSerial, long... frames) throws IOException {
        record(TAG_STACK_TRACE, 12L + (long) idSize * frames.length);
        top.putInt(serial).putInt(threadSerial).putInt(frames.length);
        for (long f : frames) {
            putId(top, f);
        }
    }

    private void record(int tag, long length) throws IOException {
        if (length + RECORD_HEADER > top.capacity()) {
            throw new IllegalArgumentException("a top-level record of " + length + " bytes is longer than "
                    + top.capacity() + "; this writer keeps those small");
        }
        flushSegment();
        if (top.remaining() < length + RECORD_HEADER) {
            flushTop();
        }
        top.put((byte) tag).putInt(0).putInt((int) length);
    }

    private void putId(ByteBuffer buffer, long id) {
        if (idSize == 8) {
            buffer.putLong(id);
        } else {
            buffer.putInt((int) id);
        }
    }

    // ---- heap sub-records ----

    /**
     * Starts a heap sub-record of exactly {@code bytes} bytes (tag included). An ordinary one joins the open
     * segment (a new one if that holds {@link #SEGMENT_BYTES} already); a large one is a segment of its own.
     */
    void begin(long bytes) throws IOException {
        if (largeRemaining >= 0) {
            throw new IllegalStateException("a large sub-record is still open (" + largeRemaining + " bytes to come)");
        }
        if (bytes <= LARGE_SUB_RECORD) {
            if (segment.position() >= SEGMENT_BYTES || segment.remaining() < bytes) {
                flushSegment();
            }
            return;
        }
        if (bytes > 0xffff_ffffL - RECORD_HEADER) {
            throw new IllegalArgumentException("a sub-record of " + bytes + " bytes does not fit a segment's u4 length");
        }
        flushSegment();
        flushTop();
        segmentHeader.clear();
        segmentHeader.put((byte) TAG_HEAP_DUMP_SEGMENT).putInt(0).putInt((int) bytes).flip();
        write(segmentHeader);
        largeRemaining = bytes;
    }

    /** Ends the sub-record begun last; for a large one, checks that all its bytes came. */
    void end() throws IOException {
        if (largeRemaining < 0) {
            return;
        }
        long remaining = largeRemaining - segment.position();
        if (remaining != 0) {
            throw new IllegalStateException("a large sub-record ended " + remaining + " bytes short of its length");
        }
        segment.flip();
        write(segment);
        segment.clear();
        largeRemaining = -1;
    }

    void u1(int v) {
        segment.put((byte) v);
    }

    void u2(int v) {
        segment.putShort((short) v);
    }

    void u4(int v) {
        segment.putInt(v);
    }

    void u8(long v) {
        segment.putLong(v);
    }

    void f4(float v) {
        segment.putFloat(v);
    }

    void id(long v) {
        if (idSize == 8) {
            segment.putLong(v);
        } else {
            segment.putInt((int) v);
        }
    }

    /** An element of an object array: may follow a large {@link #begin}. */
    void element(long v) throws IOException {
        if (segment.remaining() < idSize) {
            spill();
        }
        id(v);
    }

    /** Elements {@code ids[0 .. n - 1]} of an object array: may follow a large {@link #begin}. */
    void elements(long[] ids, int n) throws IOException {
        int i = 0;
        while (i < n) {
            if (segment.remaining() < idSize) {
                spill();
            }
            int k = Math.min(n - i, segment.remaining() / idSize);
            if (idSize == 8) {
                segment.asLongBuffer().put(ids, i, k);
                segment.position(segment.position() + 8 * k);
            } else {
                for (int j = i; j < i + k; j++) {
                    segment.putInt((int) ids[j]);
                }
            }
            i += k;
        }
    }

    /** {@code n} null elements of an object array: may follow a large {@link #begin}. */
    void nulls(long n) throws IOException {
        long bytes = n * idSize;
        while (bytes > 0) {
            if (!segment.hasRemaining()) {
                spill();
            }
            int k = (int) Math.min(Math.min(bytes, segment.remaining()), ZEROS.length);
            segment.put(ZEROS, 0, k);
            bytes -= k;
        }
    }

    /** Raw bytes of a primitive array: may follow a large {@link #begin}. */
    void bytes(byte[] source, int offset, int length) throws IOException {
        while (length > 0) {
            if (!segment.hasRemaining()) {
                spill();
            }
            int n = Math.min(length, segment.remaining());
            segment.put(source, offset, n);
            offset += n;
            length -= n;
        }
    }

    /** The buffer is full in the middle of a large sub-record: hands what it holds to the file. */
    private void spill() throws IOException {
        if (largeRemaining < 0) {
            throw new IllegalStateException("a sub-record wrote past the length given to begin()");
        }
        largeRemaining -= segment.position();
        segment.flip();
        write(segment);
        segment.clear();
    }

    private void flushSegment() throws IOException {
        if (segment.position() == 0) {
            return;
        }
        flushTop();
        segmentHeader.clear();
        segmentHeader.put((byte) TAG_HEAP_DUMP_SEGMENT).putInt(0).putInt(segment.position()).flip();
        segment.flip();
        write(gather);
        segment.clear();
    }

    private void flushTop() throws IOException {
        if (top.position() > 0) {
            top.flip();
            write(top);
            top.clear();
        }
    }

    private void write(ByteBuffer... buffers) throws IOException {
        for (ByteBuffer b : buffers) {
            written += b.remaining();
        }
        if (channel == null) {
            for (ByteBuffer b : buffers) {
                b.position(b.limit());
            }
            return;
        }
        while (buffers[buffers.length - 1].hasRemaining()) {
            channel.write(buffers);
        }
    }

    /** Writes the open segment and HEAP_DUMP_END. */
    @Override
    public void close() throws IOException {
        try {
            if (largeRemaining >= 0) {
                throw new IllegalStateException("closed in the middle of a large sub-record");
            }
            flushSegment();
            record(TAG_HEAP_DUMP_END, 0);
            flushTop();
        } finally {
            if (channel != null) {
                channel.close();
            }
        }
    }
}
