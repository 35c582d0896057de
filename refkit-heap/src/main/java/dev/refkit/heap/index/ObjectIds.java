package dev.refkit.heap.index;

import java.util.Arrays;

/**
 * The sorted object ids of a dump, the map from an id to its dense index, and each object's record
 * position in the file.
 *
 * <p>Implementation notes: HotSpot writes addresses as ids, so they are aligned (8 bytes on a 64-bit VM)
 * and span a range far smaller than 2^64. The alignment is the largest power of two dividing every
 * {@code id - min}. When {@code (max - min) / alignment} fits in 32 bits, each object is one {@code long}
 * entry: that quotient in the high half (its top bit flipped, so that signed order is unsigned order) and
 * the low 32 bits of its record's position in the low half. Sorting those entries is what sorts the
 * objects, so the reader builds no second array; 8 bytes per object hold both id and position. Otherwise
 * ids stay in a {@code long[]} beside an {@code int[]} of positions. Files over 4 GB add a {@code byte}
 * per object for bits 32..39 of the position. A bucket directory over the top bits of the quotient's
 * distance from the smallest one (one {@code int} per 8 objects) narrows each lookup to a handful of
 * entries, which matters because pass 2 looks up every reference. The table's base id need not be the
 * smallest id, only at or below it. A table known to hold no duplicates starts with a coarse directory
 * (a bucket per about 512 objects, found by binary searches rather than a pass over every entry), enough for
 * the few thousand lookups of an open; the fine one is built when lookups in bulk begin ({@link #refine()}).
 */
final class ObjectIds {
    private final int count;
    private final long min;
    private final long alignment;
    /** log2 of the alignment. */
    private final int alignmentShift;
    /** Quotient (top bit flipped) << 32 | low 32 bits of the position, ascending; or null. */
    private final LongArray entries;
    /** Ids, ascending, when the quotients do not fit 32 bits; or null. */
    private final LongArray wide;
    /** Low 32 bits of the positions beside {@link #wide}; or null. */
    private final IntArray wideLow;
    /** Bits 32..39 of the positions, for files over 4 GB; or null. */
    private final ByteArray high;
    /** Where the bucket directories are allocated. */
    private final Storage storage;
    /** The bucket directory in use; replaced once, by a finer one, in {@link #refine()}. */
    private Directory directory;
    /** The fine directory's bucket bits and shift. */
    private final int fineBits;
    private final int fineShift;
    /** The smallest and largest quotient stored; lookups of others fail before the bucket directory. */
    private final long minQuotient;
    private final long maxQuotient;

    /**
     * For each bucket of quotients ({@code (quotient - smallest) >>> shift}), the index of its first entry,
     * and the entry count at the end; immutable once made, so that a lookup on any thread sees a whole one.
     */
    private record Directory(IntArray buckets, int shift) {
    }

    private ObjectIds(Storage storage, int count, long min, long alignment, LongArray entries, LongArray wide,
                      IntArray wideLow, ByteArray high, Directory directory, int fineBits, int fineShift) {
        this.storage = storage;
        this.count = count;
        this.min = min;
        this.alignment = alignment;
        this.alignmentShift = Long.numberOfTrailingZeros(alignment);
        this.entries = entries;
        this.wide = wide;
        this.wideLow = wideLow;
        this.high = high;
        this.directory = directory;
        this.fineBits = fineBits;
        this.fineShift = fineShift;
        this.minQuotient = entries != null && count > 0 ? quotient(entries.get(0)) : 0;
        this.maxQuotient = entries != null && count > 0 ? quotient(entries.get(count - 1)) : -1;
    }

    /**
     * An id at or below the smallest (the base the quotients count from), the alignment (a power of two) of
     * all ids relative to it, and whether the quotients fit 32 bits.
     */
    record Range(long min, long alignment, boolean fitsInt) {
    }

    /** An entry's key: {@code quotient << 32 | positionLow}, top bit flipped. */
    static long entry(long quotient, long positionLow) {
        return (quotient << 32 | (positionLow & 0xffff_ffffL)) ^ Long.MIN_VALUE;
    }

    private static long quotient(long entry) {
        return (entry ^ Long.MIN_VALUE) >>> 32;
    }

    /**
     * Builds from entries sorted ascending with distinct quotients ({@link #entry}); the array becomes the
     * table's. {@code high} holds bits 32..39 of the positions, or is null for files under 4 GB.
     */
    static ObjectIds ofEntries(Storage storage, int n, Range range, LongArray entries, ByteArray high) {
        return ofSortedEntries(storage, n, range, entries, high, null);
    }

