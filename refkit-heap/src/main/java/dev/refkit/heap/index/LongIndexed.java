package dev.refkit.heap.index;

import java.nio.ByteBuffer;

/**
 * A long-indexed array of the index, from a {@link Storage}: one Java array, or buffers of 1 GiB (mapped from a
 * file, or on the heap for an array longer than a Java array can be). Reads and writes are unsynchronized, like a
 * Java array's: publish an array to other threads through a final field or a happens-before edge.
 */
public abstract sealed class LongIndexed permits IntArray, LongArray, ByteArray, CharArray {

    final long length;
    /** The buffers, or null for a Java array (or once released). */
    ByteBuffer[] buffers;
    private final Chunks chunks;

    LongIndexed(Chunks chunks, long length) {
        this.chunks = chunks;
        this.buffers = chunks == null ? null : chunks.buffers;
        this.length = length;
    }

    /**
     * The number of elements.
     *
     * @return the length
     */
    public final long length() {
        return length;
    }

    /**
     * Whether the array is in a mapped file.
     *
     * @return true when mapped
     */
    public final boolean mapped() {
        return chunks != null && chunks.file != null;
    }

    /** Drops the buffers (a use after this fails with a NullPointerException) and unmaps a mapped file's. */
    void release() {
        ByteBuffer[] held = buffers;
        buffers = null;
        releaseArray();
        if (held != null && chunks.file != null) {
            chunks.file.unmap();
        }
    }

    abstract void releaseArray();

    /** Fails unless {@code i} indexes this array. */
    final void checkIndex(long i) {
        if (i < 0 || i >= length) {
            throw new ArrayIndexOutOfBoundsException("index " + i + " of " + length);
        }
    }

    static ByteBuffer buffer(ByteBuffer[] buffers, long byteOffset) {
        return buffers[(int) (byteOffset >>> Chunks.SHIFT)];
    }

    static int offset(long byteOffset) {
        return (int) (byteOffset & (Chunks.CHUNK_BYTES - 1));
    }
}
