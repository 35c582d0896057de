package dev.refkit.heap.analysis;

import java.util.Arrays;

/** A growable stack (or FIFO, by index) of ints, so that walks over millions of objects box nothing. */
final class IntStack {

    private int[] items;
    private int size;

    IntStack(int initialCapacity) {
        items = new int[Math.max(8, initialCapacity)];
    }

    void push(int value) {
        if (size == items.length) {
            items = Arrays.copyOf(items, newCapacity(size));
        }
        items[size++] = value;
    }

    int pop() {
        return items[--size];
    }

    int get(int index) {
        return items[index];
    }

    void set(int index, int value) {
        items[index] = value;
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    void clear() {
        size = 0;
    }

    private static int newCapacity(int size) {
        if (size >= Integer.MAX_VALUE - 16) {
            throw new IllegalStateException("more than " + size + " entries queued; the heap graph is too large"
                    + " for one analysis pass");
        }
        return (int) Math.min(Integer.MAX_VALUE - 8L, size * 2L);
    }
}
