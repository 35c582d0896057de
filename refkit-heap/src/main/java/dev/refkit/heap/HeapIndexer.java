package dev.refkit.heap;

import dev.refkit.heap.hprof.BasicType;
import dev.refkit.heap.hprof.HprofFile;
import dev.refkit.heap.hprof.HprofFormatException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a dump into a {@link HeapGraph}: pass 1 here, pass 2 ({@link ReferencePass}) when the references
 * are first asked for.
 *
 * <p>Implementation notes. Pass 1 walks the top-level records in file order and validates every length
 * against the file before anything is read inside it, so that no later read can leave the file; it keeps
 * strings (id and position only), stack frames and traces, and the extent of every heap dump record. The
 * heap dump records are then scanned in contiguous groups, one thread per group for large dumps (HotSpot
 * writes segments of about a megabyte): class dumps, GC roots, for every object its id and file position
 * ({@link ObjectLog}), and per class id the counts and array lengths of its objects ({@link ClassTally}).
 * In a large dump the groups log into regions of one shared array, each sized from samples of its
 * records, so that the array becomes the id table in place (every page of a new array costs a fault and
 * zeroing, which is most of what a copy would cost). There each object is logged as its table entry
 * against a base id taken from the samples, and in ascending order, as HotSpot writes a heap; the few that
 * do not fit are kept apart, as class objects are (their ids need not follow the others'), and both are
 * merged in last. Otherwise the entries are converted into one {@code long} per object (id and position,
 * {@link ObjectIds}) and sorted ({@link RunSort}, skipped when they already ascend). Duplicates are dropped
 * as the table's bucket directory is built. Once the classes are built, the tallies give the histogram and
 * are checked against them (every object's class is dumped, every instance holds its fields), which is
 * what lets pass 2 run later without finding a fault; a sample of objects read at their positions decides
 * the {@link VmLayout} of the VM that wrote the dump (under the right one, an object's size is the gap to
 * the next object's address). Nothing is allocated per object or per record, except one small object per
 * class.
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
    /** log2 of {@link #idSize}. */
    private final int idShift;

    private final LongList utf8Ids = new LongList(1 << 12);
    private final LongList utf8Positions = new LongList(1 << 12);
    private final LongList loadClassIds = new LongList(1 << 10);
    private final LongList loadClassNames = new LongList(1 << 10);
    private final IntList loadClassSerials = new IntList(1 << 10);
    private final LongList frameIds = new LongList(64);
    private final LongList frameRecords = new LongList(64);
    private final Map<Integer, long[]> traces = new HashMap<>();
    /** {position, body, end} of every HEAP_DUMP and HEAP_DUMP_SEGMENT record, in file order. */
    private final List<long[]> heapRecords = new ArrayList<>();
    /** What the heap records hold, scanned in contiguous groups, in file order. */
    private Scan[] scans;
    private final Map<Integer, long[]> threads = new HashMap<>();
    /** {id, position} of every CLASS_DUMP record, in file order, duplicates included. */
    private final List<long[]> classDumps = new ArrayList<>();
    private final IntList rootKinds = new IntList(1 << 10);
    private final LongList rootIds = new LongList(1 << 10);
    private final IntList rootThreadSerials = new IntList(1 << 10);
    private final IntList rootFrames = new IntList(1 << 10);
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
        this.idShift = Integer.numberOfTrailingZeros(idSize);
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

    /** Bytes of the file the walk of the top-level records reads at a time, and the most it reads of one. */
    private static final int WINDOW = 1 << 16;
    private static final int RECORD_START = 9 + 8 + 2 * 8;

    void pass1() throws HprofFormatException {
        long size = in.size();
        long pos = in.recordsStart();
        // the records' starts are read from a copy of the file a window at a time: the walk runs once, mostly
        // in the interpreter in a fresh JVM, where every read through a mapped buffer is a chain of calls;
        // after a record longer than the window (a heap dump segment) only the next record's start is copied
        byte[] window = new byte[(int) Math.min(WINDOW, Math.max(RECORD_START, size - pos))];
        long windowStart = 0;
        long windowEnd = 0;
        long lastLength = 0;
        while (pos < size) {
            if (size - pos < 9) {
                throw in.error(pos, "record header", "truncated record header (needs 9 bytes, " + (size - pos)
                        + " left); the file is incomplete — was the dump interrupted?");
            }
            if (pos + RECORD_START > windowEnd && windowEnd < size) {
                windowStart = pos;
                windowEnd = Math.min(size, pos + (lastLength > window.length ? RECORD_START : window.length));
                in.readBytes(pos, window, (int) (windowEnd - pos));
            }
            int w = (int) (pos - windowStart);
            int tag = window[w] & 0xff;
            String name = recordName(tag);
            if (name == null) {
                throw in.error(pos, "record header", String.format("unknown record tag 0x%02x (expected an HPROF "
                        + "record tag such as 0x01 UTF8 or 0x1c HEAP_DUMP_SEGMENT); the file is corrupt", tag));
            }
            long length = u4(window, w + 5);
            lastLength = length;
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
                    utf8Ids.add(id(window, w + 9));
                    utf8Positions.add(pos);
                    break;
                case LOAD_CLASS:
                    need(pos, name, body, end, 8 + 2L * idSize);
                    loadClassSerials.add((int) u4(window, w + 9));
                    loadClassIds.add(id(window, w + 9 + 4));
                    loadClassNames.add(id(window, w + 9 + 8 + idSize));
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
                    heapRecords.add(new long[] {pos, body, end});
                    break;
                case HEAP_DUMP_END:
                    sawEnd = true;
                    break;
                default:
                    break;
            }
            pos = end;
        }
        // the strings are sorted by id on a thread of their own meanwhile
        Thread strings = new Thread(this::sortStrings, "refkit-heap strings");
        strings.setDaemon(true);
        strings.start();
        try {
            // the records' content first: a problem inside a segment says more than a missing end record
            scanHeap();
        } finally {
            joinAll(strings);
        }
        if (sortedUtf8Ids == null) {
            sortStrings();   // the thread failed: again here, where a failure is thrown
        }
        if (heapDumps == 0 && segments == 0) {
            throw in.error(size, "file", "no HEAP_DUMP or HEAP_DUMP_SEGMENT record: the file holds no heap dump "
                    + "(is it a CPU profile, or was the dump interrupted before the heap was written?)");
        }
        if (segments > 0 && !sawEnd) {
            throw in.error(size, "file", "no HEAP_DUMP_END record after the last HEAP_DUMP_SEGMENT; the file is "
                    + "incomplete — was the dump interrupted?");
        }
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

    /** Heap dump bytes per thread below which pass 1 scans on the calling thread alone; lowered by tests. */
    static volatile long parallelScanBytes = 64L << 20;

    /** Heap dump bytes from which pass 1 logs objects into one shared array; lowered by tests. */
    static volatile long sharedLogBytes = 32L << 20;

    /** How much larger than the estimate a group's region is; changed by tests. */
    static volatile double regionSlack = 1.08;

    /** Records sampled per group to estimate its objects, and the bytes read from the start of each. */
    private static final int DENSITY_SAMPLES = 16;
    private static final long SAMPLE_BYTES = 16 << 10;

    /**
     * Records larger than this are not sampled: one such record may hold most of the heap, and the start of
     * it says little about the rest (a dump written as one HEAP_DUMP record is read without a shared log).
     */
    private static final long LARGEST_SAMPLE = 16L << 20;

    /** The array that pass 1's logs share, or null; it becomes the id table. */
    private long[] sharedLog;
    /** The id from which the entries in {@link #sharedLog} count. */
    private long logBase;

    /** How the id table was made; tests check that the paths they mean to take are taken. */
    enum IdTable {
        /** The shared array as pass 1 left it ({@link #tableInPlace}). */
        IN_PLACE,
        /** The shared array, its entries converted ({@link #loggedEntries}). */
        CONVERTED,
        /** A new array, the entries converted into it. */
        COPIED,
        /** Ids and positions apart ({@link #wideIds}). */
        WIDE
    }

    private IdTable idTable = IdTable.WIDE;

    /**
     * An upper estimate of the objects in heap records {@code from .. to - 1} (-1 when none of the sampled
     * records could be counted), and the span of the ids of the objects sampled.
     */
    private record Estimate(long objects, IdSpan sampled) {
    }

    /**
     * Estimates the objects of heap records {@code from .. to - 1}: their bytes times the objects per byte
     * of the starts of up to {@link #DENSITY_SAMPLES} of them spread evenly, the first among them, with
     * {@link #regionSlack}.
     */
    private Estimate estimateObjects(int from, int to) {
        long bytes = 0;
        for (int r = from; r < to; r++) {
            bytes += heapRecords.get(r)[2] - heapRecords.get(r)[1];
        }
        int records = to - from;
        int samples = Math.min(DENSITY_SAMPLES, records);
        long countedObjects = 0;
        long countedBytes = 0;
        IdSpan sampled = new IdSpan();
        for (int i = 0; i < samples; i++) {
            int r = from + (int) ((long) records * i / samples);
            long[] record = heapRecords.get(r);
            if (record[2] - record[1] > LARGEST_SAMPLE) {
                continue;
            }
            // the record's start read as pass 1 will read it, into a region of a log of its own, as pass 1
            // logs (the smallest object is an empty primitive array); a fault is for pass 1 to report
            long limit = Math.min(record[2], record[1] + SAMPLE_BYTES);
            int capacity = (int) ((limit - record[1]) / (idSize + 10) + 2);
            ObjectLog log = new ObjectLog(new long[capacity], 0, capacity, ObjectLog.FLOATING, capacity);
            Scan sample = new Scan(r, r + 1, 0, 0, log);
            long read;
            try {
                read = sample.sample(record[1], record[2], limit, recordName(in.u1(record[0]))) - record[1];
            } catch (HprofFormatException e) {
                continue;
            }
            countedObjects += sample.count();
            countedBytes += read;
            sampled.add(log.span());
        }
        if (countedBytes == 0) {
            return new Estimate(-1, sampled);
        }
        return new Estimate((long) Math.ceil((double) countedObjects / countedBytes * bytes * regionSlack) + 1024,
                sampled);
    }

    /**
     * The base for the shared log's entries, in steps of 8 from the smallest id sampled: the ids sampled lie
     * in the middle of the 32 GB the entries reach (the objects not sampled may lie below them), lowered to
     * below the ids of the loaded classes if need be and room is left (their objects are merged in at the
     * end). Where in the reach the ids lie does not matter to the table, whose bucket directory starts at its
     * smallest id. {@link Long#MAX_VALUE} when the samples met no object.
     */
    private long logBase(Estimate[] estimates) {
        IdSpan sampled = new IdSpan();
        for (Estimate e : estimates) {
            sampled.add(e.sampled());
        }
        if (!sampled.any) {
            return Long.MAX_VALUE;
        }
        long smallest = sampled.min;
        long span = sampled.max - smallest;
        long below = Math.max(0, (ObjectLog.REGION_REACH - span) / 2);
        // but not so far that the objects above the largest sampled (the last sample is near the end) lose
        // their room: a class out of reach makes the entries be converted instead
        long most = ObjectLog.REGION_REACH - span - Math.max(span / 4, 64L << 20);
        for (int i = 0; i < loadClassIds.size; i++) {
            below = Math.max(below, Math.min(most, smallest - loadClassIds.get(i)));
        }
        return smallest - ((below + 7) & -8L);
    }

    /** Strays a group's log keeps apart before it leaves its region: out of order objects should be few. */
    private static int strayLimit(long capacity) {
        return (int) Math.max(1024, capacity / 64);
    }

    /**
     * Pass 1's second half: the heap dump records, split into contiguous groups of about equal bytes, each
     * scanned on its own thread for large dumps (HotSpot writes segments of about a megabyte). Failures are
     * reported in file order, so the error does not depend on the number of threads.
     */
    private void scanHeap() throws HprofFormatException {
        long total = 0;
        for (long[] r : heapRecords) {
            total += r[2] - r[1];
        }
        int groups = workers(Math.min(heapRecords.size(), total / parallelScanBytes));
        int[] bounds = new int[groups + 1];
        long[] share = new long[groups];
        int r = 0;
        long done = 0;
        for (int t = 0; t < groups; t++) {
            long target = total * (t + 1) / groups;
            while (r < heapRecords.size() && (t == groups - 1 || done < target)) {
                done += heapRecords.get(r)[2] - heapRecords.get(r)[1];
                r++;
            }
            bounds[t + 1] = r;
            share[t] = t == 0 ? total / Math.max(1, done) : 0;
        }
        // the objects go straight into one array that becomes the id table, each group in a region sized from
        // a sample of its records, when the dump is large enough for the copy to matter and can be sampled
        long[] capacity = new long[groups];
        long capacities = 0;
        boolean samplable = false;
        for (long[] record : heapRecords) {
            samplable |= record[2] - record[1] <= LARGEST_SAMPLE;
        }
        if (total >= sharedLogBytes && samplable) {
            Estimate[] estimates = new Estimate[groups];
            Task[] sampling = new Task[groups];
            for (int t = 0; t < groups; t++) {
                int group = t;
                sampling[t] = () -> estimates[group] = estimateObjects(bounds[group], bounds[group + 1]);
            }
            runAll("refkit-heap sampling", sampling);
            for (int t = 0; t < groups; t++) {
                capacity[t] = estimates[t].objects();
                capacities = capacity[t] < 0 || capacities < 0 ? -1 : capacities + capacity[t];
            }
            logBase = logBase(estimates);
            if (logBase == Long.MAX_VALUE) {
                capacities = -1;   // the samples met no object to take a base from: no shared log
            }
        }
        // room at the end for the class objects, merged in last
        long room = capacities + loadClassIds.size;
        boolean shared = total >= sharedLogBytes && capacities > 0 && room < Integer.MAX_VALUE - 64;
        boolean wide = in.size() > 0xffff_ffffL;
        // while this thread allocates (and the JVM zeroes) the shared array, another maps in the pages of the
        // heap records, each group's from its start, so that the scan meets fewer page faults
        Prefault prefault = shared ? new Prefault(bounds) : null;
        try {
            sharedLog = shared ? new long[(int) room] : null;
        } finally {
            if (prefault != null) {
                prefault.finish();
            }
        }
        scans = new Scan[groups];
        Task[] tasks = new Task[groups];
        int regionStart = 0;
        for (int t = 0; t < groups; t++) {
            // in a file over 4 GB the log's order is the one its bits 32..39 of the positions are kept in
            ObjectLog log = shared ? new ObjectLog(sharedLog, regionStart, regionStart + (int) capacity[t], logBase,
                    wide ? 0 : strayLimit(capacity[t])) : new ObjectLog();
            regionStart += (int) capacity[t];
            Scan scan = new Scan(bounds[t], bounds[t + 1], share[t], total, log);
            scans[t] = scan;
            tasks[t] = scan::run;
        }
        runAll("refkit-heap pass 1", tasks);
        for (Scan scan : scans) {
            for (int i = 0; i < scan.classObjectIds.size; i++) {
                classDumps.add(new long[] {scan.classObjectIds.get(i), scan.classObjectPositions.get(i)});
            }
            threads.putAll(scan.threads);
            for (int i = 0; i < scan.rootIds.size; i++) {
                rootKinds.add(scan.rootKinds.get(i));
                rootIds.add(scan.rootIds.get(i));
                rootThreadSerials.add(scan.rootThreadSerials.get(i));
                rootFrames.add(scan.rootFrames.get(i));
            }
            referenceBound += scan.referenceBound;
            instances += scan.instances;
            objectArrays += scan.objectArrays;
            primitiveArrays += scan.primitiveArrays;
        }
        progress.progress("indexing objects", in.size(), in.size());
    }

    /** Threads for work that splits into {@code units} parts: one per core, at most four, at least one. */
    static int workers(long units) {
        return (int) Math.max(1, Math.min(Math.min(4, Runtime.getRuntime().availableProcessors()), units));
    }

    /** Waits for the threads to end, even if interrupted meanwhile (the interrupt is kept for the caller). */
    static void joinAll(Thread... threads) {
        boolean interrupted = false;
        for (Thread thread : threads) {
            while (thread != null) {
                try {
                    thread.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Work for {@link #runAll}. */
    interface Task {
        void run() throws HprofFormatException;
    }

    /**
     * Runs the first task on the calling thread and the others on their own threads, waits for all, and
     * rethrows the failure of the first task that failed.
     */
    static void runAll(String name, Task... tasks) throws HprofFormatException {
        Throwable[] failures = new Throwable[tasks.length];
        Thread[] workers = new Thread[tasks.length];
        for (int t = 1; t < tasks.length; t++) {
            int index = t;
            workers[t] = new Thread(() -> {
                try {
                    tasks[index].run();
                } catch (Throwable e) {
                    failures[index] = e;
                }
            }, name + " #" + t);
            workers[t].setDaemon(true);
            workers[t].start();
        }
        try {
            tasks[0].run();
        } catch (HprofFormatException | RuntimeException | Error e) {
            failures[0] = e;
        }
        joinAll(workers);
        for (Throwable e : failures) {
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
    }

    /** Maps in the pages of the heap records, a megabyte of each group in turn, until stopped. */
    private final class Prefault extends Thread {
        private final int[] bounds;
        private volatile boolean stopped;
        volatile long sum;

        Prefault(int[] bounds) {
            super("refkit-heap prefault");
            this.bounds = bounds;
            setDaemon(true);
            start();
        }

        @Override
        public void run() {
            int groups = bounds.length - 1;
            int[] record = Arrays.copyOf(bounds, groups);
            long[] at = new long[groups];
            for (int t = 0; t < groups; t++) {
                at[t] = record[t] < bounds[t + 1] ? heapRecords.get(record[t])[1] : 0;
            }
            long total = 0;
            boolean more = true;
            while (more && !stopped) {
                more = false;
                for (int t = 0; t < groups && !stopped; t++) {
                    if (record[t] >= bounds[t + 1]) {
                        continue;
                    }
                    long[] r = heapRecords.get(record[t]);
                    long to = Math.min(r[2], at[t] + (1 << 20));
                    total += in.touch(at[t], to);
                    at[t] = to;
                    if (to == r[2] && ++record[t] < bounds[t + 1]) {
                        at[t] = heapRecords.get(record[t])[1];
                    }
                    more |= record[t] < bounds[t + 1];
                }
            }
            sum = total;
        }

        /** Stops it and waits: it ends within a megabyte of reads. */
        void finish() {
            stopped = true;
            joinAll(this);
        }
    }

    /** What one contiguous group of heap dump records holds. */
    private final class Scan {
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
        final IntList rootKinds = new IntList(16);
        final LongList rootIds = new LongList(16);
        final IntList rootThreadSerials = new IntList(16);
        final IntList rootFrames = new IntList(16);
        final Map<Integer, long[]> threads = new HashMap<>();
        long referenceBound;
        int instances;
        int objectArrays;
        int primitiveArrays;

        Scan(int fromRecord, int toRecord, long share, long total, ObjectLog objects) {
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
                long[] record = heapRecords.get(r);
                scanHeapDump(record[1], record[2], recordName(in.u1(record[0])));
                done += record[2] - record[1];
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
                if (tag == HeapGraph.INSTANCE_DUMP && left >= 2L * id + 9) {
                    long bytes = b.getInt(o + 2 * id + 5) & 0xffff_ffffL;
                    if (left - (2L * id + 9) < bytes) {
                        return p;
                    }
                    instance(id(b, o + 1), p, bytes, id(b, o + id + 5));
                    p += 2L * id + 9 + bytes;
                } else if (tag == HeapGraph.PRIM_ARRAY_DUMP && left >= id + 10L) {
                    long length = b.getInt(o + id + 5) & 0xffff_ffffL;
                    BasicType type = BasicType.ofCode(b.get(o + id + 9));
                    if (type == null || type == BasicType.OBJECT || left - (id + 10L) < length * type.byteSize(id)) {
                        return p;
                    }
                    primitiveArray(id(b, o + 1), p, type.code(), length);
                    p += id + 10L + length * type.byteSize(id);
                } else if (tag == HeapGraph.OBJ_ARRAY_DUMP && left >= 2L * id + 9) {
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
                case HeapGraph.INSTANCE_DUMP -> {
                    need(p, tag, q, end, 2L * id + 8);
                    long bytes = in.u4(q + 2L * id + 4);
                    need(p, tag, q + 2L * id + 8, end, bytes);
                    instance(in.id(q), p, bytes, in.id(q + id + 4));
                    p = q + 2L * id + 8 + bytes;
                }
                case HeapGraph.PRIM_ARRAY_DUMP, HeapGraph.PRIM_ARRAY_NODATA -> {
                    need(p, tag, q, end, id + 9L);
                    long length = in.u4(q + id + 4);
                    int code = in.u1(q + id + 8);
                    BasicType type = BasicType.ofCode(code);
                    if (type == null || type == BasicType.OBJECT) {
                        throw in.error(p, subRecordName(tag), "element type " + code
                                + " (expected a primitive type code 4..11)");
                    }
                    long bytes = tag == HeapGraph.PRIM_ARRAY_NODATA ? 0 : length * type.byteSize(id);
                    need(p, tag, q + id + 9, end, bytes);
                    primitiveArray(in.id(q), p, code, length);
                    p = q + id + 9 + bytes;
                }
                case HeapGraph.OBJ_ARRAY_DUMP -> {
                    need(p, tag, q, end, 2L * id + 8);
                    long length = in.u4(q + id + 4);
                    need(p, tag, q + 2L * id + 8, end, length * id);
                    objectArray(in.id(q), p, length, in.id(q + id + 8));
                    p = q + 2L * id + 8 + length * id;
                }
                case HeapGraph.CLASS_DUMP -> p = scanClassDump(p, end);
                case 0xff, 0x05, 0x07, 0x89, 0x8a, 0x8b, 0x8c, 0x8d, 0x90 -> {
                    need(p, tag, q, end, id);
                    root(tag, in.id(q), -1, -1);
                    p = q + id;
                }
                case 0x01 -> {
                    need(p, tag, q, end, 2L * id);
                    root(tag, in.id(q), -1, -1);
                    p = q + 2L * id;
                }
                case 0x02, 0x03, 0x8e -> {
                    need(p, tag, q, end, id + 8L);
                    root(tag, in.id(q), in.i4(q + id), in.i4(q + id + 4));
                    p = q + id + 8;
                }
                case 0x04, 0x06 -> {
                    need(p, tag, q, end, id + 4L);
                    root(tag, in.id(q), in.i4(q + id), -1);
                    p = q + id + 4;
                }
                case 0x08 -> {
                    need(p, tag, q, end, id + 8L);
                    long thread = in.id(q);
                    int serial = in.i4(q + id);
                    threads.put(serial, new long[] {thread, in.i4(q + id + 4)});
                    root(tag, thread, serial, -1);
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
                HeapIndexer.this.need(record, subRecordName(tag), at, end, bytes);
            }
        }

        private void root(int tag, long id, int threadSerial, int frame) {
            rootKinds.add(rootKind(tag).ordinal());
            rootIds.add(id);
            rootThreadSerials.add(threadSerial);
            rootFrames.add(frame);
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
        int appendEntries(long[] entries, int at, long min, int shift, byte[] high) {
            ObjectLog log = objects;
            int k = at;
            long last = Long.MIN_VALUE;
            int descents = 0;
            for (int b = 0; b < log.blocks(); b++) {
                long[] block = log.block(b);
                int from = log.offset(b);
                int to = from + log.fill(b);
                if (log.compact()) {
                    // forward: in place, or moving down within the shared array, each entry is read before it
                    // is overwritten
                    for (int i = from; i < to; i++) {
                        long entry = ObjectIds.entry((log.id(block[i]) - min) >>> shift, block[i]);
                        descents += entry < last ? 1 : 0;
                        last = entry;
                        entries[k++] = entry;
                    }
                } else {
                    int[] positions = log.positions(b);
                    for (int i = from; i < to; i++) {
                        long entry = ObjectIds.entry((block[i] - min) >>> shift, positions[i]);
                        descents += entry < last ? 1 : 0;
                        last = entry;
                        entries[k++] = entry;
                    }
                }
            }
            for (int i = 0; i < log.strays(); i++) {
                long entry = ObjectIds.entry((log.strayId(i) - min) >>> shift, log.strayPosition(i));
                descents += entry < last ? 1 : 0;
                last = entry;
                entries[k++] = entry;
            }
            ascending = descents == 0;
            appended = k - at;
            fillHigh(high, at);
            objects = null;
            return k;
        }

        /** Writes this group's ids and positions from {@code at}; frees the log. Returns the next free index. */
        int appendObjects(long[] ids, int[] low, byte[] high, int at) {
            ObjectLog log = objects;
            int k = at;
            for (int b = 0; b < log.blocks(); b++) {
                long[] block = log.block(b);
                int fill = log.fill(b);
                int offset = log.offset(b);
                if (log.compact()) {
                    for (int i = 0; i < fill; i++) {
                        ids[k + i] = log.id(block[offset + i]);
                        low[k + i] = (int) block[offset + i];
                    }
                } else {
                    System.arraycopy(block, 0, ids, k, fill);
                    System.arraycopy(log.positions(b), 0, low, k, fill);
                }
                k += fill;
            }
            for (int i = 0; i < log.strays(); i++, k++) {
                ids[k] = log.strayId(i);
                low[k] = log.strayPosition(i);
            }
            fillHigh(high, at);
            for (int i = 0; i < classObjectIds.size; i++, k++) {
                long position = classObjectPositions.get(i);
                ids[k] = classObjectIds.get(i);
                low[k] = (int) position;
                if (high != null) {
                    high[k] = (byte) (position >>> 32);
                }
            }
            objects = null;
            return k;
        }

        private void fillHigh(byte[] high, int at) {
            if (high == null) {
                return;
            }
            for (int c = 0; c < highChangedAt.size; c++) {
                int end = c + 1 < highChangedAt.size ? highChangedAt.get(c + 1) : objects.size();
                Arrays.fill(high, at + highChangedAt.get(c), at + end, (byte) highValues.get(c));
            }
        }

        /** Validates a CLASS_DUMP; keeps {id, position} for building the class later. */
        private long scanClassDump(long p, long end) throws HprofFormatException {
            String name = "CLASS_DUMP";
            int id = idSize;
            long q = p + 1;
            need(p, HeapGraph.CLASS_DUMP, q, end, 7L * id + 8 + 2);
            q += 7L * id + 8;
            int constants = in.u2(q);
            q += 2;
            for (int i = 0; i < constants; i++) {
                need(p, HeapGraph.CLASS_DUMP, q, end, 3);
                BasicType t = type(p, name, in.u1(q + 2));
                need(p, HeapGraph.CLASS_DUMP, q + 3, end, t.byteSize(id));
                q += 3 + t.byteSize(id);
            }
            need(p, HeapGraph.CLASS_DUMP, q, end, 2);
            int statics = in.u2(q);
            q += 2;
            for (int i = 0; i < statics; i++) {
                need(p, HeapGraph.CLASS_DUMP, q, end, id + 1L);
                BasicType t = type(p, name, in.u1(q + id));
                need(p, HeapGraph.CLASS_DUMP, q + id + 1, end, t.byteSize(id));
                q += id + 1 + t.byteSize(id);
            }
            need(p, HeapGraph.CLASS_DUMP, q, end, 2);
            int fields = in.u2(q);
            q += 2;
            need(p, HeapGraph.CLASS_DUMP, q, end, fields * (id + 1L));
            for (int i = 0; i < fields; i++) {
                type(p, name, in.u1(q + (long) i * (id + 1) + id));
            }
            q += fields * (id + 1L);
            referenceBound += 4 + constants + statics;
            classObject(in.id(p + 1), p);
            return q;
        }
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

    /** A big-endian unsigned 4-byte value of the walk's window. */
    private static long u4(byte[] b, int at) {
        return (b[at] & 0xffL) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8 | b[at + 3] & 0xff;
    }

    /** An identifier in the walk's window. */
    private long id(byte[] b, int at) {
        return idSize == 4 ? u4(b, at) : u4(b, at) << 32 | u4(b, at + 4);
    }

    /** Sorts the strings by id; sets both arrays at the end, so that a failure leaves neither set. */
    private void sortStrings() {
        long[] ids = utf8Ids.toArray();
        long[] positions = utf8Positions.toArray();
        if (!PairSort.isSorted(ids, ids.length)) {
            PairSort.sort(ids, positions, ids.length);
        }
        sortedUtf8Positions = positions;
        sortedUtf8Ids = ids;
    }

    /** The strings decoded so far, by their index among the sorted ids: field names repeat across classes. */
    private String[] decoded;

    private String string(long id) {
        int i = Arrays.binarySearch(sortedUtf8Ids, id);
        if (i < 0) {
            return null;
        }
        if (decoded == null) {
            decoded = new String[sortedUtf8Ids.length];
        }
        String s = decoded[i];
        if (s == null) {
            long record = sortedUtf8Positions[i];
            long length = in.u4(record + 5) - idSize;
            s = in.utf8(record + 9 + idSize, (int) length);
            decoded[i] = s;
        }
        return s;
    }

    /** A field's name, or {@code <field i>} when the dump has no string for it (made only then). */
    private String fieldName(long id, int i) {
        String s = string(id);
        return s != null ? s : "<field " + i + ">";
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

        // objects: sort by id (only what is out of address order), drop duplicates, compress
        long objects = 0;
        for (Scan scan : scans) {
            objects += scan.count();
        }
        if (objects > Integer.MAX_VALUE - 64) {
            throw in.error(in.size(), "heap dump", "more than 2^31 objects; the dump is too large for this reader");
        }
        int n = (int) objects;
        boolean wide = in.size() > 0xffff_ffffL;
        if (wide && highestPositionBits() > 0xff) {
            throw in.error(in.size(), "file", "dump larger than 1 TB; positions beyond 2^40 are not supported");
        }
        progress.progress("sorting objects", 0, n);
        ObjectIds ids = wide ? null : tableInPlace(n);
        if (ids != null) {
            idTable = IdTable.IN_PLACE;
        } else {
            ObjectIds.Range range = idRange();
            ids = range.fitsInt() ? packedIds(n, range, wide) : wideIds(n, wide);
        }
        int duplicates = n - ids.count();
        n = ids.count();

        HeapClass[] classes = buildClasses(ids);
        this.classesRef = classes;
        HeapGraph graph = new HeapGraph(in, ids, classes);
        graph.idTable = idTable;
        linkClasses(graph, ids);
        VmLayout[] candidates = VmLayout.candidates(idSize);
        graph.candidates(candidates);
        long[] classCounts = new long[classes.length];
        long[] arrayStats = new long[classes.length * ClassTally.ARRAY_STATS];
        mergeTallies(graph, classCounts, arrayStats);
        dropFromCounts(graph, droppedPositions, classCounts, arrayStats);
        graph.vm = chooseLayout(graph, classes, candidates);
        buildRoots(graph, ids);
        graph.readReferencesWith(new ReferencePass(progress, referenceBound));

        // fix sizes and the histogram under the chosen layout
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
            long bytes = c.isArray() ? arrayBytes(arrayStats, c, vm) : count * c.instanceSize;
            if (c == graph.javaLangClass) {
                bytes = (count - graph.classObjects.length) * c.instanceSize + classObjectBytes;
            }
            rows.add(new Histogram.Entry(c, count, bytes));
        }
        DumpInfo info = new DumpInfo(path, in.version(), idSize, in.timestamp(), in.size(), in.wasCompressed(),
                vm.name(), vm.compressedReferences(), n, classes.length, instances, objectArrays, primitiveArrays,
                -1, -1, graph.rootObjects.length, rootIds.size - graph.rootObjects.length, duplicates,
                ids.bytes(), -1);
        return new HeapDump(in, graph, new Histogram(rows), info);
    }

    /**
     * Objects whose id quotients fit 32 bits: one entry per object ({@link ObjectIds#entry}), sorted. In a
     * file under 4 GB the entry holds the whole position, so sorting the entries carries the positions
     * along; positions break ties, so of duplicate ids the first written is kept. In a larger file the
     * entries first hold the file order, to move bits 32..39 of the positions with them.
     */
    private ObjectIds packedIds(int n, ObjectIds.Range range, boolean wide) {
        int logged = 0;
        for (Scan scan : scans) {
            logged += scan.objects.size();
        }
        int shift = Long.numberOfTrailingZeros(range.alignment());
        byte[] high = wide ? new byte[n] : null;
        // the logged objects first, each group after the one before, then the class objects merged in
        long[] entries = loggedEntries(n, range.min(), shift, high);
        long[] classEntries = new long[n - logged];
        int c = 0;
        for (Scan scan : scans) {
            for (int i = 0; i < scan.classObjectIds.size; i++, c++) {
                long position = scan.classObjectPositions.get(i);
                classEntries[c] = ObjectIds.entry((scan.classObjectIds.get(i) - range.min()) >>> shift, position);
                if (high != null) {
                    high[logged + c] = (byte) (position >>> 32);
                }
            }
        }
        int[] low = wide ? byIndex(entries, logged, classEntries) : null;
        if (wide || !ascending(entries)) {
            RunSort.sort(entries, logged);
        }
        Arrays.sort(classEntries);
        RunSort.mergeFromBack(entries, logged, classEntries);
        return wide ? wideFileIds(n, range, entries, low, high) : fileIds(n, range, entries);
    }

    /**
     * The id table made of the shared array as it stands, when every group's log stayed in its region: there
     * the objects are already table entries, counted from {@link #logBase} in steps of 8, and ascending. The
     * regions close up, the strays and the class objects are merged in; if an id was written twice, the later
     * are dropped as the table's bucket directory is built, otherwise the table starts with a coarse
     * directory ({@link ObjectIds#ofDistinctEntries}): no pass reads or converts every entry, the entries
     * only move, in blocks, as the regions close up and the extras go in. Null, with
     * nothing changed, when there is no shared array, a log left its region, or a stray or class object does
     * not fit the base; then the entries are converted ({@link #loggedEntries}).
     */
    private ObjectIds tableInPlace(int n) {
        if (sharedLog == null) {
            return null;
        }
        LongList extra = new LongList(1 << 10);
        for (Scan scan : scans) {
            ObjectLog log = scan.objects;
            if (!log.inRegion()) {
                return null;
            }
            for (int i = 0; i < log.strays(); i++) {
                if (!addEntry(extra, log.strayId(i), log.strayPosition(i))) {
                    return null;
                }
            }
            for (int i = 0; i < scan.classObjectIds.size; i++) {
                if (!addEntry(extra, scan.classObjectIds.get(i), scan.classObjectPositions.get(i))) {
                    return null;
                }
            }
        }
        long[] entries = n <= sharedLog.length ? sharedLog : Arrays.copyOf(sharedLog, n);
        sharedLog = null;
        int end = 0;
        boolean ascending = true;
        for (Scan scan : scans) {
            ObjectLog log = scan.objects;
            int from = log.offset(0);
            int fill = log.fill(0);
            if (from != end) {
                System.arraycopy(entries, from, entries, end, fill);
            }
            // each region's ids ascend strictly; so must the last of one and the first of the next
            ascending &= end == 0 || fill == 0 || (entries[end - 1] | 0xffff_ffffL) < entries[end];
            end += fill;
            scan.objects = null;
        }
        if (!ascending) {
            RunSort.sort(entries, end);
        }
        long[] extras = extra.toArray();
        Arrays.sort(extras);
        boolean distinct = ascending && distinctFrom(entries, end, extras);
        RunSort.mergeFromBack(entries, end, extras);
        ObjectIds.Range range = new ObjectIds.Range(logBase, 8, true);
        if (!distinct) {
            return fileIds(n, range, entries);
        }
        return ObjectIds.ofDistinctEntries(n, range,
                entries.length - n > n / 8 ? Arrays.copyOf(entries, n) : entries);
    }

    /**
     * Whether the sorted extra entries have quotients (ids) distinct from each other and from those of the
     * sorted {@code entries[0 .. end)}, whose quotients are distinct (the logs keep an id written again apart).
     */
    private static boolean distinctFrom(long[] entries, int end, long[] extras) {
        for (int i = 0; i < extras.length; i++) {
            long quotient = extras[i] >>> 32;
            if (i > 0 && extras[i - 1] >>> 32 == quotient) {
                return false;
            }
            int at = Arrays.binarySearch(entries, 0, end, extras[i] & 0xffff_ffff_0000_0000L);
            at = at >= 0 ? at : -at - 1;
            if (at < end && entries[at] >>> 32 == quotient) {
                return false;
            }
        }
        return true;
    }

    /** Adds the entry of an id counted from {@link #logBase}; false when the id does not fit. */
    private boolean addEntry(LongList entries, long id, long position) {
        long delta = id - logBase;
        if (!ObjectLog.fits(delta)) {
            return false;
        }
        entries.add(ObjectIds.entry(delta >>> 3, position));
        return true;
    }

    /**
     * The logged objects' entries, from index 0, each group after the one before: converted in place in the
     * shared array when every group stayed in its region (a group's entries move down as they are converted,
     * so they never overtake what is still to be read), else copied into a new array of {@code n}.
     */
    private long[] loggedEntries(int n, long min, int shift, byte[] high) {
        boolean inPlace = sharedLog != null && n <= sharedLog.length;
        for (Scan scan : scans) {
            inPlace &= scan.objects.inRegion();
        }
        // group t's entries go to [at(t), at(t) + size(t)): on threads of their own unless they would land
        // where another group's log still is; in group order unless even that would
        boolean apart = true;
        int at = 0;
        for (int t = 0; inPlace && t < scans.length; t++) {
            for (int u = 0; u < scans.length; u++) {
                int from = scans[u].objects.offset(0);
                boolean overlap = at < from + scans[u].objects.size() && from < at + scans[t].objects.size();
                apart &= u == t || !overlap;
                inPlace &= u <= t || !overlap;
            }
            at += scans[t].objects.size();
        }
        long[] entries = inPlace ? sharedLog : new long[n];
        idTable = inPlace ? IdTable.CONVERTED : IdTable.COPIED;
        sharedLog = null;
        Task[] appends = new Task[scans.length];
        int k = 0;
        for (int t = 0; t < scans.length; t++) {
            Scan scan = scans[t];
            int start = k;
            appends[t] = () -> scan.appendEntries(entries, start, min, shift, high);
            k += scan.objects.size();
        }
        try {
            if (apart) {
                runAll("refkit-heap ids", appends);
            } else {
                for (Task append : appends) {
                    append.run();
                }
            }
        } catch (HprofFormatException e) {
            throw new IllegalStateException(e);
        }
        return entries;
    }

    /** Whether the groups' entries, as appended, are one ascending run: HotSpot writes in address order. */
    private boolean ascending(long[] entries) {
        boolean ascending = true;
        int end = 0;
        for (Scan scan : scans) {
            ascending &= scan.ascending && (end == 0 || scan.appended == 0 || entries[end - 1] <= entries[end]);
            end += scan.appended;
        }
        return ascending;
    }

    /**
     * For a file over 4 GB, whose entries hold only the low 32 bits of the positions: replaces those bits
     * by the entry's index (so that sorting carries the index along) and returns the low bits by index.
     */
    private static int[] byIndex(long[] entries, int logged, long[] classEntries) {
        int[] low = new int[logged + classEntries.length];
        for (int i = 0; i < logged; i++) {
            low[i] = (int) entries[i];
            entries[i] = entries[i] & 0xffff_ffff_0000_0000L | i;
        }
        for (int j = 0; j < classEntries.length; j++) {
            low[logged + j] = (int) classEntries[j];
            classEntries[j] = classEntries[j] & 0xffff_ffff_0000_0000L | (logged + j);
        }
        return low;
    }

    /** The table of a file under 4 GB from its sorted entries; duplicates dropped as its buckets are built. */
    private ObjectIds fileIds(int n, ObjectIds.Range range, long[] entries) {
        LongList dropped = new LongList(0);
        ObjectIds ids = ObjectIds.ofSortedEntries(n, range, entries, null, dropped);
        for (int i = 0; i < dropped.size; i++) {
            droppedPositions.add(dropped.get(i) & 0xffff_ffffL);
        }
        // the shared array keeps its few percent of slack: trimming would be a copy of every entry
        int unique = ids.count();
        return entries.length - unique > unique / 8
                ? ObjectIds.ofEntries(unique, range, Arrays.copyOf(entries, unique), null) : ids;
    }

    /** The table of a file over 4 GB from entries sorted by (quotient, index) ({@link #byIndex}). */
    private ObjectIds wideFileIds(int n, ObjectIds.Range range, long[] entries, int[] low, byte[] high) {
        LongList dropped = new LongList(0);
        int unique = dropDuplicates(entries, n, dropped);
        for (int i = 0; i < dropped.size; i++) {
            int index = (int) dropped.get(i);
            droppedPositions.add((low[index] & 0xffff_ffffL) | (high[index] & 0xffL) << 32);
        }
        byte[] sortedHigh = new byte[unique];
        for (int i = 0; i < unique; i++) {
            int from = (int) entries[i];
            sortedHigh[i] = high[from];
            entries[i] = entries[i] & 0xffff_ffff_0000_0000L | (low[from] & 0xffff_ffffL);
        }
        return ObjectIds.ofEntries(unique, range,
                entries.length - unique > unique / 8 ? Arrays.copyOf(entries, unique) : entries, sortedHigh);
    }

    /**
     * Keeps the first of each run of entries with the same quotient; returns how many are left and adds the
     * others to {@code dropped}.
     */
    private static int dropDuplicates(long[] entries, int n, LongList dropped) {
        int unique = 0;
        for (int i = 0; i < n; i++) {
            if (unique == 0 || entries[unique - 1] >>> 32 != entries[i] >>> 32) {
                entries[unique++] = entries[i];
            } else {
                dropped.add(entries[i]);
            }
        }
        return unique;
    }

    /** Record positions of the objects dropped as duplicates of an id written before. */
    private final LongList droppedPositions = new LongList(0);

    /** Objects whose ids span more than 2^32 alignments: ids and positions in their own arrays. */
    private ObjectIds wideIds(int n, boolean wide) {
        long[] idsArray = new long[n];
        int[] low = new int[n];
        byte[] high = wide ? new byte[n] : null;
        int base = 0;
        for (Scan scan : scans) {
            base = scan.appendObjects(idsArray, low, high, base);
        }
        if (!PairSort.isSorted(idsArray, n)) {
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
                droppedPositions.add((low[i] & 0xffff_ffffL) | (high != null ? (high[i] & 0xffL) << 32 : 0));
                continue;
            }
            idsArray[unique] = idsArray[i];
            low[unique] = low[i];
            if (high != null) {
                high[unique] = high[i];
            }
            unique++;
        }
        if (unique != n) {
            idsArray = Arrays.copyOf(idsArray, unique);
            low = Arrays.copyOf(low, unique);
            high = high != null ? Arrays.copyOf(high, unique) : null;
        }
        return ObjectIds.ofWide(unique, idsArray, low, high);
    }

    /** The smallest id, the alignment of all ids relative to it, and whether the quotients fit 32 bits. */
    private ObjectIds.Range idRange() {
        IdSpan span = new IdSpan();
        for (Scan scan : scans) {
            span.add(scan.objects.span());
            span.add(scan.classIds);
        }
        if (!span.any) {
            return new ObjectIds.Range(0, 1, true);
        }
        long alignment = span.differences == 0 ? 1 : Long.lowestOneBit(span.differences);
        boolean fits = span.max - span.min >= 0 && (span.max - span.min) / alignment <= 0xffff_ffffL;
        return new ObjectIds.Range(span.min, alignment, fits);
    }

    private long highestPositionBits() {
        long highest = 0;
        for (Scan scan : scans) {
            if (scan.highValues.size > 0) {
                highest = Math.max(highest, scan.highValues.get(scan.highValues.size - 1) & 0xffff_ffffL);
            }
        }
        return highest;
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
            // (not String.format: its first use in a JVM loads the formatter, regular expressions and locale data)
            String name = vmName != null ? javaName(vmName) : "<unnamed class 0x" + Long.toHexString(classId) + ">";
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
                statics.add(new HeapClass.Field(fieldName(in.id(q), i), t));
                q += id + 1 + t.byteSize(id);
            }
            int fieldCount = in.u2(q);
            q += 2;
            List<HeapClass.Field> fields = new ArrayList<>(fieldCount);
            for (int i = 0; i < fieldCount; i++) {
                fields.add(new HeapClass.Field(fieldName(in.id(q), i), BasicType.ofCode(in.u1(q + id))));
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
        graph.indexClasses();
        IntList objects = new IntList(classes.length);
        for (HeapClass c : classes) {
            c.objectIndex = c.recordPosition >= 0 ? ids.indexOf(c.id) : -1;
            c.superClass = c.superId != 0 ? graph.classById(c.superId) : null;
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
            IntList offsets = new IntList(types.size());
            IntList slots = new IntList(types.size());
            int offset = 0;
            for (int i = 0; i < c.instanceTypes.length; i++) {
                if (c.instanceTypes[i] == BasicType.OBJECT) {
                    offsets.add(offset);
                    slots.add(i);
                }
                offset += c.instanceTypes[i].byteSize(idSize);
            }
            c.referenceOffsets = offsets.toArray();
            c.referenceSlots = slots.toArray();
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

    /** Every class's field layout under each candidate left ({@code kept}); null under the others. */
    private void computeLayouts(HeapClass[] classes, VmLayout[] candidates, boolean[] kept) {
        hasResolvedMethodName = classByName("java.lang.invoke.ResolvedMethodName") != null;
        for (HeapClass c : classes) {
            layouts(c, candidates, kept);
        }
    }

    private FieldLayout[] layouts(HeapClass c, VmLayout[] candidates, boolean[] kept) {
        if (c.layouts == null) {
            FieldLayout[] own = new FieldLayout[candidates.length];
            FieldLayout[] sup = c.superClass != null ? layouts(c.superClass, candidates, kept) : null;
            for (int h = 0; h < candidates.length; h++) {
                if (!kept[h]) {
                    continue;
                }
                List<BasicType> regular = new ArrayList<>();
                List<BasicType> contended = new ArrayList<>();
                for (HeapClass.Field f : c.fields) {
                    (FieldLayout.isContended(c.name, f.name(), c.fields) ? contended : regular).add(f.type());
                }
                regular.addAll(List.of(FieldLayout.injected(c.name, c.fields, candidates[h], hasResolvedMethodName)));
                regular.addAll(contended);
                BasicType[] declared = regular.toArray(new BasicType[0]);
                FieldLayout base = sup != null ? sup[h] : FieldLayout.root(candidates[h]);
                own[h] = FieldLayout.of(base, declared, contended.size(), candidates[h]);
            }
            c.layouts = own;
        }
        return c.layouts;
    }

    // ---------------------------------------------------------------------------------------------- classes of objects

    /**
     * Merges pass 1's tallies into per class counts and array length figures ({@link ClassTally#ARRAY_STATS}
     * per class), checking that every object's class is in the dump and that every instance holds its
     * class's fields: the checks pass 2 would otherwise make, so that a dump that opens can have its
     * references read. Of several faults, the one earliest in the file is reported.
     */
    private void mergeTallies(HeapGraph graph, long[] classCounts, long[] arrayStats) throws HprofFormatException {
        HeapClass[] classes = graph.classes;
        HeapClass objectArray = classByName("java.lang.Object[]");
        graph.objectArrayFallback = objectArray != null ? objectArray.index : -1;
        long faultAt = Long.MAX_VALUE;
        String faultRecord = null;
        String fault = null;
        int stats = ClassTally.ARRAY_STATS;
        for (Scan scan : scans) {
            ClassTally tally = scan.tally;
            for (int s = 0; s < tally.capacity(); s++) {
                if (tally.keys[s] == 0) {
                    continue;
                }
                long classId = tally.classId(s);
                int c = graph.classIndex(classId);
                long arrays = 0;
                for (int r = 0; r < 8; r++) {
                    arrays += tally.arrayStats[s * stats + r];
                }
                long instanceCount = tally.instances[s];
                if (instanceCount > 0) {
                    long at = tally.minBytesAt[s];
                    if (c < 0 && at < faultAt) {
                        faultAt = at;
                        faultRecord = "INSTANCE_DUMP";
                        fault = String.format("class id 0x%x, which has no CLASS_DUMP in the file (expected the "
                                + "class of every instance to be dumped)", classId);
                    } else if (c >= 0 && tally.minBytes[s] < classes[c].instanceDataSize && at < faultAt) {
                        faultAt = at;
                        faultRecord = "INSTANCE_DUMP";
                        fault = "instance data of " + tally.minBytes[s] + " bytes for class " + classes[c].name
                                + " (its fields need " + classes[c].instanceDataSize + ")";
                    }
                    if (c >= 0) {
                        classCounts[c] += instanceCount;
                    }
                }
                if (arrays > 0) {
                    int a = c >= 0 ? c : graph.objectArrayFallback;
                    long at = tally.firstAt[s];
                    if (a < 0 && at < faultAt) {
                        faultAt = at;
                        faultRecord = "OBJ_ARRAY_DUMP";
                        fault = String.format("array class id 0x%x, which has no CLASS_DUMP in the file", classId);
                    }
                    if (a >= 0) {
                        classCounts[a] += arrays;
                        for (int i = 0; i < stats; i++) {
                            arrayStats[a * stats + i] += tally.arrayStats[s * stats + i];
                        }
                    }
                }
            }
            for (int code = 4; code < 12; code++) {
                int c = primitiveArrayClasses[code].index;
                for (int i = 0; i < stats; i++) {
                    long v = tally.primitiveStats[code * stats + i];
                    arrayStats[c * stats + i] += v;
                    if (i < 8) {
                        classCounts[c] += v;
                    }
                }
            }
        }
        if (fault != null) {
            throw in.error(faultAt, faultRecord, fault);
        }
        // every CLASS_DUMP record, duplicates included, is an object of class java.lang.Class
        classCounts[graph.javaLangClass.index] += classDumps.size();
    }

    /** Takes the objects dropped as duplicates out of the counts: each was tallied in pass 1. */
    private void dropFromCounts(HeapGraph graph, LongList positions, long[] classCounts, long[] arrayStats) {
        for (int i = 0; i < positions.size; i++) {
            long pos = positions.get(i);
            int tag = in.u1(pos);
            int c = graph.classIndexAt(pos, tag);
            classCounts[c]--;
            if (tag != HeapGraph.INSTANCE_DUMP && tag != HeapGraph.CLASS_DUMP) {
                ClassTally.removeLength(arrayStats, c * ClassTally.ARRAY_STATS, in.u4(pos + 1 + idSize + 4));
            }
        }
    }

    /**
     * Objects scored per layout at most: every object of a small dump, an evenly spread sample of a large
     * one (the right layout matches nearly every gap, so 1,024 votes decide as well as all beside the one
     * instance of every class that {@link #chooseLayout} adds; each costs a read at a far place in the file).
     */
    private static final int LAYOUT_VOTES = 1 << 10;

    /**
     * The layout of the VM that wrote the dump: for a sample of objects, the candidate under which the
     * object's size is the gap to the next object's address most often.
     */
    private VmLayout chooseLayout(HeapGraph graph, HeapClass[] classes, VmLayout[] candidates) {
        int n = graph.objectCount();
        int stride = Math.max(1, n / LAYOUT_VOTES);
        // the voters: the evenly spread sample, then one instance of every class (the one pass 1 kept the
        // position of): the field layouts differ only in where a few classes put their fields, most objects
        // are the same size under all of them, and a sample may hold none of those few
        IntList voters = new IntList(Math.min(n, LAYOUT_VOTES + 16));
        for (int o = 0; o + 1 < n; o += stride) {
            voters.add(o);
        }
        for (Scan scan : scans) {
            ClassTally tally = scan.tally;
            for (int s = 0; s < tally.capacity(); s++) {
                if (tally.keys[s] != 0 && tally.minBytes[s] != Long.MAX_VALUE) {
                    long pos = tally.minBytesAt[s];
                    int o = graph.objectIndex(in.id(pos + 1));
                    if (o >= 0 && o + 1 < n && graph.position(o) == pos) {
                        voters.add(o);
                    }
                }
            }
        }
        int[] classOf = new int[voters.size];
        int[] tags = new int[voters.size];
        long[] lengths = new long[voters.size];
        long[] gaps = new long[voters.size];
        for (int v = 0; v < voters.size; v++) {
            int o = voters.get(v);
            long pos = graph.position(o);
            tags[v] = in.u1(pos);
            classOf[v] = tags[v] == HeapGraph.CLASS_DUMP ? -1 : graph.classIndexAt(pos, tags[v]);
            lengths[v] = tags[v] == HeapGraph.INSTANCE_DUMP || tags[v] == HeapGraph.CLASS_DUMP ? 0
                    : in.u4(pos + 1 + idSize + 4);
            gaps[v] = graph.objectId(o + 1) - graph.objectId(o);
        }
        // arrays' sizes do not depend on the field layout: they rule out reference widths and headers first,
        // so that field layouts are computed for the candidates left only (all, if no array voted)
        long[] arrayScore = new long[candidates.length];
        for (int v = 0; v < voters.size; v++) {
            if (tags[v] != HeapGraph.INSTANCE_DUMP && tags[v] != HeapGraph.CLASS_DUMP) {
                vote(arrayScore, classes[classOf[v]], tags[v], lengths[v], gaps[v], candidates, null);
            }
        }
        long most = 0;
        for (long score : arrayScore) {
            most = Math.max(most, score);
        }
        boolean[] kept = new boolean[candidates.length];
        for (int h = 0; h < candidates.length; h++) {
            kept[h] = most == 0 || arrayScore[h] == most;
        }
        computeLayouts(classes, candidates, kept);
        long[] score = new long[candidates.length];
        for (int v = 0; v < voters.size; v++) {
            if (tags[v] != HeapGraph.CLASS_DUMP) {
                vote(score, classes[classOf[v]], tags[v], lengths[v], gaps[v], candidates, kept);
            }
        }
        int best = -1;
        for (int h = 0; h < candidates.length; h++) {
            if (kept[h] && (best < 0 || score[h] > score[best])) {
                best = h;
            }
        }
        return candidates[best];
    }

    /** Shallow bytes of a class's arrays under a layout: a length L = r + 8m costs arraySize(r) plus 8m elements. */
    private static long arrayBytes(long[] arrayStats, HeapClass c, VmLayout layout) {
        BasicType type = c.elementType;
        int at = c.index * ClassTally.ARRAY_STATS;
        long bytes = 0;
        for (int r = 0; r < 8; r++) {
            long count = arrayStats[at + r];
            long lengths = arrayStats[at + 8 + r];
            bytes += count * layout.arraySize(type, r) + (lengths - r * count) * layout.elementSize(type);
        }
        return bytes;
    }

    /** Counts the layouts under which this object's size is the gap to the next object's address. */
    private static void vote(long[] score, HeapClass c, int tag, long length, long gap, VmLayout[] candidates,
                             boolean[] kept) {
        for (int h = 0; h < candidates.length; h++) {
            if (kept != null && !kept[h]) {
                continue;
            }
            long size = tag == HeapGraph.INSTANCE_DUMP ? c.layouts[h].instanceSize
                    : candidates[h].arraySize(tag == HeapGraph.OBJ_ARRAY_DUMP ? BasicType.OBJECT : c.elementType,
                            length);
            if (size == gap) {
                score[h]++;
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
