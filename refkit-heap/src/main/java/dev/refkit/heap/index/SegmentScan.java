package dev.refkit.heap.index;

import dev.refkit.heap.GcRootKind;
import dev.refkit.heap.ProgressListener;
import dev.refkit.heap.hprof.BasicType;
import dev.refkit.heap.hprof.HprofFormatException;
import java.nio.ByteBuffer;

/**
 * What one contiguous group of heap dump records holds, read by pass 1 ({@link HeapScan}): class dumps, GC
 * roots, for every object its id and file position ({@link ObjectLog}), and per class id the counts and array
 * lengths of its objects ({@link ClassTally}). Every sub-record is validated against its record before
 * anything inside it is read.
 */
final class SegmentScan {
    private final HprofFile in;
    private final ProgressListener progress;
    private final int idSize;
    /** log2 of {@link #idSize}. */
    private final int idShift;
    private final HeapRecords heapRecords;
    private final int fromRecord;
    private final int toRecord;
    /** How many times this group's bytes the whole heap is, for progress; 0 when it does not report. */
    private final long share;
    private final long total;
    ObjectLog objects;
    /** Class objects (their CLASS_DUMP records), apart from {@link #objects}. */
    final LongList classObjectIds = new LongList(16);
    final LongList classObjectPositions = new LongList(16);
    /** After {@link #appendEntries}: how many entries it wrote, and whether they ascend. */
    int appended;
    boolean ascending;
    final ClassTally tally = new ClassTally();
    /** Where the high bits of the positions change (indexes into {@link #objects}), and to what. */
    final IntList highChangedAt = new IntList(4);
    final IntList highValues = new IntList(4);
    private long lastHigh;
    /** The ids of the class objects (those of the others are the log's). */
    final IdSpan classIds = new IdSpan();
    /** GC roots: ids and kinds ({@link GcRootKind} ordinals), in file order. */
    final LongChunks rootIds = new LongChunks();
    final ByteList rootKinds = new ByteList(16);
    /** For each root held by a thread ({@link GcRootKind#heldByThread}), in order: its thread and frame depth. */
    final IntList rootThreadSerials = new IntList(16);
    final IntList rootFrameDepths = new IntList(16);
    /** ROOT_THREAD_OBJECT records: the thread's serial, its object's id and its stack trace's serial. */
    final IntList threadSerials = new IntList(16);
    final LongList threadIds = new LongList(16);
    final IntList threadTraces = new IntList(16);
    long referenceBound;
    int instances;
    int objectArrays;
    int primitiveArrays;

    SegmentScan(HprofFile in, ProgressListener progress, HeapRecords heapRecords, int fromRecord, int toRecord,
                long share, long total, ObjectLog objects) {
        this.in = in;
        this.progress = progress;
        this.idSize = in.idSize();
        this.idShift = Integer.numberOfTrailingZeros(idSize);
        this.heapRecords = heapRecords;
        this.objects = objects;
        this.fromRecord = fromRecord;
        this.toRecord = toRecord;
        this.share = share;
        this.total = total;
    }

    void run() throws HprofFormatException {
        long done = 0;
        long reported = 0;
        for (int r = fromRecord; r < toRecord; r++) {
            String name = HeapIndexer.recordName(in.u1(heapRecords.position(r)));
            scanHeapDump(heapRecords.body(r), heapRecords.end(r), name);
            done += heapRecords.bytes(r);
            if (share > 0 && done - reported > (1 << 24)) {
                progress.progress("indexing objects", Math.min(total, done * share), total);
                reported = done;
            }
        }
    }

    /**
     * Reads the sub-records of the record {@code [p, end)} that start before {@code limit}, as pass 1 reads
     * them; returns where the next one starts.
     */
    long sample(long p, long end, long limit, String record) throws HprofFormatException {
        ByteBuffer b = in.mappingHolding(p, end);
        long start = in.mappingStart(p);
        while (p < limit) {
            long q = b != null ? scanCommon(b, start, p, limit) : p;
            p = q > p ? q : scanSubRecord(p, end, record);
        }
        return p;
    }

    private void scanHeapDump(long p, long end, String record) throws HprofFormatException {
        ByteBuffer b = in.mappingHolding(p, end);
        long start = in.mappingStart(p);
        while (p < end) {
            if (b != null) {
                p = scanCommon(b, start, p, end);
                if (p == end) {
                    break;
                }
            }
            p = scanSubRecord(p, end, record);
        }
    }

