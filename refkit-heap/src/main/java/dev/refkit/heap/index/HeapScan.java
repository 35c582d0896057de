package dev.refkit.heap.index;

import dev.refkit.heap.ProgressListener;
import dev.refkit.heap.hprof.HprofFormatException;
import java.util.Arrays;

/**
 * Pass 1's second half: the heap dump records, split into contiguous groups of about equal bytes, each
 * scanned ({@link SegmentScan}) on its own thread for large dumps. In a large dump the groups log their
 * objects into regions of one shared array, each sized from samples of its records, so that the array can
 * become the id table in place ({@link IdTableBuilder}).
 */
final class HeapScan {

    private final HprofFile in;
    private final ProgressListener progress;
    private final int idSize;
    /** {position, body, end} of every HEAP_DUMP and HEAP_DUMP_SEGMENT record, in file order. */
    private final HeapRecords heapRecords;
    private final LongList loadClassIds;

    /** Records sampled per group to estimate its objects, and the bytes read from the start of each. */
    private static final int DENSITY_SAMPLES = 16;
    private static final long SAMPLE_BYTES = 16 << 10;

    /**
     * Records larger than this are not sampled: one such record may hold most of the heap, and the start of
     * it says little about the rest (a dump written as one HEAP_DUMP record is read without a shared log).
     */
    private static final long LARGEST_SAMPLE = 16L << 20;

    private final Storage storage;
    /** The array that pass 1's logs share, or null; it becomes the id table. */
    LongArray sharedLog;
    /** The id from which the entries in {@link #sharedLog} count. */
    long logBase;


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
            bytes += heapRecords.bytes(r);
        }
        int records = to - from;
        int samples = Math.min(DENSITY_SAMPLES, records);
        long countedObjects = 0;
        long countedBytes = 0;
        IdSpan sampled = new IdSpan();
        for (int i = 0; i < samples; i++) {
            int r = from + (int) ((long) records * i / samples);
            if (heapRecords.bytes(r) > LARGEST_SAMPLE) {
                continue;
            }
            // the record's start read as pass 1 will read it, into a region of a log of its own, as pass 1
            // logs (the smallest object is an empty primitive array); a fault is for pass 1 to report
            long body = heapRecords.body(r);
            long limit = Math.min(heapRecords.end(r), body + SAMPLE_BYTES);
            int capacity = (int) ((limit - body) / (idSize + 10) + 2);
            Storage heap = Storage.onHeap();
            ObjectLog log = new ObjectLog(heap, heap.longs(capacity), 0, capacity, ObjectLog.FLOATING, capacity);
            SegmentScan sample = new SegmentScan(in, progress, heapRecords, r, r + 1, 0, 0, log);
            long read;
            try {
                String name = HeapIndexer.recordName(in.u1(heapRecords.position(r)));
                read = sample.sample(body, heapRecords.end(r), limit, name) - body;
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
        double perByte = (double) countedObjects / countedBytes;
        return new Estimate((long) Math.ceil(perByte * bytes * HeapIndexer.regionSlack) + 1024,
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

    /** What the heap records hold, scanned in contiguous groups, in file order. */
    SegmentScan[] scans;

    HeapScan(HprofFile in, Storage storage, ProgressListener progress, HeapRecords heapRecords, LongList loadClassIds) {
        this.in = in;
        this.storage = storage;
        this.progress = progress;
        this.idSize = in.idSize();
        this.heapRecords = heapRecords;
        this.loadClassIds = loadClassIds;
    }

    /**
     * Pass 1's second half: the heap dump records, split into contiguous groups of about equal bytes, each
     * scanned on its own thread for large dumps (HotSpot writes segments of about a megabyte). Failures are
     * reported in file order, so the error does not depend on the number of threads.
     */
    void run() throws HprofFormatException {
        long total = 0;
        for (int r = 0; r < heapRecords.size(); r++) {
            total += heapRecords.bytes(r);
        }
        int groups = HeapIndexer.workers(Math.min(heapRecords.size(), total / HeapIndexer.parallelScanBytes));
        int[] bounds = new int[groups + 1];
        long[] share = new long[groups];
        int r = 0;
        long done = 0;
        for (int t = 0; t < groups; t++) {
            long target = total * (t + 1) / groups;
            while (r < heapRecords.size() && (t == groups - 1 || done < target)) {
                done += heapRecords.bytes(r);
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
        for (int k = 0; k < heapRecords.size(); k++) {
            samplable |= heapRecords.bytes(k) <= LARGEST_SAMPLE;
        }
        if (total >= HeapIndexer.sharedLogBytes && samplable) {
            Estimate[] estimates = new Estimate[groups];
            HeapIndexer.Task[] sampling = new HeapIndexer.Task[groups];
            for (int t = 0; t < groups; t++) {
                int group = t;
                sampling[t] = () -> estimates[group] = estimateObjects(bounds[group], bounds[group + 1]);
            }
            HeapIndexer.runAll("refkit-heap sampling", sampling);
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
        boolean shared = total >= HeapIndexer.sharedLogBytes && capacities > 0 && room < Integer.MAX_VALUE - 64;
        boolean wide = in.size() > 0xffff_ffffL;
        // while this thread allocates (and the JVM zeroes) the shared array, another maps in the pages of the
        // heap records, each group's from its start, so that the scan meets fewer page faults
        Prefault prefault = shared ? new Prefault(bounds) : null;
        try {
            sharedLog = shared ? storage.longs(room) : null;
        } finally {
            if (prefault != null) {
                prefault.finish();
            }
        }
        scans = new SegmentScan[groups];
        HeapIndexer.Task[] tasks = new HeapIndexer.Task[groups];
        int regionStart = 0;
        for (int t = 0; t < groups; t++) {
            // in a file over 4 GB the log's order is the one its bits 32..39 of the positions are kept in
            ObjectLog log = shared ? new ObjectLog(storage, sharedLog, regionStart, regionStart + (int) capacity[t],
                    logBase, wide ? 0 : strayLimit(capacity[t])) : new ObjectLog(storage);
            regionStart += (int) capacity[t];
            SegmentScan scan = new SegmentScan(in, progress, heapRecords, bounds[t], bounds[t + 1], share[t], total,
                    log);
            scans[t] = scan;
            tasks[t] = scan::run;
        }
        HeapIndexer.runAll("refkit-heap pass 1", tasks);
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
                at[t] = record[t] < bounds[t + 1] ? heapRecords.body(record[t]) : 0;
            }
            long total = 0;
            boolean more = true;
            while (more && !stopped) {
                more = false;
                for (int t = 0; t < groups && !stopped; t++) {
                    if (record[t] >= bounds[t + 1]) {
                        continue;
                    }
                    long end = heapRecords.end(record[t]);
                    long to = Math.min(end, at[t] + (1 << 20));
                    total += in.touch(at[t], to);
                    at[t] = to;
                    if (to == end && ++record[t] < bounds[t + 1]) {
                        at[t] = heapRecords.body(record[t]);
                    }
                    more |= record[t] < bounds[t + 1];
                }
            }
            sum = total;
        }

        /** Stops it and waits: it ends within a megabyte of reads. */
        void finish() {
            stopped = true;
            HeapIndexer.joinAll(this);
        }
    }
}
