package dev.refkit.heap.index;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The bytes of one long-indexed array that does not live in a single Java array: buffers of {@link #CHUNK_BYTES}
 * each (the last one shorter), mapped from a file of the work folder or, for an array too long for a Java array
 * but kept on the heap, allocated there.
 */
final class Chunks {

    /** log2 of the bytes per buffer: 1 GiB, so that a buffer's offsets are {@code int}s. */
    static final int SHIFT = 30;
    static final long CHUNK_BYTES = 1L << SHIFT;

    final ByteBuffer[] buffers;
    /** The file the buffers map, to release with them; null on the heap. */
    final Storage.MappedFile file;

    private Chunks(ByteBuffer[] buffers, Storage.MappedFile file) {
        this.buffers = buffers;
        this.file = file;
    }

    /** How many buffers hold {@code bytes}: at least one, so that an empty array has a (zero-length) buffer. */
    static int count(long bytes) {
        return (int) Math.max(1, (bytes + CHUNK_BYTES - 1) >>> SHIFT);
    }

    /** The length of buffer {@code i} of {@code bytes}: {@link #CHUNK_BYTES} but for the last one. */
    static int length(long bytes, int i) {
        return (int) Math.max(0, Math.min(CHUNK_BYTES, bytes - ((long) i << SHIFT)));
    }

    static Chunks onHeap(long bytes) {
        ByteBuffer[] buffers = new ByteBuffer[count(bytes)];
        for (int i = 0; i < buffers.length; i++) {
            buffers[i] = ByteBuffer.allocate(length(bytes, i)).order(ByteOrder.nativeOrder());
        }
        return new Chunks(buffers, null);
    }

    static Chunks mapped(Storage.MappedFile file) {
        return new Chunks(file.buffers(), file);
    }
}
