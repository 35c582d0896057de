package dev.refkit.heap.index;

import java.util.Arrays;

/** A growable {@code byte[]}. */
final class ByteList {
    byte[] values;
    int size;

    ByteList(int capacity) {
        values = new byte[Math.max(capacity, 16)];
    }

    void add(byte v) {
        if (size == values.length) {
            values = Arrays.copyOf(values, LongList.grow(values.length));
        }
        values[size++] = v;
    }

    byte get(int i) {
        return values[i];
    }
}
