package dev.refkit.heap.index;

import dev.refkit.heap.ProgressListener;
import dev.refkit.heap.ReferenceKind;
import dev.refkit.heap.hprof.HprofFormatException;

/**
 * Pass 2, run when the references are first asked for: visits the objects in index order, in contiguous
 * ranges on up to four threads, reading each record at its position; sets the object's class and appends
 * its references to its range's region of the CSR arrays. The gaps between the regions are then closed, so
 * that reference numbers are the same as on one thread.
 */
final class ReferencePass implements DumpIndex.ReferenceReader {

    /** Objects per thread below which the pass stays on the calling thread; lowered by tests. */
    static volatile int parallelThreshold = 1 << 20;

    private final ProgressListener progress;
    /** At least as many references as the pass can find (pass 1's count of id-sized slots). */
    private final long referenceBound;

    ReferencePass(ProgressListener progress, long referenceBound) {
        this.progress = progress;
        this.referenceBound = referenceBound;
    }

    @Override
    public DumpIndex.References read(DumpIndex dump) throws HprofFormatException {
        int n = dump.objectCount();
        progress.progress("reading references", 0, n);
        // a lookup per reference: the table's fine bucket directory pays for itself
        dump.ids.refine();
        Storage storage = dump.storage;
        Allocation arrays = new Allocation(storage, n, referenceBound, dump.classes.length);
        LongArray first = arrays.first;
        int threads = HeapIndexer.workers(n / parallelThreshold);
        IntArray targets = arrays.targets;
        ByteArray kinds = arrays.kinds;
        long bound = targets.length();
        Range[] ranges = new Range[threads];
        HeapIndexer.Task[] tasks = new HeapIndexer.Task[threads];
        for (int t = 0; t < threads; t++) {
            int from = (int) ((long) n * t / threads);
            int to = (int) ((long) n * (t + 1) / threads);
            // each range a share of the arrays in proportion to its objects
            long start = bound * t / threads;
            long limit = bound * (t + 1) / threads;
            Range range = new Range(from, to, new CsrBuilder(storage, targets, kinds, start, limit));
            ranges[t] = range;
            boolean report = t == 0;
            tasks[t] = () -> readRange(dump, range, arrays, report);
        }
        HeapIndexer.runAll("refkit-heap pass 2", tasks);
        long total = 0;
        boolean spilled = false;
        long dangling = 0;
        for (Range range : ranges) {
            total += range.csr.count();
            spilled |= range.csr.spilled;
            dangling += range.csr.dangling;
        }
        // close the gaps between the ranges: each moves down (never onto a later range) unless one spilled
        IntArray sharedTargets = targets;
        ByteArray sharedKinds = kinds;
        if (spilled || total > targets.length()) {
            targets = storage.ints(total);
            kinds = storage.bytes(total);
        }
        long base = 0;
        for (Range range : ranges) {
            CsrBuilder csr = range.csr;
            long count = csr.count();
            if (csr.targets != targets || csr.start != base) {
                IntArray.copy(csr.targets, csr.start, targets, base, count);
                ByteArray.copy(csr.kinds, csr.start, kinds, base, count);
            }
            if (base != 0) {
                for (int o = range.from; o < range.to; o++) {
                    first.set(o, first.get(o) + base);
                }
            }
            base += count;
            if (csr.spilled) { // its own arrays, copied: unmapped now rather than at the dump's close
                Storage.free(csr.targets);
                Storage.free(csr.kinds);
            }
            csr.targets = null;
            csr.kinds = null;
        }
        if (targets != sharedTargets) {
            Storage.free(sharedTargets);
            Storage.free(sharedKinds);
        }
        // the bound is exact but for null and dangling references; trimming costs a copy of every reference
        // (as much new memory again), so only on the heap and when more than a quarter would be left empty (in
        // files, the pages never written take no room)
        long length = targets.length();
        if (!targets.mapped() && total < length - length / 4) {
            IntArray trimmedTargets = storage.ints(total);
            ByteArray trimmedKinds = storage.bytes(total);
            IntArray.copy(targets, 0, trimmedTargets, 0, total);
            ByteArray.copy(kinds, 0, trimmedKinds, 0, total);
            targets = trimmedTargets;
            kinds = trimmedKinds;
        }
        first.set(n, total);
        progress.progress("reading references", n, n);
        return new DumpIndex.References(arrays.classOfNarrow, arrays.classOfWide, first, targets, kinds, total, dangling);
    }

