package dev.refkit.heap.index;

import java.util.Arrays;

/** A growable {@code long[]}: pass 1 does not know how many records it will meet. */
final class LongList {
    long[] values;
    int size;

    LongList(int capacity) {
        values = new long[Math.max(capacity, 16)];
    }

    void add(long v) {
        if (size == values.length) {
            values = Arrays.copyOf(values, grow(values.length));
        }
        values[size++] = v;
    }

    long get(int i) {
        return values[i];
    }

    long[] toArray() {
        return Arrays.copyOf(values, size);
    }

    static int grow(int length) {
        long next = length + (length >> 1) + 16L;
        if (next > Integer.MAX_VALUE - 16) {
            if (length >= Integer.MAX_VALUE - 16) {
                throw new IllegalStateException("more than 2^31 entries: the dump is too large for int indexes");
            }
            next = Integer.MAX_VALUE - 16;
        }
        return (int) next;
    }
}
