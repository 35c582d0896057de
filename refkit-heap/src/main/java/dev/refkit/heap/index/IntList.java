package dev.refkit.heap.index;

import java.util.Arrays;

/** A growable {@code int[]}. */
final class IntList {
    int[] values;
    int size;

    IntList(int capacity) {
        values = new int[Math.max(capacity, 16)];
    }

    void add(int v) {
        if (size == values.length) {
            values = Arrays.copyOf(values, LongList.grow(values.length));
        }
        values[size++] = v;
    }

    int get(int i) {
        return values[i];
    }

    int[] toArray() {
        return Arrays.copyOf(values, size);
    }
}