    /**
     * Builds from entries sorted ascending ({@link #entry}), in the same pass keeping only the first of
     * entries with equal quotients (the same id) and adding the others to {@code dropped}; the array becomes
     * the table's. Without {@code dropped}, the quotients must be distinct. {@code high} holds bits 32..39
     * of the positions, or is null for files under 4 GB; it must be null when duplicates may be dropped.
     */
    static ObjectIds ofSortedEntries(Storage storage, int n, Range range, LongArray entries, ByteArray high,
                                     LongList dropped) {
        if (n == 0) {
            return empty(storage);
        }
        // duplicates are of a later entry: the first entry's quotient is the smallest that stays
        long bottom = quotient(entries.get(0));
        int bits = bucketBits(n, bottom, quotient(entries.get(n - 1)));
        int shift = shift(bottom, quotient(entries.get(n - 1)), bits);
        IntArray buckets = storage.ints((1L << bits) + 1);
        if (n >= parallelBuckets && fillBucketsInHalves(n, entries, buckets, bottom, shift)) {
            return new ObjectIds(storage, n, range.min(), range.alignment(), entries, null, null, high,
                    new Directory(buckets, shift), bits, shift);
        }
        int b = 0;
        int unique = 0;
        long last = 0;
        for (int i = 0; i < n; i++) {
            long entry = entries.get(i);
            if (dropped != null && unique > 0 && entry >>> 32 == last >>> 32) {
                dropped.add(entry);
                continue;
            }
            if (unique != i) {
                entries.set(unique, entry);
            }
            last = entry;
            int bucket = (int) ((quotient(entry) - bottom) >>> shift);
            while (b <= bucket) {
                buckets.set(b++, unique);
            }
            unique++;
        }
        while (b < buckets.length()) {
            buckets.set(b++, unique);
        }
        return new ObjectIds(storage, unique, range.min(), range.alignment(), entries, null, null, high,
                new Directory(buckets, shift), bits, shift);
    }

    /**
     * Builds from entries sorted ascending with distinct quotients, known to be so, with a coarse directory
     * ({@link #COARSER} bits fewer than the fine one), found by a binary search per bucket; the array becomes
     * the table's.
     */
    static ObjectIds ofDistinctEntries(Storage storage, int n, Range range, LongArray entries) {
        if (n == 0) {
            return empty(storage);
        }
        long bottom = quotient(entries.get(0));
        long top = quotient(entries.get(n - 1));
        int bits = bucketBits(n, bottom, top);
        int coarseBits = Math.max(1, bits - COARSER);
        int coarseShift = shift(bottom, top, coarseBits);
        IntArray buckets = storage.ints((1L << coarseBits) + 1);
        int i = 0;
        for (int b = 0; b < buckets.length(); b++) {
            long quotient = bottom + ((long) b << coarseShift);
            if (quotient > top) {
                i = n;
            } else {
                int at = binarySearch(entries, i, n, entry(quotient, 0));
                i = at >= 0 ? at : -at - 1;
            }
            buckets.set(b, i);
        }
        return new ObjectIds(storage, n, range.min(), range.alignment(), entries, null, null, null,
                new Directory(buckets, coarseShift), bits, shift(bottom, top, bits));
    }

    /** How many bits fewer the coarse directory has than the fine one: 64 times fewer buckets. */
    static final int COARSER = 6;

    private static ObjectIds empty(Storage storage) {
        return new ObjectIds(storage, 0, 0, 1, storage.longs(0), null, null, null, new Directory(storage.ints(2), 0),
                1, 0);
    }

    /** As {@link Arrays#binarySearch(long[], int, int, long)}, in a long-indexed array. */
    static int binarySearch(LongArray a, int from, int to, long key) {
        int lo = from;
        int hi = to - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            long value = a.get(mid);
            if (value < key) {
                lo = mid + 1;
            } else if (value > key) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return -(lo + 1);
    }

    /** Bits of the quotients' distances from the smallest. */
    private static int spanBits(long bottom, long top) {
        return 64 - Long.numberOfLeadingZeros(Math.max(1, top - bottom));
    }

    /** Bits of the fine bucket directory: a bucket per 8 entries or so. */
    private static int bucketBits(int n, long bottom, long top) {
        return Math.max(1, Math.min(spanBits(bottom, top), 31 - Integer.numberOfLeadingZeros(Math.max(1, n / 8))));
    }

    private static int shift(long bottom, long top, int bucketBits) {
        return Math.max(0, spanBits(bottom, top) - bucketBits);
    }

    /**
     * Replaces a coarse bucket directory by the fine one, for lookups in bulk; a no-op when the fine one is
     * in use. Lookups on other threads meanwhile use the coarse one.
     */
    synchronized void refine() {
        Directory coarse = directory;
        if (entries == null || coarse.shift() == fineShift) {
            return;
        }
        IntArray buckets = storage.ints((1L << fineBits) + 1);
        if (count >= parallelBuckets) {
            fillBucketsInHalves(count, entries, buckets, minQuotient, fineShift);
        } else {
            fillBuckets(entries, 0, count, count, buckets, minQuotient, fineShift);
        }
        // the coarse directory is not freed: lookups on other threads may still be in it (it is 64 times smaller)
        directory = new Directory(buckets, fineShift);
    }

    /** Entries from which the bucket directory is filled on two threads; lowered by tests. */
    static volatile int parallelBuckets = 1 << 20;

