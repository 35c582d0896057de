package dev.refkit.heap.analysis;

import dev.refkit.heap.index.IntArray;
import dev.refkit.heap.index.Storage;

/**
 * A growable stack (or FIFO, by index) of ints, so that walks over millions of objects box nothing; grown by
 * doubling from a storage, so that the queue of a walk over a heap in files is in files too.
 */
final class IntStack {

    private final Storage storage;
    private IntArray items;
    private long size;

    IntStack(int initialCapacity) {
        this(Storage.onHeap(), initialCapacity);
    }

    IntStack(Storage storage, int initialCapacity) {
        this.storage = storage;
        this.items = storage.ints(Math.max(8, initialCapacity));
    }

    void push(int value) {
        if (size == items.length()) {
            IntArray more = storage.ints(2 * size);
            IntArray.copy(items, 0, more, 0, size);
            Storage.free(items);
            items = more;
        }
        items.set(size++, value);
    }

    int pop() {
        return items.get(--size);
    }

    int get(long index) {
        return items.get(index);
    }

    void set(long index, int value) {
        items.set(index, value);
    }

    long size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    void clear() {
        size = 0;
    }

    /** Releases the array; the stack must not be used afterwards. */
    void free() {
        Storage.free(items);
    }
}
