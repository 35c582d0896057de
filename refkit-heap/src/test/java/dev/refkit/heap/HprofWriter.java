package dev.refkit.heap;

import dev.refkit.heap.hprof.BasicType;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes an HPROF 1.0.2 file record by record, with 8-byte ids: synthetic dumps for tests, fuzzing seeds
 * and the large benchmark dump. Heap sub-records are gathered into HEAP_DUMP_SEGMENTs of about 1 MB.
 */
final class HprofWriter implements Closeable {

    static final int SEGMENT_BYTES = 1 << 20;

    private final DataOutputStream out;
    private final int segmentLimit;
    private final ByteArrayOutputStream segmentBytes = new ByteArrayOutputStream(SEGMENT_BYTES + 4096);
    private final DataOutputStream segment = new DataOutputStream(segmentBytes);
    private long nextStringId = 1;

    HprofWriter(OutputStream target, long timestamp) throws IOException {
        this(target, timestamp, "1.0.2");
    }

    HprofWriter(OutputStream target, long timestamp, String version) throws IOException {
        this(target, timestamp, version, SEGMENT_BYTES);
    }

    /** @param segmentLimit bytes after which a segment is closed (the last sub-record may go past it) */
    HprofWriter(OutputStream target, long timestamp, String version, int segmentLimit) throws IOException {
        this.segmentLimit = segmentLimit;
        out = new DataOutputStream(new BufferedOutputStream(target, 1 << 16));
        out.write(("JAVA PROFILE " + version).getBytes(StandardCharsets.US_ASCII));
        out.write(0);
        out.writeInt(8);
        out.writeLong(timestamp);
    }

    /**
     * Writes a UTF8 record; returns its id. The record goes ahead of the heap dump segment being gathered
     * (as HotSpot writes every string before the heap), so that segments stay contiguous: the NetBeans
     * profiler library reads all segments as one run of sub-records.
     */
    long string(String text) throws IOException {
        long id = nextStringId++;
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        header(0x01, 8 + bytes.length);
        out.writeLong(id);
        out.write(bytes);
        return id;
    }

    void loadClass(int serial, long classId, String vmName) throws IOException {
        long name = string(vmName);
        record(0x02, 4 + 8 + 4 + 8);
        out.writeInt(serial);
        out.writeLong(classId);
        out.writeInt(0);
        out.writeLong(name);
    }

    void stackFrame(long frameId, String method, String signature, String sourceFile, int classSerial, int line)
            throws IOException {
        long m = string(method);
        long s = string(signature);
        long f = string(sourceFile);
        record(0x04, 4 * 8 + 8);
        out.writeLong(frameId);
        out.writeLong(m);
        out.writeLong(s);
        out.writeLong(f);
        out.writeInt(classSerial);
        out.writeInt(line);
    }

    void stackTrace(int serial, int threadSerial, long... frameIds) throws IOException {
        record(0x05, 12 + 8 * frameIds.length);
        out.writeInt(serial);
        out.writeInt(threadSerial);
        out.writeInt(frameIds.length);
        for (long f : frameIds) {
            out.writeLong(f);
        }
    }

    private void record(int tag, long length) throws IOException {
        flushSegment();
        header(tag, length);
    }

    private void header(int tag, long length) throws IOException {
        out.writeByte(tag);
        out.writeInt(0);
        out.writeInt((int) length);
    }

    /** A field or static of a class dump: name and type, with a value for statics. */
    record Field(String name, BasicType type, long value) {
        Field(String name, BasicType type) {
            this(name, type, 0);
        }
    }

