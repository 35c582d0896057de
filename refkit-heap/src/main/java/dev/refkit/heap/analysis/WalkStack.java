package dev.refkit.heap.analysis;

import dev.refkit.heap.index.IntArray;
import dev.refkit.heap.index.LongArray;
import dev.refkit.heap.index.Storage;

/**
 * The explicit stack of a depth-first walk: (object, next edge or child position) pairs, grown by doubling from
 * the dump's storage, so that a walk pays for its depth (ten million on a long chain) and not for the heap's size.
 */
final class WalkStack {

    private final Storage storage;
    private IntArray objects;
    private LongArray cursors;
    private long size;

    WalkStack(Storage storage) {
        this.storage = storage;
        this.objects = storage.ints(1024);
        this.cursors = storage.longs(1024);
    }

    boolean isEmpty() {
        return size == 0;
    }

    void push(int object, long cursor) {
        if (size == objects.length()) {
            IntArray moreObjects = storage.ints(2 * size);
            LongArray moreCursors = storage.longs(2 * size);
            IntArray.copy(objects, 0, moreObjects, 0, size);
            LongArray.copy(cursors, 0, moreCursors, 0, size);
            Storage.free(objects);
            Storage.free(cursors);
            objects = moreObjects;
            cursors = moreCursors;
        }
        objects.set(size, object);
        cursors.set(size, cursor);
        size++;
    }

    int object() {
        return objects.get(size - 1);
    }

    long cursor() {
        return cursors.get(size - 1);
    }

    void cursor(long cursor) {
        cursors.set(size - 1, cursor);
    }

    void pop() {
        size--;
    }

    /** Releases the arrays; the stack must not be used afterwards. */
    void free() {
        Storage.free(objects);
        Storage.free(cursors);
    }
}