    /**
     * Reads the three sub-records that make up nearly all of a heap through one buffer, until one that
     * is not among them or does not fit the record; returns its position (for scanSubRecord).
     */
    private long scanCommon(ByteBuffer b, long start, long p, long end) {
        int id = idSize;
        while (p < end) {
            int o = (int) (p - start);
            int tag = b.get(o) & 0xff;
            long left = end - p;
            if (tag == DumpIndex.INSTANCE_DUMP && left >= 2L * id + 9) {
                long bytes = b.getInt(o + 2 * id + 5) & 0xffff_ffffL;
                if (left - (2L * id + 9) < bytes) {
                    return p;
                }
                instance(id(b, o + 1), p, bytes, id(b, o + id + 5));
                p += 2L * id + 9 + bytes;
            } else if (tag == DumpIndex.PRIM_ARRAY_DUMP && left >= id + 10L) {
                long length = b.getInt(o + id + 5) & 0xffff_ffffL;
                BasicType type = BasicType.ofCode(b.get(o + id + 9));
                if (type == null || type == BasicType.OBJECT || left - (id + 10L) < length * type.byteSize(id)) {
                    return p;
                }
                primitiveArray(id(b, o + 1), p, type.code(), length);
                p += id + 10L + length * type.byteSize(id);
            } else if (tag == DumpIndex.OBJ_ARRAY_DUMP && left >= 2L * id + 9) {
                long length = b.getInt(o + id + 5) & 0xffff_ffffL;
                if (left - (2L * id + 9) < length * id) {
                    return p;
                }
                objectArray(id(b, o + 1), p, length, id(b, o + id + 9));
                p += 2L * id + 9 + length * id;
            } else {
                return p;
            }
        }
        return p;
    }

    private long id(ByteBuffer b, int offset) {
        return idSize == 8 ? b.getLong(offset) : b.getInt(offset) & 0xffff_ffffL;
    }

    /** Validates and records one sub-record; returns where the next one starts. */
    private long scanSubRecord(long p, long end, String record) throws HprofFormatException {
        int id = idSize;
        int tag = in.u1(p);
        long q = p + 1;
        switch (tag) {
            case DumpIndex.INSTANCE_DUMP -> {
                need(p, tag, q, end, 2L * id + 8);
                long bytes = in.u4(q + 2L * id + 4);
                need(p, tag, q + 2L * id + 8, end, bytes);
                instance(in.id(q), p, bytes, in.id(q + id + 4));
                p = q + 2L * id + 8 + bytes;
            }
            case DumpIndex.PRIM_ARRAY_DUMP, DumpIndex.PRIM_ARRAY_NODATA -> {
                need(p, tag, q, end, id + 9L);
                long length = in.u4(q + id + 4);
                int code = in.u1(q + id + 8);
                BasicType type = BasicType.ofCode(code);
                if (type == null || type == BasicType.OBJECT) {
                    throw in.error(p, subRecordName(tag), "element type " + code
                            + " (expected a primitive type code 4..11)");
                }
                long bytes = tag == DumpIndex.PRIM_ARRAY_NODATA ? 0 : length * type.byteSize(id);
                need(p, tag, q + id + 9, end, bytes);
                primitiveArray(in.id(q), p, code, length);
                p = q + id + 9 + bytes;
            }
            case DumpIndex.OBJ_ARRAY_DUMP -> {
                need(p, tag, q, end, 2L * id + 8);
                long length = in.u4(q + id + 4);
                need(p, tag, q + 2L * id + 8, end, length * id);
                objectArray(in.id(q), p, length, in.id(q + id + 8));
                p = q + 2L * id + 8 + length * id;
            }
            case DumpIndex.CLASS_DUMP -> p = scanClassDump(p, end);
            case 0xff, 0x05, 0x07, 0x89, 0x8a, 0x8b, 0x8c, 0x8d, 0x90 -> {
                need(p, tag, q, end, id);
                root(tag, in.id(q));
                p = q + id;
            }
            case 0x01 -> {
                need(p, tag, q, end, 2L * id);
                root(tag, in.id(q));
                p = q + 2L * id;
            }
            case 0x02, 0x03, 0x8e -> {
                need(p, tag, q, end, id + 8L);
                root(tag, in.id(q));
                rootThreadSerials.add(in.i4(q + id));
                rootFrameDepths.add(in.i4(q + id + 4));
                p = q + id + 8;
            }
            case 0x04, 0x06 -> {
                need(p, tag, q, end, id + 4L);
                root(tag, in.id(q));
                rootThreadSerials.add(in.i4(q + id));
                rootFrameDepths.add(-1);
                p = q + id + 4;
            }
            case 0x08 -> {
                need(p, tag, q, end, id + 8L);
                long thread = in.id(q);
                threadSerials.add(in.i4(q + id));
                threadIds.add(thread);
                threadTraces.add(in.i4(q + id + 4));
                root(tag, thread);
                p = q + id + 8;
            }
            case 0xfe -> {
                need(p, tag, q, end, 4L + id);
                p = q + 4 + id;
            }
            default -> throw in.error(p, record, String.format("unknown heap dump sub-record tag 0x%02x "
                    + "(expected a GC root, CLASS_DUMP, INSTANCE_DUMP, OBJ_ARRAY_DUMP or PRIM_ARRAY_DUMP); "
                    + "the file is corrupt", tag));
        }
        return p;
    }

