package dev.refkit.heap.index;

import java.util.Arrays;

/** A long-indexed array of {@code byte}s; see {@link LongIndexed}. */
public final class ByteArray extends LongIndexed {

    private byte[] array;

    ByteArray(byte[] array, Chunks chunks, long length) {
        super(chunks, length);
        this.array = array;
    }

    /**
     * Reads an element.
     *
     * @param i the element's index, 0 to {@code length() - 1}
     * @return its value
     * @throws IndexOutOfBoundsException if {@code i} is outside the array
     */
    public byte get(long i) {
        byte[] a = array;
        return a != null ? a[(int) i] : getMapped(i);
    }

    /** {@link #get} past a Java array: kept apart so that {@code get} stays small enough to inline everywhere. */
    private byte getMapped(long i) {
        long at = i;
        checkIndex(i);
        return buffer(buffers, at).get(offset(at));
    }

    /**
     * Writes an element.
     *
     * @param i     the element's index, 0 to {@code length() - 1}
     * @param value its new value
     * @throws IndexOutOfBoundsException if {@code i} is outside the array
     */
    public void set(long i, byte value) {
        byte[] a = array;
        if (a != null) {
            a[(int) i] = value;
        } else {
            setMapped(i, value);
        }
    }

    private void setMapped(long i, byte value) {
        long at = i;
        checkIndex(i);
        buffer(buffers, at).put(offset(at), value);
    }

    /**
     * Copies {@code count} elements of {@code from} at {@code fromIndex} to {@code to} at {@code toIndex}, as
     * {@link System#arraycopy} does: within one array the regions may overlap.
     *
     * @param from      the array read
     * @param fromIndex the first element read
     * @param to        the array written
     * @param toIndex   the first element written
     * @param count     how many elements
     */
    public static void copy(ByteArray from, long fromIndex, ByteArray to, long toIndex, long count) {
        if (from.array != null && to.array != null) {
            System.arraycopy(from.array, (int) fromIndex, to.array, (int) toIndex, (int) count);
            return;
        }
        if (from == to && toIndex > fromIndex) {
            for (long i = count - 1; i >= 0; i--) {
                to.set(toIndex + i, from.get(fromIndex + i));
            }
            return;
        }
        for (long i = 0; i < count; i++) {
            to.set(toIndex + i, from.get(fromIndex + i));
        }
    }

    /**
     * Sets a range of elements to one value.
     *
     * @param from  the first element set
     * @param to    the element after the last one set
     * @param value the value
     */
    public void fill(long from, long to, byte value) {
        byte[] a = array;
        if (a != null) {
            Arrays.fill(a, (int) from, (int) to, value);
            return;
        }
        for (long i = from; i < to; i++) {
            set(i, value);
        }
    }

    @Override
    void releaseArray() {
        array = null;
    }
}
