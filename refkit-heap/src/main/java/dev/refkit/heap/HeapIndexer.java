package dev.refkit.heap;

import dev.refkit.heap.hprof.BasicType;
import dev.refkit.heap.hprof.HprofFile;
import dev.refkit.heap.hprof.HprofFormatException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a dump into a {@link HeapGraph} in two passes.
 *
 * <p>Implementation notes. Pass 1 walks the records in file order and validates every length against the
 * enclosing record and the file before anything is read inside it, so that no later read can leave the
 * file; it keeps strings (id and position only), class dumps, stack frames, GC roots, and for every object
 * its id and file position. The objects are then sorted by id (HotSpot mostly writes them in address
 * order already), duplicates dropped, and ids compressed ({@link ObjectIds}). Pass 2 visits the objects
 * in index order, reading each record at its position, and appends its references to the CSR arrays; it
 * also sums sizes per class under every candidate {@link VmLayout} and counts how often the gap to the
 * next object's address equals the object's size under each, which decides the layout of the VM that
 * wrote the dump. Nothing is allocated per object or per record, except one small object per class.
 */
final class HeapIndexer {

    private static final int UTF8 = 0x01;
    private static final int LOAD_CLASS = 0x02;
    private static final int STACK_FRAME = 0x04;
    private static final int STACK_TRACE = 0x05;
    private static final int HEAP_DUMP = 0x0c;
    private static final int HEAP_DUMP_SEGMENT = 0x1c;
    private static final int HEAP_DUMP_END = 0x2c;

    private final HprofFile in;
    private final ProgressListener progress;
    private final int idSize;

    private final LongList utf8Ids = new LongList(1 << 12);
    private final LongList utf8Positions = new LongList(1 << 12);
    private final LongList loadClassIds = new LongList(1 << 10);
    private final LongList loadClassNames = new LongList(1 << 10);
    private final IntList loadClassSerials = new IntList(1 << 10);
    private final LongList frameIds = new LongList(64);
    private final LongList frameRecords = new LongList(64);
    private final Map<Integer, long[]> traces = new HashMap<>();
    private final IntList rootKinds = new IntList(1 << 10);
    private final LongList rootIds = new LongList(1 << 10);
    private final IntList rootThreadSerials = new IntList(1 << 10);
    private final IntList rootFrames = new IntList(1 << 10);
    private final Map<Integer, long[]> threads = new HashMap<>();
    private final List<long[]> classDumps = new ArrayList<>();
    private final LongList objectIds;
    /** Low 32 bits of each object's file position, in file order; the high bits change rarely. */
    private final IntList objectPositions;
    private final IntList highChangedAt = new IntList(16);
    private final IntList highValues = new IntList(16);
    private long lastHigh;
    private int heapDumps;
    private int segments;
    private boolean sawEnd;
    /** At least as many references as pass 2 can find: every id-sized slot of every record, plus classes. */
    private long referenceBound;
    private int instances;
    private int objectArrays;
    private int primitiveArrays;

    HeapIndexer(HprofFile in, ProgressListener progress) {
        this.in = in;
        this.progress = progress;
        this.idSize = in.idSize();
        int estimate = (int) Math.min(1 << 20, Math.max(1024, in.size() / 64));
        objectIds = new LongList(estimate);
        objectPositions = new IntList(estimate);
    }

    // ---------------------------------------------------------------------------------------------- pass 1

    private static String recordName(int tag) {
        switch (tag) {
            case UTF8: return "UTF8";
            case LOAD_CLASS: return "LOAD_CLASS";
            case 0x03: return "UNLOAD_CLASS";
            case STACK_FRAME: return "STACK_FRAME";
            case STACK_TRACE: return "STACK_TRACE";
            case 0x06: return "ALLOC_SITES";
            case 0x07: return "HEAP_SUMMARY";
            case 0x0a: return "START_THREAD";
            case 0x0b: return "END_THREAD";
            case HEAP_DUMP: return "HEAP_DUMP";
            case 0x0d: return "CPU_SAMPLES";
            case 0x0e: return "CONTROL_SETTINGS";
            case HEAP_DUMP_SEGMENT: return "HEAP_DUMP_SEGMENT";
            case HEAP_DUMP_END: return "HEAP_DUMP_END";
            default: return null;
        }
    }

