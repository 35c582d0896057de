package dev.refkit.heap;

import java.util.Arrays;

/**
 * The sorted object ids of a dump, and the map from an id to its dense index.
 *
 * <p>Implementation notes: HotSpot writes addresses as ids, so they are aligned (8 bytes on a 64-bit VM)
 * and span a range far smaller than 2^64. The alignment is the largest power of two dividing every
 * {@code id - min}. When {@code (max - min) / alignment} fits in 32 bits, each id is
 * stored as that quotient in an {@code int} (4 bytes per object instead of 8); the quotient is stored
 * with its sign bit flipped so that signed {@code int} order is the unsigned order and
 * {@link Arrays#binarySearch(int[], int, int, int)} applies directly. Otherwise ids stay in a
 * {@code long[]}. A bucket directory over the top bits of the quotient (one {@code int} per 8 objects)
 * narrows each lookup to a handful of entries, which matters because pass 2 looks up every reference.
 */
final class ObjectIds {
    private final int count;
    private final long min;
    private final long alignment;
    /** log2 of the alignment when it is a power of two (HotSpot: 8), else -1. */
    private final int alignmentShift;
    private final int[] packed;
    private final long[] wide;
    private final int[] buckets;
    private final int shift;
    /** The largest quotient stored; lookups of larger ones fail before the bucket directory. */
    private final long maxQuotient;

    private ObjectIds(int count, long min, long alignment, int[] packed, long[] wide, int[] buckets, int shift) {
        this.count = count;
        this.min = min;
        this.alignment = alignment;
        this.alignmentShift = Long.bitCount(alignment) == 1 ? Long.numberOfTrailingZeros(alignment) : -1;
        this.packed = packed;
        this.wide = wide;
        this.buckets = buckets;
        this.shift = shift;
        this.maxQuotient = packed != null && count > 0 ? (packed[count - 1] ^ Integer.MIN_VALUE) & 0xffff_ffffL : -1;
    }

    /** The smallest id, the alignment of all ids relative to it, and whether the quotients fit 32 bits. */
    record Range(long min, long alignment, boolean fitsInt) {
    }

    static Range range(long[] ids, int n) {
        if (n == 0) {
            return new Range(0, 1, true);
        }
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (int i = 0; i < n; i++) {
            min = Math.min(min, ids[i]);
            max = Math.max(max, ids[i]);
        }
        long bits = 0;
        for (int i = 0; i < n; i++) {
            bits |= ids[i] - min;
        }
        // the largest power of two dividing every offset: HotSpot aligns objects to 8 bytes
        long alignment = bits == 0 ? 1 : Long.lowestOneBit(bits);
        boolean fits = max - min >= 0 && (max - min) / alignment <= 0xffff_ffffL;
        return new Range(min, alignment, fits);
    }

    /** Builds from ids sorted ascending without duplicates; {@code sorted} may be reused afterwards. */
    static ObjectIds of(long[] sorted, int n) {
        Range range = range(sorted, n);
        if (!range.fitsInt()) {
            return new ObjectIds(n, range.min(), 1, null, Arrays.copyOf(sorted, n), null, 0);
        }
        int[] packed = new int[n];
        for (int i = 0; i < n; i++) {
            packed[i] = (int) ((sorted[i] - range.min()) / range.alignment()) ^ Integer.MIN_VALUE;
        }
        return ofPacked(n, range, packed);
    }

    /**
     * Builds from quotients {@code (id - min) / alignment}, ascending and distinct, each stored with its
     * sign bit flipped.
     */
    static ObjectIds ofPacked(int n, Range range, int[] packed) {
        if (n == 0) {
            return new ObjectIds(0, 0, 1, new int[0], null, null, 0);
        }
        long top = (packed[n - 1] ^ Integer.MIN_VALUE) & 0xffff_ffffL;
        int bits = 64 - Long.numberOfLeadingZeros(Math.max(1, top));
        int bucketBits = Math.max(1, Math.min(bits, 31 - Integer.numberOfLeadingZeros(Math.max(1, n / 8))));
        int shift = bits - bucketBits;
        int[] buckets = new int[(1 << bucketBits) + 1];
        int b = 0;
        for (int i = 0; i < n; i++) {
            int bucket = (packed[i] ^ Integer.MIN_VALUE) >>> shift;
            while (b <= bucket) {
                buckets[b++] = i;
            }
        }
        while (b < buckets.length) {
            buckets[b++] = n;
        }
        return new ObjectIds(n, range.min(), range.alignment(), packed, null, buckets, shift);
    }

    int count() {
        return count;
    }

    long id(int index) {
        if (packed != null) {
            return min + ((packed[index] ^ Integer.MIN_VALUE) & 0xffff_ffffL) * alignment;
        }
        return wide[index];
    }

    /**
     * The index of the object with this id, or -1, looking first at the few objects next to {@code near}:
     * objects often refer to objects allocated just before or after them.
     */
    int indexOf(long id, int near) {
        if (packed != null && alignmentShift >= 0) {
            long delta = id - min;
            if (delta >= 0 && (delta & (alignment - 1)) == 0 && delta >>> alignmentShift <= maxQuotient) {
                int key = (int) (delta >>> alignmentShift) ^ Integer.MIN_VALUE;
                int from = Math.max(0, near - 2);
                int to = Math.min(count, near + 5);
                for (int i = from; i < to; i++) {
                    if (packed[i] == key) {
                        return i;
                    }
                }
            }
        }
        return indexOf(id);
    }

    /** The index of the object with this id, or -1. */
    int indexOf(long id) {
        if (packed == null) {
            int i = Arrays.binarySearch(wide, id);
            return i >= 0 ? i : -1;
        }
        long delta = id - min;
        long quotient;
        if (alignmentShift >= 0) {
            if (delta < 0 || (delta & (alignment - 1)) != 0) {
                return -1;
            }
            quotient = delta >>> alignmentShift;
        } else {
            if (delta < 0 || delta % alignment != 0) {
                return -1;
            }
            quotient = delta / alignment;
        }
        if (quotient > maxQuotient) {
            return -1;
        }
        int bucket = (int) (quotient >>> shift);
        if (bucket + 1 >= buckets.length) {
            return -1;
        }
        int i = Arrays.binarySearch(packed, buckets[bucket], buckets[bucket + 1],
                (int) quotient ^ Integer.MIN_VALUE);
        return i >= 0 ? i : -1;
    }

    long bytes() {
        return packed != null ? 4L * packed.length + 4L * buckets.length : 8L * wide.length;
    }
}
