package dev.refkit.heap;

import java.util.Arrays;

/**
 * The sorted object ids of a dump, and the map from an id to its dense index.
 *
 * <p>Implementation notes: HotSpot writes addresses as ids, so they are aligned (8 bytes on a 64-bit VM)
 * and span a range far smaller than 2^64. When {@code (max - min) / alignment} fits in 32 bits, each id is
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
    private final int[] packed;
    private final long[] wide;
    private final int[] buckets;
    private final int shift;

    private ObjectIds(int count, long min, long alignment, int[] packed, long[] wide, int[] buckets, int shift) {
        this.count = count;
        this.min = min;
        this.alignment = alignment;
        this.packed = packed;
        this.wide = wide;
        this.buckets = buckets;
        this.shift = shift;
    }

    /** Builds from ids sorted ascending without duplicates; {@code sorted} may be reused afterwards. */
    static ObjectIds of(long[] sorted, int n) {
        if (n == 0) {
            return new ObjectIds(0, 0, 1, new int[0], null, null, 0);
        }
        long min = sorted[0];
        long gcd = 0;
        for (int i = 1; i < n && gcd != 1; i++) {
            gcd = gcd(gcd, sorted[i] - min);
        }
        long alignment = gcd == 0 ? 1 : gcd;
        long range = (sorted[n - 1] - min) / alignment;
        if (sorted[n - 1] - min < 0 || range > 0xffff_ffffL) {
            return new ObjectIds(n, min, 1, null, Arrays.copyOf(sorted, n), null, 0);
        }
        int[] packed = new int[n];
        for (int i = 0; i < n; i++) {
            packed[i] = (int) ((sorted[i] - min) / alignment) ^ Integer.MIN_VALUE;
        }
        int bits = 64 - Long.numberOfLeadingZeros(Math.max(1, range));
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
        return new ObjectIds(n, min, alignment, packed, null, buckets, shift);
    }

    private static long gcd(long a, long b) {
        while (b != 0) {
            long t = a % b;
            a = b;
            b = t;
        }
        return Math.abs(a);
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

    /** The index of the object with this id, or -1. */
    int indexOf(long id) {
        if (packed == null) {
            int i = Arrays.binarySearch(wide, id);
            return i >= 0 ? i : -1;
        }
        long delta = id - min;
        if (delta < 0 || delta % alignment != 0 || delta / alignment > 0xffff_ffffL) {
            return -1;
        }
        long quotient = delta / alignment;
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