    void pass1() throws HprofFormatException {
        long size = in.size();
        long pos = in.recordsStart();
        long reported = 0;
        while (pos < size) {
            if (size - pos < 9) {
                throw in.error(pos, "record header", "truncated record header (needs 9 bytes, " + (size - pos)
                        + " left); the file is incomplete — was the dump interrupted?");
            }
            int tag = in.u1(pos);
            String name = recordName(tag);
            if (name == null) {
                throw in.error(pos, "record header", String.format("unknown record tag 0x%02x (expected an HPROF "
                        + "record tag such as 0x01 UTF8 or 0x1c HEAP_DUMP_SEGMENT); the file is corrupt", tag));
            }
            long length = in.u4(pos + 5);
            long body = pos + 9;
            long end = body + length;
            if (end > size) {
                throw in.error(pos, name, "record length " + length + " exceeds the file (" + (size - body)
                        + " bytes left); the file is incomplete — was the dump interrupted?");
            }
            if (sawEnd && (tag == HEAP_DUMP || tag == HEAP_DUMP_SEGMENT)) {
                sawEnd = false;
            }
            switch (tag) {
                case UTF8:
                    need(pos, name, body, end, idSize);
                    if (length - idSize > Integer.MAX_VALUE) {
                        throw in.error(pos, name, "string of " + (length - idSize) + " bytes (at most 2^31 - 1)");
                    }
                    utf8Ids.add(in.id(body));
                    utf8Positions.add(pos);
                    break;
                case LOAD_CLASS:
                    need(pos, name, body, end, 8 + 2L * idSize);
                    loadClassSerials.add(in.i4(body));
                    loadClassIds.add(in.id(body + 4));
                    loadClassNames.add(in.id(body + 8 + idSize));
                    break;
                case STACK_FRAME:
                    need(pos, name, body, end, 4L * idSize + 8);
                    frameIds.add(in.id(body));
                    frameRecords.add(body);
                    break;
                case STACK_TRACE: {
                    need(pos, name, body, end, 12);
                    long frames = in.u4(body + 8);
                    need(pos, name, body + 12, end, frames * idSize);
                    long[] trace = new long[(int) frames];
                    for (int i = 0; i < frames; i++) {
                        trace[i] = in.id(body + 12 + (long) i * idSize);
                    }
                    traces.put(in.i4(body), trace);
                    break;
                }
                case HEAP_DUMP:
                case HEAP_DUMP_SEGMENT:
                    if (tag == HEAP_DUMP) {
                        heapDumps++;
                    } else {
                        segments++;
                    }
                    scanHeapDump(body, end, name);
                    break;
                case HEAP_DUMP_END:
                    sawEnd = true;
                    break;
                default:
                    break;
            }
            pos = end;
            if (pos - reported > (1 << 24)) {
                progress.progress("indexing objects", pos, size);
                reported = pos;
            }
        }
        if (heapDumps == 0 && segments == 0) {
            throw in.error(size, "file", "no HEAP_DUMP or HEAP_DUMP_SEGMENT record: the file holds no heap dump "
                    + "(is it a CPU profile, or was the dump interrupted before the heap was written?)");
        }
        if (segments > 0 && !sawEnd) {
            throw in.error(size, "file", "no HEAP_DUMP_END record after the last HEAP_DUMP_SEGMENT; the file is "
                    + "incomplete — was the dump interrupted?");
        }
        progress.progress("indexing objects", size, size);
    }