    private void readRange(DumpIndex dump, Range range, Allocation arrays, boolean report)
            throws HprofFormatException {
        int n = dump.objectCount();
        ClassRecord[] classes = dump.classes;
        CsrBuilder csr = range.csr;
        CharArray narrow = arrays.classOfNarrow;
        IntArray wide = arrays.classOfWide;
        LongArray first = arrays.first;
        int share = Math.max(1, n / Math.max(1, range.to - range.from));
        for (int o = range.from; o < range.to; o++) {
            long pos = dump.position(o);
            int tag = dump.file.u1(pos);
            int classIndex = dump.classIndexAt(pos, tag);
            if (narrow != null) {
                narrow.set(o, (char) classIndex);
            } else {
                wide.set(o, classIndex);
            }
            first.set(o, csr.count());
            dump.walk(o, pos, tag, classes[classIndex], csr);
            if (report && ((o - range.from) & 0xfffff) == 0) {
                progress.progress("reading references", (long) (o - range.from) * share, n);
            }
        }
    }

    /**
     * The pass's arrays, allocated on two threads: allocating a few hundred megabytes costs as much as a
     * linear pass over them (the pages are faulted in and zeroed).
     */
    private static final class Allocation {
        LongArray first;
        CharArray classOfNarrow;
        IntArray classOfWide;
        IntArray targets;
        ByteArray kinds;

        /** For {@code objects} objects, up to {@code references} references and {@code classes} classes. */
        Allocation(Storage storage, int objects, long references, int classes) throws HprofFormatException {
            long bound = references + 16;
            HeapIndexer.runAll("refkit-heap allocation", () -> targets = storage.ints(bound), () -> {
                kinds = storage.bytes(bound);
                first = storage.longs(objects + 1L);
                if (classes <= Character.MAX_VALUE) {
                    classOfNarrow = storage.chars(objects);
                } else {
                    classOfWide = storage.ints(objects);
                }
            });
        }
    }

    /**
     * Appends one range's references to its region of the shared CSR arrays; should the region be too
     * small, the range goes on in arrays of its own ("spilled").
     */
    private static final class CsrBuilder implements DumpIndex.EdgeSink {
        private final Storage storage;
        IntArray targets;
        ByteArray kinds;
        /** Where the range's references start in {@link #targets}, the next free slot, and the region's end. */
        long start;
        long size;
        long limit;
        boolean spilled;
        long dangling;

        CsrBuilder(Storage storage, IntArray targets, ByteArray kinds, long start, long limit) {
            this.storage = storage;
            this.targets = targets;
            this.kinds = kinds;
            this.start = start;
            this.size = start;
            this.limit = limit;
        }

        /** References appended so far. */
        long count() {
            return size - start;
        }

        @Override
        public void edge(int target, ReferenceKind kind, int slot) {
            if (size == limit) {
                spill();
            }
            targets.set(size, target);
            kinds.set(size, (byte) kind.ordinal());
            size++;
        }

        private void spill() {
            long count = count();
            long capacity = Math.max(2 * count, 1024);
            IntArray ownTargets = storage.ints(capacity);
            ByteArray ownKinds = storage.bytes(capacity);
            IntArray.copy(targets, start, ownTargets, 0, count);
            ByteArray.copy(kinds, start, ownKinds, 0, count);
            if (spilled) {
                Storage.free(targets);
                Storage.free(kinds);
            }
            targets = ownTargets;
            kinds = ownKinds;
            start = 0;
            size = count;
            limit = capacity;
            spilled = true;
        }

        @Override
        public void dangling(long id) {
            dangling++;
        }
    }

    /** A contiguous range of objects and where its references go. */
    private record Range(int from, int to, CsrBuilder csr) {
    }
}
