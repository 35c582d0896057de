package dev.refkit.heap;

import dev.refkit.heap.hprof.HprofFormatException;
import java.util.Arrays;

/**
 * Pass 2, run when the references are first asked for: visits the objects in index order, in contiguous
 * ranges on up to four threads, reading each record at its position; sets the object's class and appends
 * its references to its range's region of the CSR arrays. The gaps between the regions are then closed, so
 * that reference numbers are the same as on one thread.
 */
final class ReferencePass implements HeapGraph.ReferenceReader {

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
    public HeapGraph.References read(HeapGraph graph) throws HprofFormatException {
        int n = graph.objectCount();
        progress.progress("reading references", 0, n);
        // a lookup per reference: the table's fine bucket directory pays for itself
        graph.ids.refine();
        Allocation arrays = new Allocation(n, referenceBound, graph.classes.length);
        int[] first = arrays.first;
        int threads = HeapIndexer.workers(n / parallelThreshold);
        int[] targets = arrays.targets;
        byte[] kinds = arrays.kinds;
        int bound = targets.length;
        Range[] ranges = new Range[threads];
        HeapIndexer.Task[] tasks = new HeapIndexer.Task[threads];
        for (int t = 0; t < threads; t++) {
            int from = (int) ((long) n * t / threads);
            int to = (int) ((long) n * (t + 1) / threads);
            // each range a share of the arrays in proportion to its objects
            int start = (int) ((long) bound * t / threads);
            int limit = (int) ((long) bound * (t + 1) / threads);
            Range range = new Range(from, to, new CsrBuilder(targets, kinds, start, limit));
            ranges[t] = range;
            boolean report = t == 0;
            tasks[t] = () -> readRange(graph, range, arrays, report);
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
        if (total > Integer.MAX_VALUE - 64) {
            throw graph.file.error(graph.file.size(), "heap dump",
                    "more than 2^31 references; the dump is too large for this reader");
        }
        // close the gaps between the ranges: each moves down (never onto a later range) unless one spilled
        if (spilled || total > targets.length) {
            targets = new int[(int) total];
            kinds = new byte[(int) total];
        }
        int base = 0;
        for (Range range : ranges) {
            CsrBuilder csr = range.csr;
            int count = csr.count();
            if (csr.targets != targets || csr.start != base) {
                System.arraycopy(csr.targets, csr.start, targets, base, count);
                System.arraycopy(csr.kinds, csr.start, kinds, base, count);
            }
            if (base != 0) {
                for (int o = range.from; o < range.to; o++) {
                    first[o] += base;
                }
            }
            base += count;
            csr.targets = null;
            csr.kinds = null;
        }
        // the bound is exact but for null and dangling references; trimming costs a copy of every reference
        // (as much new memory again), so only when more than a quarter of the arrays would be left empty
        if (total < targets.length - targets.length / 4) {
            targets = Arrays.copyOf(targets, (int) total);
            kinds = Arrays.copyOf(kinds, (int) total);
        }
        first[n] = (int) total;
        progress.progress("reading references", n, n);
        return new HeapGraph.References(arrays.classOfNarrow, arrays.classOfWide, first, targets, kinds, dangling);
    }

    private void readRange(HeapGraph graph, Range range, Allocation arrays, boolean report)
            throws HprofFormatException {
        int n = graph.objectCount();
        HeapClass[] classes = graph.classes;
        CsrBuilder csr = range.csr;
        char[] narrow = arrays.classOfNarrow;
        int[] wide = arrays.classOfWide;
        int[] first = arrays.first;
        int share = Math.max(1, n / Math.max(1, range.to - range.from));
        for (int o = range.from; o < range.to; o++) {
            long pos = graph.position(o);
            int tag = graph.file.u1(pos);
            int classIndex = graph.classIndexAt(pos, tag);
            if (narrow != null) {
                narrow[o] = (char) classIndex;
            } else {
                wide[o] = classIndex;
            }
            first[o] = csr.count();
            graph.walk(o, pos, tag, classes[classIndex], csr);
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
        int[] first;
        char[] classOfNarrow;
        int[] classOfWide;
        int[] targets;
        byte[] kinds;

        /** For {@code objects} objects, up to {@code references} references and {@code classes} classes. */
        Allocation(int objects, long references, int classes) throws HprofFormatException {
            int bound = (int) Math.min(Integer.MAX_VALUE - 64, references + 16);
            HeapIndexer.runAll("refkit-heap allocation", () -> targets = new int[bound], () -> {
                kinds = new byte[bound];
                first = new int[objects + 1];
                if (classes <= Character.MAX_VALUE) {
                    classOfNarrow = new char[objects];
                } else {
                    classOfWide = new int[objects];
                }
            });
        }
    }

    /**
     * Appends one range's references to its region of the shared CSR arrays; should the region be too
     * small, the range goes on in arrays of its own ("spilled").
     */
    private static final class CsrBuilder implements HeapGraph.EdgeSink {
        int[] targets;
        byte[] kinds;
        /** Where the range's references start in {@link #targets}, the next free slot, and the region's end. */
        int start;
        int size;
        int limit;
        boolean spilled;
        long dangling;

        CsrBuilder(int[] targets, byte[] kinds, int start, int limit) {
            this.targets = targets;
            this.kinds = kinds;
            this.start = start;
            this.size = start;
            this.limit = limit;
        }

        /** References appended so far. */
        int count() {
            return size - start;
        }

        @Override
        public void edge(int target, ReferenceKind kind, int slot) {
            if (size == limit) {
                spill();
            }
            targets[size] = target;
            kinds[size] = (byte) kind.ordinal();
            size++;
        }

        private void spill() {
            int count = count();
            int capacity = LongList.grow(Math.max(count, 1024));
            int[] ownTargets = new int[capacity];
            byte[] ownKinds = new byte[capacity];
            System.arraycopy(targets, start, ownTargets, 0, count);
            System.arraycopy(kinds, start, ownKinds, 0, count);
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