    private void need(long record, int tag, long at, long end, long bytes) throws HprofFormatException {
        if (bytes < 0 || end - at < bytes) {
            HeapIndexer.need(in, record, subRecordName(tag), at, end, bytes);
        }
    }

    private void root(int tag, long id) {
        rootIds.add(id);
        rootKinds.add((byte) GcRootKind.ofTag(tag).ordinal());
    }

    /** An INSTANCE_DUMP with {@code bytes} of field data: at most one reference per id-sized slot. */
    private void instance(long id, long position, long bytes, long classId) {
        object(id, position);
        tally.instance(classId, bytes, position);
        instances++;
        referenceBound += 1 + (bytes >>> idShift);
    }

    private void objectArray(long id, long position, long length, long classId) {
        object(id, position);
        tally.objectArray(classId, length, position);
        objectArrays++;
        referenceBound += 1 + length;
    }

    private void primitiveArray(long id, long position, int typeCode, long length) {
        object(id, position);
        tally.primitiveArray(typeCode, length);
        primitiveArrays++;
        referenceBound++;
    }

    private void object(long id, long position) {
        objects.add(id, (int) position);
        long high = position >>> 32;
        if (high != lastHigh) {
            highChangedAt.add(objects.size() - 1);
            highValues.add((int) high);
            lastHigh = high;
        }
    }

    /**
     * A class object: kept apart from the log, since the JVM gives class objects ids that may lie far
     * from the others or out of their alignment (which would widen the log), and writes them first.
     */
    private void classObject(long id, long position) {
        classObjectIds.add(id);
        classObjectPositions.add(position);
        classIds.add(id);
    }

    /** Objects met: logged ones and class objects. */
    int count() {
        return objects.size() + classObjectIds.size;
    }

    /**
     * Writes this group's logged objects (not its class objects) as entries from {@code at}, with bits
     * 32..39 of their positions into {@code high} when it is given; frees the log. Returns the next free
     * index.
     */
    int appendEntries(LongArray entries, int at, long min, int shift, ByteArray high) {
        ObjectLog log = objects;
        int k = at;
        long last = Long.MIN_VALUE;
        int descents = 0;
        for (int b = 0; b < log.blocks(); b++) {
            LongArray block = log.block(b);
            int from = log.offset(b);
            int to = from + log.fill(b);
            if (log.compact()) {
                // forward: in place, or moving down within the shared array, each entry is read before it
                // is overwritten
                for (int i = from; i < to; i++) {
                    long logged = block.get(i);
                    long entry = ObjectIds.entry((log.id(logged) - min) >>> shift, logged);
                    descents += entry < last ? 1 : 0;
                    last = entry;
                    entries.set(k++, entry);
                }
            } else {
                IntArray positions = log.positions(b);
                for (int i = from; i < to; i++) {
                    long entry = ObjectIds.entry((block.get(i) - min) >>> shift, positions.get(i));
                    descents += entry < last ? 1 : 0;
                    last = entry;
                    entries.set(k++, entry);
                }
            }
        }
        for (int i = 0; i < log.strays(); i++) {
            long entry = ObjectIds.entry((log.strayId(i) - min) >>> shift, log.strayPosition(i));
            descents += entry < last ? 1 : 0;
            last = entry;
            entries.set(k++, entry);
        }
        ascending = descents == 0;
        appended = k - at;
        fillHigh(high, at);
        objects.free();
        objects = null;
        return k;
    }

    /** Writes this group's ids and positions from {@code at}; frees the log. Returns the next free index. */
    int appendObjects(LongArray ids, IntArray low, ByteArray high, int at) {
        ObjectLog log = objects;
        int k = at;
        for (int b = 0; b < log.blocks(); b++) {
            LongArray block = log.block(b);
            int fill = log.fill(b);
            int offset = log.offset(b);
            if (log.compact()) {
                for (int i = 0; i < fill; i++) {
                    long logged = block.get(offset + i);
                    ids.set(k + i, log.id(logged));
                    low.set(k + i, (int) logged);
                }
            } else {
                LongArray.copy(block, 0, ids, k, fill);
                IntArray.copy(log.positions(b), 0, low, k, fill);
            }
            k += fill;
        }
        for (int i = 0; i < log.strays(); i++, k++) {
            ids.set(k, log.strayId(i));
            low.set(k, log.strayPosition(i));
        }
        fillHigh(high, at);
        for (int i = 0; i < classObjectIds.size; i++, k++) {
            long position = classObjectPositions.get(i);
            ids.set(k, classObjectIds.get(i));
            low.set(k, (int) position);
            if (high != null) {
                high.set(k, (byte) (position >>> 32));
            }
        }
        objects.free();
        objects = null;
        return k;
    }

