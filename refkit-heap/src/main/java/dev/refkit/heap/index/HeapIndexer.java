package dev.refkit.heap.index;

import dev.refkit.heap.DumpInfo;
import dev.refkit.heap.ProgressListener;
import dev.refkit.heap.hprof.HprofFormatException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a dump into a {@link DumpIndex}: pass 1 here, pass 2 ({@link ReferencePass}) when the references
 * are first asked for. The parts: the walk of the top-level records (here), the heap dump records
 * ({@link HeapScan}, {@link SegmentScan}), strings ({@link DumpStrings}), the id table
 * ({@link IdTableBuilder}), classes ({@link ClassBuilder}), counts, layout and histogram
 * ({@link HistogramBuilder}) and GC roots ({@link RootBuilder}).
 *
 * <p>Implementation notes. Pass 1 walks the top-level records in file order and validates every length
 * against the file before anything is read inside it, so that no later read can leave the file; it keeps
 * strings, stack frames and traces (id or serial and position only: nothing is read or allocated for what a
 * record declares, only for what the file holds), and the extent of every heap dump record that is not
 * empty ({@link HeapRecords}). The heap dump records are then scanned in contiguous groups, one thread per
 * group for large dumps (HotSpot writes segments of about a megabyte): class dumps, GC roots, for every
 * object its id and file position ({@link ObjectLog}), and per class id the counts and array lengths of its
 * objects ({@link ClassTally}). In a large dump the groups log into regions of one shared array, each sized
 * from samples of its records, so that the array becomes the id table in place (every page of a new array costs a fault and
 * zeroing, which is most of what a copy would cost). There each object is logged as its table entry
 * against a base id taken from the samples, and in ascending order, as HotSpot writes a heap; the few that
 * do not fit are kept apart, as class objects are (their ids need not follow the others'), and both are
 * merged in last. Otherwise the entries are converted into one {@code long} per object (id and position,
 * {@link ObjectIds}) and sorted ({@link RunSort}, skipped when they already ascend). Duplicates are dropped
 * as the table's bucket directory is built. Once the classes are built, the tallies give the histogram and
 * are checked against them (every object's class is dumped, every instance holds its fields), which is
 * what lets pass 2 run later without finding a fault; a sample of objects read at their positions decides
 * the {@link VmLayout} of the VM that wrote the dump (under the right one, an object's size is the gap to
 * the next object's address). Nothing is allocated per object or per record but entries of primitive arrays,
 * except one small object per class; every table keyed by ids the dump chooses is seeded ({@link IdHash}) or
 * sorted with a worst-case bound ({@link PairSort}).
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
    private final Storage storage;
    private final ProgressListener progress;
    private final ProgressListener referenceProgress;
    private final int idSize;

    private final LongList utf8Ids = new LongList(1 << 12);
    private final LongList utf8Positions = new LongList(1 << 12);
    private final LongList loadClassIds = new LongList(1 << 10);
    private final LongList loadClassNames = new LongList(1 << 10);
    private final IntList loadClassSerials = new IntList(1 << 10);
    private final LongList frameIds = new LongList(64);
    private final LongList frameRecords = new LongList(64);
    /** Every STACK_TRACE's serial and body, in file order: its frames are read when a root asks for one. */
    private final IntList traceSerials = new IntList(64);
    private final LongList tracePositions = new LongList(64);
    private final HeapRecords heapRecords = new HeapRecords();
    /** Pass 1's second half, and what the heap records hold, scanned in contiguous groups, in file order. */
    private HeapScan heapScan;
    private SegmentScan[] scans;
    /** {id, position} of every CLASS_DUMP record, in file order, duplicates included. */
    private final List<long[]> classDumps = new ArrayList<>();
    private int heapDumps;
    private int segments;
    private boolean sawEnd;
    /** At least as many references as pass 2 can find: every id-sized slot of every record, plus classes. */
    private long referenceBound;
    private int instances;
    private int objectArrays;
    private int primitiveArrays;

    /**
     * @param progress          told how far pass 1 has come
     * @param referenceProgress told how far pass 2 has come, when the references are first asked for
     */
    HeapIndexer(HprofFile in, Storage storage, ProgressListener progress, ProgressListener referenceProgress) {
        this.in = in;
        this.storage = storage;
        this.progress = progress;
        this.referenceProgress = referenceProgress;
        this.idSize = in.idSize();
        this.strings = new DumpStrings(in, utf8Ids, utf8Positions);
    }

    private final DumpStrings strings;

    // ---------------------------------------------------------------------------------------------- pass 1

    static String recordName(int tag) {
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
                    traceSerials.add(in.i4(body));
                    tracePositions.add(body);
                    break;
                }
                case HEAP_DUMP:
                case HEAP_DUMP_SEGMENT:
                    if (tag == HEAP_DUMP) {
                        heapDumps++;
                    } else {
                        segments++;
                    }
                    if (length > 0) {
                        heapRecords.add(pos, end);
                    }
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
        Thread sorting = new Thread(() -> {
            try {
                strings.sort();
            } catch (Throwable e) {
                // sorted again below, where the failure is thrown
            }
        }, "refkit-heap strings");
        sorting.setDaemon(true);
        sorting.start();
        try {
            // the records' content first: a problem inside a segment says more than a missing end record
            scanHeap();
        } finally {
            joinAll(sorting);
        }
        if (!strings.sorted()) {
            strings.sort();
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

    static void need(HprofFile in, long record, String name, long at, long end, long bytes)
            throws HprofFormatException {
        if (bytes < 0 || end - at < bytes) {
            throw in.error(record, name, "truncated content (needs " + bytes + " bytes at offset " + at + ", "
                    + Math.max(0, end - at) + " left in the record)");
        }
    }

    private void need(long record, String name, long at, long end, long bytes) throws HprofFormatException {
        need(in, record, name, at, end, bytes);
    }

    /** Heap dump bytes per thread below which pass 1 scans on the calling thread alone; lowered by tests. */
    static volatile long parallelScanBytes = 64L << 20;

    /** Heap dump bytes from which pass 1 logs objects into one shared array; lowered by tests. */
    static volatile long sharedLogBytes = 32L << 20;

    /** How much larger than the estimate a group's region is; changed by tests. */
    static volatile double regionSlack = 1.08;

    /** How the id table was made; tests check that the paths they mean to take are taken. */
    enum IdTable {
        /** The shared array as pass 1 left it ({@link IdTableBuilder#tableInPlace}). */
        IN_PLACE,
        /** The shared array, its entries converted ({@link IdTableBuilder#loggedEntries}). */
        CONVERTED,
        /** A new array, the entries converted into it. */
        COPIED,
        /** Ids and positions apart ({@link IdTableBuilder#wideIds}). */
        WIDE
    }

    /**
     * Pass 1's second half ({@link HeapScan}), then the class dumps its groups found gathered in file order,
     * and their counts.
     */
    private void scanHeap() throws HprofFormatException {
        heapScan = new HeapScan(in, storage, progress, heapRecords, loadClassIds);
        heapScan.run();
        scans = heapScan.scans;
        for (SegmentScan scan : scans) {
            for (int i = 0; i < scan.classObjectIds.size; i++) {
                classDumps.add(new long[] {scan.classObjectIds.get(i), scan.classObjectPositions.get(i)});
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

    /** A big-endian unsigned 4-byte value of the walk's window. */
    private static long u4(byte[] b, int at) {
        return (b[at] & 0xffL) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8 | b[at + 3] & 0xff;
    }

    /** An identifier in the walk's window. */
    private long id(byte[] b, int at) {
        return idSize == 4 ? u4(b, at) : u4(b, at) << 32 | u4(b, at + 4);
    }


    // ---------------------------------------------------------------------------------------------- build

    DumpIndex build(java.nio.file.Path path) throws HprofFormatException {
        pass1();

        // objects: sort by id (only what is out of address order), drop duplicates, compress
        long objects = 0;
        for (SegmentScan scan : scans) {
            objects += scan.count();
        }
        if (objects > Integer.MAX_VALUE - 64) {
            throw in.error(in.size(), "heap dump", "more than 2^31 objects; the dump is too large for this reader");
        }
        int n = (int) objects;
        boolean wide = in.size() > 0xffff_ffffL;
        IdTableBuilder table = new IdTableBuilder(storage, scans, heapScan.sharedLog, heapScan.logBase);
        heapScan = null;
        if (wide && table.highestPositionBits() > 0xff) {
            throw in.error(in.size(), "file", "dump larger than 1 TB; positions beyond 2^40 are not supported");
        }
        progress.progress("sorting objects", 0, n);
        ObjectIds ids = table.build(n, wide);
        int duplicates = n - ids.count();
        n = ids.count();

        ClassBuilder classBuilder = new ClassBuilder(in, strings);
        ClassRecord[] classes = classBuilder.buildClasses(loadClassIds, loadClassNames, classDumps);
        DumpIndex dump = new DumpIndex(in, storage, ids, classes);
        dump.idTable = table.idTable;
        classBuilder.linkClasses(dump, ids);
        VmLayout[] candidates = VmLayout.candidates(idSize);
        dump.candidates(candidates);
        long[] classCounts = new long[classes.length];
        long[] arrayStats = new long[classes.length * ClassTally.ARRAY_STATS];
        HistogramBuilder counts = new HistogramBuilder(in, scans, classBuilder, classDumps.size());
        counts.mergeTallies(dump, classCounts, arrayStats);
        counts.dropFromCounts(dump, table.droppedPositions, classCounts, arrayStats);
        dump.vm = counts.chooseLayout(dump, classes, candidates);
        int danglingRoots = new RootBuilder(in, strings, scans, traceSerials, tracePositions, frameIds, frameRecords,
                loadClassSerials, loadClassNames).buildRoots(dump, ids, scans);
        dump.readReferencesWith(new ReferencePass(referenceProgress, referenceBound));
        counts.histogram(dump, classes, classCounts, arrayStats);
        VmLayout vm = dump.vm;

        dump.info = new DumpInfo(path, in.version(), idSize, in.timestamp(), in.size(), in.wasCompressed(),
                vm.name(), vm.compressedReferences(), n, classes.length, instances, objectArrays, primitiveArrays,
                -1, -1, dump.rootObjects.length, danglingRoots, duplicates,
                ids.bytes(), -1);
        return dump;
    }
}
