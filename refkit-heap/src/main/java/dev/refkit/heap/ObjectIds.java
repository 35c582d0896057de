package dev.refkit.heap;

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
 * per object for bits 32..39 of the position. A bucket directory over the top bits of the quotient (one
 * {@code int} per 8 objects) narrows each lookup to a handful of entries, which matters because pass 2
 * looks up every reference.
 */
final class ObjectIds {
    private final int count;
    private final long min;
    private final long alignment;
    /** log2 of the alignment. */
    private final int alignmentShift;
    /** Quotient (top bit flipped) << 32 | low 32 bits of the position, ascending; or null. */
    private final long[] entries;
    /** Ids, ascending, when the quotients do not fit 32 bits; or null. */
    private final long[] wide;
    /** Low 32 bits of the positions beside {@link #wide}; or null. */
    private final int[] wideLow;
    /** Bits 32..39 of the positions, for files over 4 GB; or null. */
    private final byte[] high;
    private final int[] buckets;
    private final int shift;
    /** The largest quotient stored; lookups of larger ones fail before the bucket directory. */
    private final long maxQuotient;

    private ObjectIds(int count, long min, long alignment, long[] entries, long[] wide, int[] wideLow, byte[] high,
                      int[] buckets, int shift) {
        this.count = count;
        this.min = min;
        this.alignment = alignment;
        this.alignmentShift = Long.numberOfTrailingZeros(alignment);
        this.entries = entries;
        this.wide = wide;
        this.wideLow = wideLow;
        this.high = high;
        this.buckets = buckets;
        this.shift = shift;
        this.maxQuotient = entries != null && count > 0 ? quotient(entries[count - 1]) : -1;
    }

    /** The smallest id, the alignment (a power of two) of all ids relative to it, and whether the quotients fit 32 bits. */
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
    static ObjectIds ofEntries(int n, Range range, long[] entries, byte[] high) {
        if (n == 0) {
            return new ObjectIds(0, 0, 1, new long[0], null, null, null, new int[] {0, 0}, 0);
        }
        long top = quotient(entries[n - 1]);
        int bits = 64 - Long.numberOfLeadingZeros(Math.max(1, top));
        int bucketBits = Math.max(1, Math.min(bits, 31 - Integer.numberOfLeadingZeros(Math.max(1, n / 8))));
        int shift = bits - bucketBits;
        int[] buckets = new int[(1 << bucketBits) + 1];
        int b = 0;
        for (int i = 0; i < n; i++) {
            int bucket = (int) (quotient(entries[i]) >>> shift);
            while (b <= bucket) {
                buckets[b++] = i;
            }
        }
        while (b < buckets.length) {
            buckets[b++] = n;
        }
        return new ObjectIds(n, range.min(), range.alignment(), entries, null, null, high, buckets, shift);
    }

    /** Builds from ids sorted ascending without duplicates, and their positions, when quotients do not fit. */
    static ObjectIds ofWide(int n, long[] sorted, int[] low, byte[] high) {
        return new ObjectIds(n, n > 0 ? sorted[0] : 0, 1, null, sorted, low, high, null, 0);
    }

    int count() {
        return count;
    }

    long id(int index) {
        if (entries != null) {
            return min + (quotient(entries[index]) << alignmentShift);
        }
        return wide[index];
    }

    /** Offset of the object's record in the file. */
    long position(int index) {
        long low = entries != null ? entries[index] & 0xffff_ffffL : wideLow[index] & 0xffff_ffffL;
        return high == null ? low : low | (high[index] & 0xffL) << 32;
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
                    int at = (int) (entries[i] >>> 32);
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
            int i = Arrays.binarySearch(wide, 0, count, id);
            return i >= 0 ? i : -1;
        }
        long delta = id - min;
        if (delta < 0 || (delta & (alignment - 1)) != 0) {
            return -1;
        }
        long quotient = delta >>> alignmentShift;
        if (quotient > maxQuotient) {
            return -1;
        }
        int bucket = (int) (quotient >>> shift);
        if (bucket + 1 >= buckets.length) {
            return -1;
        }
        int key = (int) quotient ^ Integer.MIN_VALUE;
        int lo = buckets[bucket];
        int hi = buckets[bucket + 1] - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int at = (int) (entries[mid] >>> 32);
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

    /** Bytes held: ids, positions and the bucket directory. */
    long bytes() {
        long positions = high != null ? count : 0;
        return entries != null ? 8L * entries.length + 4L * buckets.length + positions
                : 8L * wide.length + 4L * wideLow.length + positions;
    }
}