    private void need(long record, String name, long at, long end, long bytes) throws HprofFormatException {
        if (bytes < 0 || end - at < bytes) {
            throw in.error(record, name, "truncated content (needs " + bytes + " bytes at offset " + at + ", "
                    + Math.max(0, end - at) + " left in the record)");
        }
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
            case HeapGraph.CLASS_DUMP: return "CLASS_DUMP";
            case HeapGraph.INSTANCE_DUMP: return "INSTANCE_DUMP";
            case HeapGraph.OBJ_ARRAY_DUMP: return "OBJ_ARRAY_DUMP";
            case HeapGraph.PRIM_ARRAY_DUMP: return "PRIM_ARRAY_DUMP";
            case HeapGraph.PRIM_ARRAY_NODATA: return "PRIMITIVE_ARRAY_NODATA";
            case 0xfe: return "HEAP_DUMP_INFO";
            default: return null;
        }
    }

    private static GcRootKind rootKind(int tag) {
        for (GcRootKind k : GcRootKind.values()) {
            if (k.tag() == tag) {
                return k;
            }
        }
        return null;
    }

    private void scanHeapDump(long p, long end, String record) throws HprofFormatException {
        int id = idSize;
        while (p < end) {
            int tag = in.u1(p);
            String name = subRecordName(tag);
            if (name == null) {
                throw in.error(p, record, String.format("unknown heap dump sub-record tag 0x%02x (expected a GC "
                        + "root, CLASS_DUMP, INSTANCE_DUMP, OBJ_ARRAY_DUMP or PRIM_ARRAY_DUMP); the file is corrupt",
                        tag));
            }
            long q = p + 1;
            switch (tag) {
                case 0xff, 0x05, 0x07, 0x89, 0x8a, 0x8b, 0x8c, 0x8d, 0x90 -> {
                    need(p, name, q, end, id);
                    root(tag, in.id(q), -1, -1);
                    p = q + id;
                }
                case 0x01 -> {
                    need(p, name, q, end, 2L * id);
                    root(tag, in.id(q), -1, -1);
                    p = q + 2L * id;
                }
                case 0x02, 0x03, 0x8e -> {
                    need(p, name, q, end, id + 8L);
                    root(tag, in.id(q), in.i4(q + id), in.i4(q + id + 4));
                    p = q + id + 8;
                }
                case 0x04, 0x06 -> {
                    need(p, name, q, end, id + 4L);
                    root(tag, in.id(q), in.i4(q + id), -1);
                    p = q + id + 4;
                }
                case 0x08 -> {
                    need(p, name, q, end, id + 8L);
                    long thread = in.id(q);
                    int serial = in.i4(q + id);
                    threads.put(serial, new long[] {thread, in.i4(q + id + 4)});
                    root(tag, thread, serial, -1);
                    p = q + id + 8;
                }
                case 0xfe -> {
                    need(p, name, q, end, 4L + id);
                    p = q + 4 + id;
                }
                case HeapGraph.CLASS_DUMP -> p = scanClassDump(p, end);
                case HeapGraph.INSTANCE_DUMP -> {
                    need(p, name, q, end, 2L * id + 8);
                    long bytes = in.u4(q + 2L * id + 4);
                    need(p, name, q + 2L * id + 8, end, bytes);
                    object(in.id(q), p);
                    instances++;
                    referenceBound += 1 + bytes / id;
                    p = q + 2L * id + 8 + bytes;
                }
                case HeapGraph.OBJ_ARRAY_DUMP -> {
                    need(p, name, q, end, 2L * id + 8);
                    long length = in.u4(q + id + 4);
                    need(p, name, q + 2L * id + 8, end, length * id);
                    object(in.id(q), p);
                    objectArrays++;
                    referenceBound += 1 + length;
                    p = q + 2L * id + 8 + length * id;
                }
                case HeapGraph.PRIM_ARRAY_DUMP, HeapGraph.PRIM_ARRAY_NODATA -> {
                    need(p, name, q, end, id + 9L);
                    long length = in.u4(q + id + 4);
                    int code = in.u1(q + id + 8);
                    BasicType type = BasicType.ofCode(code);
                    if (type == null || type == BasicType.OBJECT) {
                        throw in.error(p, name, "element type " + code + " (expected a primitive type code 4..11)");
                    }
                    long bytes = tag == HeapGraph.PRIM_ARRAY_NODATA ? 0 : length * type.byteSize(id);
                    need(p, name, q + id + 9, end, bytes);
                    object(in.id(q), p);
                    primitiveArrays++;
                    referenceBound++;
                    p = q + id + 9 + bytes;
                }
                default -> throw new IllegalStateException("unhandled tag " + tag);
            }
        }
    }

    private void root(int tag, long id, int threadSerial, int frame) {
        rootKinds.add(rootKind(tag).ordinal());
        rootIds.add(id);
        rootThreadSerials.add(threadSerial);
        rootFrames.add(frame);
    }

    private void object(long id, long position) {
        objectIds.add(id);
        objectPositions.add((int) position);
        long high = position >>> 32;
        if (high != lastHigh) {
            highChangedAt.add(objectIds.size - 1);
            highValues.add((int) high);
            lastHigh = high;
        }
    }

    /** The high bits of each object's position, in file order, from the points where they changed. */
    private byte[] highBytes(int n) {
        byte[] high = new byte[n];
        for (int c = 0; c < highChangedAt.size; c++) {
            int end = c + 1 < highChangedAt.size ? highChangedAt.get(c + 1) : n;
            Arrays.fill(high, highChangedAt.get(c), end, (byte) highValues.get(c));
        }
        return high;
    }

    /** Validates a CLASS_DUMP; keeps {id, position, field count, ...} for building the class later. */
    private long scanClassDump(long p, long end) throws HprofFormatException {
        String name = "CLASS_DUMP";
        int id = idSize;
        long q = p + 1;
        need(p, name, q, end, 7L * id + 8 + 2);
        q += 7L * id + 8;
        int constants = in.u2(q);
        q += 2;
        for (int i = 0; i < constants; i++) {
            need(p, name, q, end, 3);
            BasicType t = type(p, name, in.u1(q + 2));
            need(p, name, q + 3, end, t.byteSize(id));
            q += 3 + t.byteSize(id);
        }
        need(p, name, q, end, 2);
        int statics = in.u2(q);
        q += 2;
        for (int i = 0; i < statics; i++) {
            need(p, name, q, end, id + 1L);
            BasicType t = type(p, name, in.u1(q + id));
            need(p, name, q + id + 1, end, t.byteSize(id));
            q += id + 1 + t.byteSize(id);
        }
        need(p, name, q, end, 2);
        int fields = in.u2(q);
        q += 2;
        need(p, name, q, end, fields * (id + 1L));
        for (int i = 0; i < fields; i++) {
            type(p, name, in.u1(q + (long) i * (id + 1) + id));
        }
        q += fields * (id + 1L);
        classDumps.add(new long[] {in.id(p + 1), p});
        referenceBound += 4 + constants + statics;
        object(in.id(p + 1), p);
        return q;
    }

    private BasicType type(long record, String name, int code) throws HprofFormatException {
        BasicType t = BasicType.ofCode(code);
        if (t == null) {
            throw in.error(record, name, "value type " + code + " (expected an HPROF basic type code: 2 or 4..11)");
        }
        return t;
    }

    // ---------------------------------------------------------------------------------------------- strings

    private long[] sortedUtf8Ids;
    private long[] sortedUtf8Positions;

    private void sortStrings() {
        sortedUtf8Ids = utf8Ids.toArray();
        sortedUtf8Positions = utf8Positions.toArray();
        if (!PairSort.isSorted(sortedUtf8Ids, sortedUtf8Ids.length)) {
            PairSort.sort(sortedUtf8Ids, sortedUtf8Positions, sortedUtf8Ids.length);
        }
    }

    private String string(long id) {
        int i = Arrays.binarySearch(sortedUtf8Ids, id);
        if (i < 0) {
            return null;
        }
        long record = sortedUtf8Positions[i];
        long length = in.u4(record + 5) - idSize;
        return in.utf8(record + 9 + idSize, (int) length);
    }

    private String stringOr(long id, String otherwise) {
        String s = string(id);
        return s != null ? s : otherwise;
    }

    /** {@code java/lang/String} → {@code java.lang.String}; {@code [[I} → {@code int[][]}. */
    static String javaName(String vmName) {
        int dims = 0;
        while (dims < vmName.length() && vmName.charAt(dims) == '[') {
            dims++;
        }
        String base = vmName.substring(dims);
        if (dims > 0) {
            if (base.startsWith("L") && base.endsWith(";")) {
                base = base.substring(1, base.length() - 1);
            } else if (base.length() == 1) {
                base = switch (base.charAt(0)) {
                    case 'Z' -> "boolean";
                    case 'C' -> "char";
                    case 'F' -> "float";
                    case 'D' -> "double";
                    case 'B' -> "byte";
                    case 'S' -> "short";
                    case 'I' -> "int";
                    case 'J' -> "long";
                    default -> base;
                };
            }
        }
        return base.replace('/', '.') + "[]".repeat(dims);
    }

    // ---------------------------------------------------------------------------------------------- build

    HeapDump build(java.nio.file.Path path) throws HprofFormatException {
        pass1();
        sortStrings();

        // objects: sort by id (only when the file is not in address order), drop duplicates, compress
        int n = objectIds.size;
        long[] idsArray = objectIds.values;
        int[] low = objectPositions.values;
        boolean wide = in.size() > 0xffff_ffffL;
        if (wide && highValues.size > 0 && highValues.get(highValues.size - 1) > 0xff) {
            throw in.error(in.size(), "file", "dump larger than 1 TB; positions beyond 2^40 are not supported");
        }
        byte[] high = wide ? highBytes(n) : null;
        ObjectIds.Range range = ObjectIds.range(idsArray, n);
        ObjectIds ids;
        int duplicates;
        if (range.fitsInt()) {
            // Sort keys (quotient << 32 | file order, sign bit flipped so that signed order is unsigned
            // order): one long[] sorted in place by the JDK's sort, which is fast on the few long ascending
            // runs HotSpot writes; file order breaks ties, so of duplicate ids the first written is kept.
            long[] keys = idsArray;
            for (int i = 0; i < n; i++) {
                keys[i] = (((keys[i] - range.min()) / range.alignment()) << 32 | i) ^ Long.MIN_VALUE;
            }
            if (!PairSort.isSorted(keys, n)) {
                progress.progress("sorting objects", 0, n);
                Arrays.parallelSort(keys, 0, n);   // both cores: the sort is a fifth of indexing
            }
            int unique = 0;
            for (int i = 0; i < n; i++) {
                if (unique == 0 || keys[unique - 1] >>> 32 != keys[i] >>> 32) {
                    keys[unique++] = keys[i];
                }
            }
            int[] packed = new int[unique];
            int[] sortedLow = new int[unique];
            byte[] sortedHigh = high != null ? new byte[unique] : null;
            for (int i = 0; i < unique; i++) {
                long key = keys[i] ^ Long.MIN_VALUE;
                int from = (int) key;
                packed[i] = (int) (key >>> 32) ^ Integer.MIN_VALUE;
                sortedLow[i] = low[from];
                if (high != null) {
                    sortedHigh[i] = high[from];
                }
            }
            duplicates = n - unique;
            n = unique;
            objectIds.values = null;
            objectPositions.values = null;
            low = sortedLow;
            high = sortedHigh;
            ids = ObjectIds.ofPacked(n, range, packed);
        } else {
            if (!PairSort.isSorted(idsArray, n)) {
                progress.progress("sorting objects", 0, n);
                long[] positions = new long[n];
                for (int i = 0; i < n; i++) {
                    positions[i] = (low[i] & 0xffff_ffffL) | (high != null ? (high[i] & 0xffL) << 32 : 0);
                }
                PairSort.sort(idsArray, positions, n);
                for (int i = 0; i < n; i++) {
                    low[i] = (int) positions[i];
                    if (high != null) {
                        high[i] = (byte) (positions[i] >>> 32);
                    }
                }
            }
            int unique = 0;
            for (int i = 0; i < n; i++) {
                if (unique > 0 && idsArray[unique - 1] == idsArray[i]) {
                    continue;
                }
                idsArray[unique] = idsArray[i];
                low[unique] = low[i];
                if (high != null) {
                    high[unique] = high[i];
                }
                unique++;
            }
            duplicates = n - unique;
            n = unique;
            ids = ObjectIds.of(idsArray, n);
            objectIds.values = null;
            objectPositions.values = null;
            if (low.length != n) {
                low = Arrays.copyOf(low, n);
            }
            if (high != null && high.length != n) {
                high = Arrays.copyOf(high, n);
            }
        }

        HeapClass[] classes = buildClasses(ids);
        this.classesRef = classes;
        HeapGraph graph = new HeapGraph(in, ids, low, high, classes);
        linkClasses(graph, ids);
        VmLayout[] candidates = VmLayout.candidates(idSize);
        graph.candidates(candidates);
        computeLayouts(classes, candidates);
        long[] classCounts = new long[classes.length];
        long[] arrayBytes = new long[classes.length * candidates.length];
        long[] dangling = new long[1];
        pass2(graph, classCounts, arrayBytes, candidates, dangling);
        buildRoots(graph, ids);

        // choose the layout, fix sizes and the histogram
        VmLayout vm = graph.vm;
        int h = graph.layoutIndex(vm);
        for (HeapClass c : classes) {
            c.instanceSize = c.layouts[h].instanceSize;
        }
        List<Histogram.Entry> rows = new ArrayList<>();
        long classObjectBytes = 0;
        for (int object : graph.classObjects) {
            classObjectBytes += graph.shallowSize(object);
        }
        for (HeapClass c : classes) {
            long count = classCounts[c.index];
            if (count == 0) {
                continue;
            }
            long bytes = c.isArray() ? arrayBytes[c.index * candidates.length + h] : count * c.instanceSize;
            if (c == graph.javaLangClass) {
                bytes = (count - graph.classObjects.length) * c.instanceSize + classObjectBytes;
            }
            rows.add(new Histogram.Entry(c, count, bytes));
        }
        long indexBytes = ids.bytes() + 4L * n + (high != null ? n : 0)
                + (graph.classOfNarrow != null ? 2L * n : 4L * n);
        long referenceBytes = 4L * graph.firstReference.length + 5L * graph.referenceTargets.length;
        int referenceCount = graph.firstReference[n];
        DumpInfo info = new DumpInfo(path, in.version(), idSize, in.timestamp(), in.size(), in.wasCompressed(),
                vm.name(), vm.compressedReferences(), n, classes.length, instances, objectArrays, primitiveArrays,
                referenceCount, dangling[0], graph.rootObjects.length,
                rootIds.size - graph.rootObjects.length, duplicates, indexBytes, referenceBytes);
        return new HeapDump(in, graph, new Histogram(rows), info);
    }

    private static final String[] PRIMITIVE_ARRAY_NAMES = {
        null, null, null, null, "boolean[]", "char[]", "float[]", "double[]", "byte[]", "short[]", "int[]", "long[]"};

    private HeapClass[] buildClasses(ObjectIds ids) throws HprofFormatException {
        long[] loadIds = loadClassIds.toArray();
        long[] loadNames = loadClassNames.toArray();
        if (!PairSort.isSorted(loadIds, loadIds.length)) {
            PairSort.sort(loadIds, loadNames, loadIds.length);
        }
        List<HeapClass> list = new ArrayList<>();
        HeapClass[] primitiveArrays = new HeapClass[12];
        int id = idSize;
        java.util.Set<Long> seen = new java.util.HashSet<>();
        for (long[] dump : classDumps) {
            long classId = dump[0];
            long p = dump[1];
            if (!seen.add(classId)) {
                continue;
            }
            int at = Arrays.binarySearch(loadIds, classId);
            String vmName = at >= 0 ? string(loadNames[at]) : null;
            String name = vmName != null ? javaName(vmName) : String.format("<unnamed class 0x%x>", classId);
            long q = p + 1 + id + 4;
            long superId = in.id(q);
            long loaderId = in.id(q + id);
            q += 6L * id + 4;
            int constants = in.u2(q);
            q += 2;
            for (int i = 0; i < constants; i++) {
                q += 3 + BasicType.ofCode(in.u1(q + 2)).byteSize(id);
            }
            int staticCount = in.u2(q);
            q += 2;
            List<HeapClass.Field> statics = new ArrayList<>(staticCount);
            for (int i = 0; i < staticCount; i++) {
                BasicType t = BasicType.ofCode(in.u1(q + id));
                statics.add(new HeapClass.Field(stringOr(in.id(q), "<field " + i + ">"), t));
                q += id + 1 + t.byteSize(id);
            }
            int fieldCount = in.u2(q);
            q += 2;
            List<HeapClass.Field> fields = new ArrayList<>(fieldCount);
            for (int i = 0; i < fieldCount; i++) {
                fields.add(new HeapClass.Field(stringOr(in.id(q), "<field " + i + ">"),
                        BasicType.ofCode(in.u1(q + id))));
                q += id + 1;
            }
            BasicType element = null;
            if (name.endsWith("[]")) {
                String inner = name.substring(0, name.length() - 2);
                element = BasicType.OBJECT;
                for (int code = 4; code < 12; code++) {
                    if (PRIMITIVE_ARRAY_NAMES[code].equals(name)) {
                        element = BasicType.ofCode(code);
                    }
                }
                if (inner.isEmpty()) {
                    element = BasicType.OBJECT;
                }
            }
            HeapClass c = new HeapClass(list.size(), classId, name, p, superId, loaderId, fields, statics, element);
            if (element != null && element != BasicType.OBJECT && primitiveArrays[element.code()] == null) {
                primitiveArrays[element.code()] = c;
            }
            list.add(c);
        }
        for (int code = 4; code < 12; code++) {
            if (primitiveArrays[code] == null) {
                HeapClass c = new HeapClass(list.size(), 0, PRIMITIVE_ARRAY_NAMES[code], -1, 0, 0, List.of(),
                        List.of(), BasicType.ofCode(code));
                primitiveArrays[code] = c;
                list.add(c);
            }
        }
        this.primitiveArrayClasses = primitiveArrays;
        return list.toArray(new HeapClass[0]);
    }

    private HeapClass[] primitiveArrayClasses;

    private void linkClasses(HeapGraph graph, ObjectIds ids) throws HprofFormatException {
        HeapClass[] classes = graph.classes;
        long[] classIds = new long[classes.length];
        long[] order = new long[classes.length];
        for (int i = 0; i < classes.length; i++) {
            classIds[i] = classes[i].id;
            order[i] = i;
        }
        PairSort.sort(classIds, order, classIds.length);
        this.sortedClassIds = classIds;
        this.classOrder = order;
        IntList objects = new IntList(classes.length);
        for (HeapClass c : classes) {
            c.objectIndex = c.recordPosition >= 0 ? ids.indexOf(c.id) : -1;
            c.superClass = c.superId != 0 ? classById(c.superId) : null;
            if (c.superId != 0 && c.superClass == null) {
                throw in.error(c.recordPosition, "CLASS_DUMP", String.format("super class id 0x%x of class %s, "
                        + "which has no CLASS_DUMP in the file (expected every super class to be dumped)",
                        c.superId, c.name));
            }
            c.loaderIndex = c.loaderId != 0 ? ids.indexOf(c.loaderId) : -1;
            if (c.objectIndex >= 0) {
                objects.add(c.objectIndex);
            }
            if (c.name.equals("java.lang.Class") && graph.javaLangClass == null) {
                graph.javaLangClass = c;
            }
        }
        int[] classObjects = objects.toArray();
        Arrays.sort(classObjects);
        HeapClass[] owners = new HeapClass[classObjects.length];
        for (HeapClass c : classes) {
            if (c.objectIndex >= 0) {
                owners[Arrays.binarySearch(classObjects, c.objectIndex)] = c;
            }
        }
        graph.classObjects = classObjects;
        graph.classObjectClasses = owners;
        graph.primitiveArrayClasses = primitiveArrayClasses;
        if (graph.javaLangClass == null) {
            throw in.error(in.size(), "CLASS_DUMP", "no class named java.lang.Class in the dump; a HotSpot heap dump "
                    + "always has one — the file is corrupt or incomplete");
        }
        // instance field order of the dump: own fields, then the super class's, and so on
        for (HeapClass c : classes) {
            List<BasicType> types = new ArrayList<>();
            List<String> names = new ArrayList<>();
            int data = 0;
            int depth = 0;
            for (HeapClass k = c; k != null; k = k.superClass) {
                if (++depth > MAX_HIERARCHY_DEPTH) {
                    throw in.error(c.recordPosition, "CLASS_DUMP", "class " + c.name + " has more than "
                            + MAX_HIERARCHY_DEPTH + " super classes (or is its own super class); the file is corrupt");
                }
                for (HeapClass.Field f : k.fields) {
                    if (f.name().equals("referent") && k.name.equals("java.lang.ref.Reference")) {
                        c.referentSlot = types.size();
                    }
                    types.add(f.type());
                    names.add(f.name());
                    data += f.type().byteSize(idSize);
                }
            }
            c.instanceTypes = types.toArray(new BasicType[0]);
            c.instanceNames = names.toArray(new String[0]);
            c.instanceDataSize = data;
            c.referentKind = referentKind(c);
            if (c.referentKind == null) {
                c.referentSlot = -1;
            }
        }
    }

    /**
     * Deepest class hierarchy accepted. Real ones stay far below; a corrupt file with a chain of thousands of
     * classes would otherwise cost time and memory quadratic in its depth.
     */
    static final int MAX_HIERARCHY_DEPTH = 256;

    private long[] sortedClassIds;
    private long[] classOrder;

    private HeapClass classById(long id) {
        int i = Arrays.binarySearch(sortedClassIds, id);
        return i >= 0 && id != 0 ? classesRef[(int) classOrder[i]] : null;
    }

    private HeapClass[] classesRef;

    private static ReferenceKind referentKind(HeapClass c) {
        for (HeapClass k = c; k != null; k = k.superClass) {
            switch (k.name) {
                case "java.lang.ref.SoftReference":
                    return ReferenceKind.SOFT_REFERENT;
                case "java.lang.ref.WeakReference":
                    return ReferenceKind.WEAK_REFERENT;
                case "java.lang.ref.FinalReference":
                case "java.lang.ref.Finalizer":
                    return ReferenceKind.FINALIZER_REFERENT;
                case "java.lang.ref.PhantomReference":
                case "jdk.internal.ref.Cleaner":
                case "sun.misc.Cleaner":
                    return ReferenceKind.PHANTOM_REFERENT;
                default:
                    break;
            }
        }
        return null;
    }

    private boolean hasResolvedMethodName;

    private void computeLayouts(HeapClass[] classes, VmLayout[] candidates) {
        hasResolvedMethodName = classByName("java.lang.invoke.ResolvedMethodName") != null;
        for (HeapClass c : classes) {
            layouts(c, candidates);
        }
    }

    private FieldLayout[] layouts(HeapClass c, VmLayout[] candidates) {
        if (c.layouts == null) {
            FieldLayout[] own = new FieldLayout[candidates.length];
            FieldLayout[] sup = c.superClass != null ? layouts(c.superClass, candidates) : null;
            for (int h = 0; h < candidates.length; h++) {
                List<BasicType> regular = new ArrayList<>();
                List<BasicType> contended = new ArrayList<>();
                for (HeapClass.Field f : c.fields) {
                    (FieldLayout.isContended(c.name, f.name()) ? contended : regular).add(f.type());
                }
                regular.addAll(List.of(FieldLayout.injected(c.name, candidates[h], hasResolvedMethodName)));
                regular.addAll(contended);
                BasicType[] declared = regular.toArray(new BasicType[0]);
                FieldLayout base = sup != null ? sup[h] : FieldLayout.root(candidates[h]);
                own[h] = FieldLayout.of(base, declared, contended.size(), candidates[h]);
            }
            c.layouts = own;
        }
        return c.layouts;
    }

    // ---------------------------------------------------------------------------------------------- pass 2

    /** Appends references to the growing CSR arrays. */
    private static final class CsrBuilder implements HeapGraph.EdgeSink {
        int[] targets;
        byte[] kinds;
        int size;
        long dangling;

        CsrBuilder(int capacity) {
            targets = new int[capacity];
            kinds = new byte[capacity];
        }

        @Override
        public void edge(int target, ReferenceKind kind, int slot) {
            if (size == targets.length) {
                int grown = LongList.grow(size);
                targets = Arrays.copyOf(targets, grown);
                kinds = Arrays.copyOf(kinds, grown);
            }
            targets[size] = target;
            kinds[size] = (byte) kind.ordinal();
            size++;
        }

        @Override
        public void dangling(long id) {
            dangling++;
        }
    }

    /** What one range of objects contributes in pass 2. */
    private static final class Chunk {
        final int from;
        final int to;
        final CsrBuilder csr;
        final long[] classCounts;
        final long[] arrayBytes;
        final long[] score;
        Throwable failure;

        Chunk(int from, int to, int capacity, int classes, int candidates) {
            this.from = from;
            this.to = to;
            this.csr = new CsrBuilder(capacity);
            this.classCounts = new long[classes];
            this.arrayBytes = new long[classes * candidates];
            this.score = new long[candidates];
        }
    }

    /** Objects per thread below which pass 2 stays on the calling thread; lowered by tests. */
    static volatile int parallelThreshold = 1 << 20;

    /**
     * Pass 2, on up to four threads for large dumps: each reads a contiguous range of objects into its own
     * CSR arrays, which are then concatenated (reference numbers are the same as on one thread).
     */
    private void pass2(HeapGraph graph, long[] classCounts, long[] arrayBytes, VmLayout[] candidates,
                       long[] dangling) throws HprofFormatException {
        int n = graph.objectCount();
        HeapClass[] classes = graph.classes;
        if (classes.length <= Character.MAX_VALUE) {
            graph.classOfNarrow = new char[n];
        } else {
            graph.classOfWide = new int[n];
        }
        int[] first = new int[n + 1];
        int threads = (int) Math.max(1, Math.min(Math.min(4, Runtime.getRuntime().availableProcessors()),
                n / parallelThreshold));
        Chunk[] chunks = new Chunk[threads];
        for (int t = 0; t < threads; t++) {
            int from = (int) ((long) n * t / threads);
            int to = (int) ((long) n * (t + 1) / threads);
            long capacity = threads == 1 ? referenceBound + 16 : referenceBound * (to - from) / Math.max(1, n) + 1024;
            chunks[t] = new Chunk(from, to, (int) Math.min(Integer.MAX_VALUE - 64, capacity), classes.length,
                    candidates.length);
        }
        Thread[] workers = new Thread[threads];
        for (int t = 1; t < threads; t++) {
            Chunk chunk = chunks[t];
            workers[t] = new Thread(() -> {
                try {
                    readChunk(graph, chunk, first, candidates, false);
                } catch (Throwable e) {
                    chunk.failure = e;
                }
            }, "refkit-heap pass 2 #" + t);
            workers[t].setDaemon(true);
            workers[t].start();
        }
        try {
            readChunk(graph, chunks[0], first, candidates, true);
        } catch (HprofFormatException | RuntimeException | Error e) {
            chunks[0].failure = e;
        }
        for (int t = 1; t < threads; t++) {
            boolean interrupted = false;
            while (true) {
                try {
                    workers[t].join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        for (Chunk chunk : chunks) {
            Throwable e = chunk.failure;
            if (e instanceof HprofFormatException hfe) {
                throw hfe;
            } else if (e instanceof RuntimeException re) {
                throw re;
            } else if (e instanceof Error err) {
                throw err;
            } else if (e != null) {
                throw new IllegalStateException(e);
            }
        }
        long total = 0;
        for (Chunk chunk : chunks) {
            total += chunk.csr.size;
        }
        if (total > Integer.MAX_VALUE - 64) {
            throw in.error(in.size(), "heap dump", "more than 2^31 references; the dump is too large for this reader");
        }
        if (threads == 1) {
            CsrBuilder csr = chunks[0].csr;
            // the bound is exact but for null and dangling references; trimming costs a copy, so only when it pays
            boolean trim = csr.size < csr.targets.length - csr.targets.length / 8;
            graph.referenceTargets = trim ? Arrays.copyOf(csr.targets, csr.size) : csr.targets;
            graph.referenceKinds = trim ? Arrays.copyOf(csr.kinds, csr.size) : csr.kinds;
        } else {
            int[] targets = new int[(int) total];
            byte[] kinds = new byte[(int) total];
            int base = 0;
            for (Chunk chunk : chunks) {
                System.arraycopy(chunk.csr.targets, 0, targets, base, chunk.csr.size);
                System.arraycopy(chunk.csr.kinds, 0, kinds, base, chunk.csr.size);
                if (base != 0) {
                    for (int o = chunk.from; o < chunk.to; o++) {
                        first[o] += base;
                    }
                }
                base += chunk.csr.size;
                chunk.csr.targets = null;
                chunk.csr.kinds = null;
            }
            graph.referenceTargets = targets;
            graph.referenceKinds = kinds;
        }
        first[n] = (int) total;
        graph.firstReference = first;
        long[] score = new long[candidates.length];
        for (Chunk chunk : chunks) {
            dangling[0] += chunk.csr.dangling;
            for (int i = 0; i < classCounts.length; i++) {
                classCounts[i] += chunk.classCounts[i];
            }
            for (int i = 0; i < arrayBytes.length; i++) {
                arrayBytes[i] += chunk.arrayBytes[i];
            }
            for (int h = 0; h < score.length; h++) {
                score[h] += chunk.score[h];
            }
        }
        int best = 0;
        for (int h = 1; h < candidates.length; h++) {
            if (score[h] > score[best]) {
                best = h;
            }
        }
        graph.vm = candidates[best];
        progress.progress("reading references", n, n);
    }

    private void readChunk(HeapGraph graph, Chunk chunk, int[] first, VmLayout[] candidates, boolean report)
            throws HprofFormatException {
        int n = graph.objectCount();
        HeapClass[] classes = graph.classes;
        CsrBuilder csr = chunk.csr;
        int id = idSize;
        int javaLangClass = graph.javaLangClass.index;
        int share = Math.max(1, n / Math.max(1, chunk.to - chunk.from));
        for (int o = chunk.from; o < chunk.to; o++) {
            long pos = graph.position(o);
            int tag = in.u1(pos);
            int classIndex;
            long length = 0;
            switch (tag) {
                case HeapGraph.INSTANCE_DUMP: {
                    HeapClass c = classById(in.id(pos + 1 + id + 4));
                    if (c == null) {
                        throw in.error(pos, "INSTANCE_DUMP", String.format("class id 0x%x, which has no CLASS_DUMP "
                                + "in the file (expected the class of every instance to be dumped)",
                                in.id(pos + 1 + id + 4)));
                    }
                    classIndex = c.index;
                    break;
                }
                case HeapGraph.OBJ_ARRAY_DUMP: {
                    long arrayClass = in.id(pos + 1 + id + 8);
                    HeapClass c = classById(arrayClass);
                    if (c == null) {
                        c = classByName("java.lang.Object[]");
                    }
                    if (c == null) {
                        throw in.error(pos, "OBJ_ARRAY_DUMP", String.format("array class id 0x%x, which has no "
                                + "CLASS_DUMP in the file", arrayClass));
                    }
                    classIndex = c.index;
                    length = in.u4(pos + 1 + id + 4);
                    break;
                }
                case HeapGraph.PRIM_ARRAY_DUMP:
                case HeapGraph.PRIM_ARRAY_NODATA:
                    classIndex = primitiveArrayClasses[in.u1(pos + 1 + id + 8)].index;
                    length = in.u4(pos + 1 + id + 4);
                    break;
                default:
                    classIndex = javaLangClass;
                    break;
            }
            if (graph.classOfNarrow != null) {
                graph.classOfNarrow[o] = (char) classIndex;
            } else {
                graph.classOfWide[o] = classIndex;
            }
            first[o] = csr.size;
            graph.walk(o, csr);

            chunk.classCounts[classIndex]++;
            if (tag != HeapGraph.CLASS_DUMP) {
                HeapClass c = classes[classIndex];
                long gap = o + 1 < n ? graph.objectId(o + 1) - graph.objectId(o) : -1;
                for (int h = 0; h < candidates.length; h++) {
                    long size;
                    if (tag == HeapGraph.INSTANCE_DUMP) {
                        size = c.layouts[h].instanceSize;
                    } else {
                        size = candidates[h].arraySize(tag == HeapGraph.OBJ_ARRAY_DUMP ? BasicType.OBJECT
                                : c.elementType, length);
                        chunk.arrayBytes[classIndex * candidates.length + h] += size;
                    }
                    if (size == gap) {
                        chunk.score[h]++;
                    }
                }
            }
            if (report && ((o - chunk.from) & 0xfffff) == 0) {
                progress.progress("reading references", (long) (o - chunk.from) * share, n);
            }
        }
    }

    private HeapClass classByName(String name) {
        for (HeapClass c : classesRef) {
            if (c.name.equals(name)) {
                return c;
            }
        }
        return null;
    }

    // ---------------------------------------------------------------------------------------------- roots

    private void buildRoots(HeapGraph graph, ObjectIds ids) {
        int count = rootIds.size;
        IntList objects = new IntList(count);
        byte[] kinds = new byte[count];
        int[] threadIndexes = new int[count];
        int[] depths = new int[count];
        StackFrame[] frames = new StackFrame[count];
        Map<Long, StackFrame> frameCache = new HashMap<>();
        long[] frameIdArray = frameIds.toArray();
        long[] frameRecordArray = frameRecords.toArray();
        if (!PairSort.isSorted(frameIdArray, frameIdArray.length)) {
            PairSort.sort(frameIdArray, frameRecordArray, frameIdArray.length);
        }
        Map<Integer, String> classNamesBySerial = new HashMap<>();
        for (int i = 0; i < loadClassSerials.size; i++) {
            String vmName = string(loadClassNames.get(i));
            classNamesBySerial.put(loadClassSerials.get(i), vmName != null ? javaName(vmName) : "<unknown>");
        }
        int kept = 0;
        for (int i = 0; i < count; i++) {
            int object = ids.indexOf(rootIds.get(i));
            if (object < 0) {
                continue;
            }
            GcRootKind kind = GcRootKind.ofOrdinal(rootKinds.get(i));
            int serial = rootThreadSerials.get(i);
            long[] thread = kind == GcRootKind.THREAD_OBJECT ? null : threads.get(serial);
            int threadIndex = thread != null ? ids.indexOf(thread[0]) : -1;
            int depth = kind == GcRootKind.JAVA_FRAME || kind == GcRootKind.JNI_LOCAL || kind == GcRootKind.JNI_MONITOR
                    ? rootFrames.get(i) : -1;
            StackFrame frame = null;
            if (depth >= 0 && thread != null) {
                long[] trace = traces.get((int) thread[1]);
                if (trace != null && depth < trace.length) {
                    frame = frameCache.computeIfAbsent(trace[depth],
                            f -> frame(f, frameIdArray, frameRecordArray, classNamesBySerial));
                }
            }
            objects.add(object);
            kinds[kept] = (byte) kind.ordinal();
            threadIndexes[kept] = threadIndex;
            depths[kept] = depth;
            frames[kept] = frame;
            kept++;
        }
        graph.rootObjects = objects.toArray();
        graph.rootKinds = Arrays.copyOf(kinds, kept);
        graph.rootThreads = Arrays.copyOf(threadIndexes, kept);
        graph.rootFrameDepths = Arrays.copyOf(depths, kept);
        graph.rootFrames = Arrays.copyOf(frames, kept);
    }

    private StackFrame frame(long frameId, long[] frameIdArray, long[] records, Map<Integer, String> classNames) {
        int i = Arrays.binarySearch(frameIdArray, frameId);
        if (i < 0) {
            return null;
        }
        long body = records[i];
        int id = idSize;
        return new StackFrame(classNames.getOrDefault(in.i4(body + 4L * id), "<unknown>"),
                stringOr(in.id(body + id), "<unknown>"), stringOr(in.id(body + 2L * id), ""),
                stringOr(in.id(body + 3L * id), "<unknown>"), in.i4(body + 4L * id + 4));
    }
}