    void classDump(long id, long superId, long loaderId, int instanceSize, Field[] statics, Field[] fields)
            throws IOException {
        long[] staticNames = new long[statics.length];
        for (int i = 0; i < statics.length; i++) {
            staticNames[i] = string(statics[i].name());
        }
        long[] fieldNames = new long[fields.length];
        for (int i = 0; i < fields.length; i++) {
            fieldNames[i] = string(fields[i].name());
        }
        segment.writeByte(0x20);
        segment.writeLong(id);
        segment.writeInt(0);
        segment.writeLong(superId);
        segment.writeLong(loaderId);
        segment.writeLong(0);
        segment.writeLong(0);
        segment.writeLong(0);
        segment.writeLong(0);
        segment.writeInt(instanceSize);
        segment.writeShort(0);
        segment.writeShort(statics.length);
        for (int i = 0; i < statics.length; i++) {
            segment.writeLong(staticNames[i]);
            segment.writeByte(statics[i].type().code());
            value(statics[i].type(), statics[i].value());
        }
        segment.writeShort(fields.length);
        for (int i = 0; i < fields.length; i++) {
            segment.writeLong(fieldNames[i]);
            segment.writeByte(fields[i].type().code());
        }
        maybeFlush();
    }

    private void value(BasicType type, long v) throws IOException {
        switch (type.byteSize(8)) {
            case 1 -> segment.writeByte((int) v);
            case 2 -> segment.writeShort((int) v);
            case 4 -> segment.writeInt((int) v);
            default -> segment.writeLong(v);
        }
    }

    /** An instance; {@code values} in the dump's order (own fields first, then the super classes'). */
    void instance(long id, long classId, BasicType[] types, long... values) throws IOException {
        int length = 0;
        for (BasicType t : types) {
            length += t.byteSize(8);
        }
        segment.writeByte(0x21);
        segment.writeLong(id);
        segment.writeInt(0);
        segment.writeLong(classId);
        segment.writeInt(length);
        for (int i = 0; i < types.length; i++) {
            value(types[i], values[i]);
        }
        maybeFlush();
    }

    void objectArray(long id, long arrayClassId, long... elements) throws IOException {
        segment.writeByte(0x22);
        segment.writeLong(id);
        segment.writeInt(0);
        segment.writeInt(elements.length);
        segment.writeLong(arrayClassId);
        for (long e : elements) {
            segment.writeLong(e);
        }
        maybeFlush();
    }

    void byteArray(long id, byte[] data) throws IOException {
        segment.writeByte(0x23);
        segment.writeLong(id);
        segment.writeInt(0);
        segment.writeInt(data.length);
        segment.writeByte(BasicType.BYTE.code());
        segment.write(data);
        maybeFlush();
    }

    void rootStickyClass(long id) throws IOException {
        segment.writeByte(0x05);
        segment.writeLong(id);
    }

    void rootThreadObject(long id, int threadSerial, int traceSerial) throws IOException {
        segment.writeByte(0x08);
        segment.writeLong(id);
        segment.writeInt(threadSerial);
        segment.writeInt(traceSerial);
    }

    void rootJavaFrame(long id, int threadSerial, int depth) throws IOException {
        segment.writeByte(0x03);
        segment.writeLong(id);
        segment.writeInt(threadSerial);
        segment.writeInt(depth);
    }

    void rootJniGlobal(long id) throws IOException {
        segment.writeByte(0x01);
        segment.writeLong(id);
        segment.writeLong(id + 1);
    }

    /** Writes a heap sub-record given whole: its tag and content. */
    void subRecord(byte[] bytes) throws IOException {
        segment.write(bytes);
        maybeFlush();
    }

    private void maybeFlush() throws IOException {
        if (segmentBytes.size() >= segmentLimit) {
            flushSegment();
        }
    }

    private void flushSegment() throws IOException {
        if (segmentBytes.size() > 0) {
            segment.flush();
            out.writeByte(0x1c);
            out.writeInt(0);
            out.writeInt(segmentBytes.size());
            segmentBytes.writeTo(out);
            segmentBytes.reset();
        }
    }

    /** Writes the last segment and HEAP_DUMP_END. */
    @Override
    public void close() throws IOException {
        flushSegment();
        out.writeByte(0x2c);
        out.writeInt(0);
        out.writeInt(0);
        out.close();
    }
}