    private void fillHigh(ByteArray high, int at) {
        if (high == null) {
            return;
        }
        for (int c = 0; c < highChangedAt.size; c++) {
            int end = c + 1 < highChangedAt.size ? highChangedAt.get(c + 1) : objects.size();
            high.fill(at + highChangedAt.get(c), at + end, (byte) highValues.get(c));
        }
    }

    /** Validates a CLASS_DUMP; keeps {id, position} for building the class later. */
    private long scanClassDump(long p, long end) throws HprofFormatException {
        String name = "CLASS_DUMP";
        int id = idSize;
        long q = p + 1;
        need(p, DumpIndex.CLASS_DUMP, q, end, 7L * id + 8 + 2);
        q += 7L * id + 8;
        int constants = in.u2(q);
        q += 2;
        for (int i = 0; i < constants; i++) {
            need(p, DumpIndex.CLASS_DUMP, q, end, 3);
            BasicType t = type(p, name, in.u1(q + 2));
            need(p, DumpIndex.CLASS_DUMP, q + 3, end, t.byteSize(id));
            q += 3 + t.byteSize(id);
        }
        need(p, DumpIndex.CLASS_DUMP, q, end, 2);
        int statics = in.u2(q);
        q += 2;
        for (int i = 0; i < statics; i++) {
            need(p, DumpIndex.CLASS_DUMP, q, end, id + 1L);
            BasicType t = type(p, name, in.u1(q + id));
            need(p, DumpIndex.CLASS_DUMP, q + id + 1, end, t.byteSize(id));
            q += id + 1 + t.byteSize(id);
        }
        need(p, DumpIndex.CLASS_DUMP, q, end, 2);
        int fields = in.u2(q);
        q += 2;
        need(p, DumpIndex.CLASS_DUMP, q, end, fields * (id + 1L));
        for (int i = 0; i < fields; i++) {
            type(p, name, in.u1(q + (long) i * (id + 1) + id));
        }
        q += fields * (id + 1L);
        referenceBound += 4 + constants + statics;
        classObject(in.id(p + 1), p);
        return q;
    }

    private static String subRecordName(int tag) {
        switch (tag) {
            case 0xff: return "ROOT_UNKNOWN";
            case 0x01: return "ROOT_JNI_GLOBAL";
            case 0x02: return "ROOT_JNI_LOCAL";
            case 0x03: return "ROOT_JAVA_FRAME";
            case 0x04: return "ROOT_NATIVE_STACK";
            case 0x05: return "ROOT_STICKY_CLASS";
            case 0x06: return "ROOT_THREAD_BLOCK";
            case 0x07: return "ROOT_MONITOR_USED";
            case 0x08: return "ROOT_THREAD_OBJECT";
            case 0x89: return "ROOT_INTERNED_STRING";
            case 0x8a: return "ROOT_FINALIZING";
            case 0x8b: return "ROOT_DEBUGGER";
            case 0x8c: return "ROOT_REFERENCE_CLEANUP";
            case 0x8d: return "ROOT_VM_INTERNAL";
            case 0x8e: return "ROOT_JNI_MONITOR";
            case 0x90: return "ROOT_UNREACHABLE";
            case DumpIndex.CLASS_DUMP: return "CLASS_DUMP";
            case DumpIndex.INSTANCE_DUMP: return "INSTANCE_DUMP";
            case DumpIndex.OBJ_ARRAY_DUMP: return "OBJ_ARRAY_DUMP";
            case DumpIndex.PRIM_ARRAY_DUMP: return "PRIM_ARRAY_DUMP";
            case DumpIndex.PRIM_ARRAY_NODATA: return "PRIMITIVE_ARRAY_NODATA";
            case 0xfe: return "HEAP_DUMP_INFO";
            default: return null;
        }
    }

    private BasicType type(long record, String name, int code) throws HprofFormatException {
        BasicType t = BasicType.ofCode(code);
        if (t == null) {
            throw in.error(record, name, "value type " + code + " (expected an HPROF basic type code: 2 or 4..11)");
        }
        return t;
    }
}