    /**
     * Fills the bucket directory of sorted entries, each half of them on its own thread; returns false,
     * with the directory unfinished, when two entries have the same quotient (duplicates must be dropped
     * first, in one pass).
     */
    private static boolean fillBucketsInHalves(int n, LongArray entries, IntArray buckets, long bottom, int shift) {
        int mid = n >>> 1;
        boolean[] distinct = new boolean[2];
        HeapIndexer.Task[] halves = new HeapIndexer.Task[2];
        for (int h = 0; h < 2; h++) {
            int half = h;
            int from = h == 0 ? 0 : mid;
            int to = h == 0 ? mid : n;
            halves[h] = () -> distinct[half] = fillBuckets(entries, from, to, n, buckets, bottom, shift);
        }
        try {
            HeapIndexer.runAll("refkit-heap buckets", halves);
        } catch (dev.refkit.heap.hprof.HprofFormatException e) {
            throw new IllegalStateException(e);
        }
        return distinct[0] && distinct[1];
    }

    /**
     * Writes the buckets that entries {@code from .. to - 1} start, after those of the entry before them (and,
     * for the last part, the rest); returns whether their quotients are distinct.
     */
    private static boolean fillBuckets(LongArray entries, int from, int to, int n, IntArray buckets, long bottom,
                                       int shift) {
        int b = from == 0 ? 0 : (int) ((quotient(entries.get(from - 1)) - bottom) >>> shift) + 1;
        long last = from == 0 ? -1 : entries.get(from - 1) >>> 32;
        boolean unique = true;
        for (int i = from; i < to; i++) {
            long entry = entries.get(i);
            unique &= entry >>> 32 != last;
            last = entry >>> 32;
            int bucket = (int) ((quotient(entry) - bottom) >>> shift);
            while (b <= bucket) {
                buckets.set(b++, i);
            }
        }
        if (to == n) {
            while (b < buckets.length()) {
                buckets.set(b++, n);
            }
        }
        return unique;
    }

    /** Builds from ids sorted ascending without duplicates, and their positions, when quotients do not fit. */
    static ObjectIds ofWide(Storage storage, int n, LongArray sorted, IntArray low, ByteArray high) {
        return new ObjectIds(storage, n, n > 0 ? sorted.get(0) : 0, 1, null, sorted, low, high, null, 0, 0);
    }

    int count() {
        return count;
    }

    long id(int index) {
        if (entries != null) {
            return min + (quotient(entries.get(index)) << alignmentShift);
        }
        return wide.get(index);
    }

    /** Offset of the object's record in the file. */
    long position(int index) {
        long low = entries != null ? entries.get(index) & 0xffff_ffffL : wideLow.get(index) & 0xffff_ffffL;
        return high == null ? low : low | (high.get(index) & 0xffL) << 32;
    }

    /**
     * The index of the object with this id, or -1, looking first at the few objects just after
     * {@code near}: objects mostly refer to objects written shortly after them (HotSpot writes in address
     * order, and what an object refers to is often allocated right after it).
     */
    int indexOf(long id, int near) {
        if (entries != null) {
            long delta = id - min;
            if (delta >= 0 && (delta & (alignment - 1)) == 0 && delta >>> alignmentShift <= maxQuotient) {
                int key = (int) (delta >>> alignmentShift) ^ Integer.MIN_VALUE;
                int to = Math.min(count, near + 9);
                for (int i = near + 1; i < to; i++) {
                    int at = (int) (entries.get(i) >>> 32);
                    if (at >= key) {
                        if (at == key) {
                            return i;
                        }
                        break;
                    }
                }
            }
        }
        return indexOf(id);
    }

    /** The index of the object with this id, or -1. */
    int indexOf(long id) {
        if (entries == null) {
            int i = binarySearch(wide, 0, count, id);
            return i >= 0 ? i : -1;
        }
        long delta = id - min;
        if (delta < 0 || (delta & (alignment - 1)) != 0) {
            return -1;
        }
        long quotient = delta >>> alignmentShift;
        if (quotient > maxQuotient || quotient < minQuotient) {
            return -1;
        }
        Directory d = directory;
        IntArray buckets = d.buckets();
        long bucket = (quotient - minQuotient) >>> d.shift();
        if (bucket + 1 >= buckets.length()) {
            return -1;
        }
        int key = (int) quotient ^ Integer.MIN_VALUE;
        int lo = buckets.get(bucket);
        int hi = buckets.get(bucket + 1) - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int at = (int) (entries.get(mid) >>> 32);
            if (at < key) {
                lo = mid + 1;
            } else if (at > key) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return -1;
    }

    /** Bytes held: ids, positions and the bucket directory (the fine one, which lookups in bulk build). */
    long bytes() {
        long positions = high != null ? count : 0;
        return entries != null ? 8L * entries.length() + 4L * ((1L << fineBits) + 1) + positions
                : 8L * wide.length() + 4L * wideLow.length() + positions;
    }
}
