package dev.refkit.heap.index;

import java.util.Arrays;

/** A long-indexed array of {@code int}s; see {@link LongIndexed}. */
public final class IntArray extends LongIndexed {

    private int[] array;

    IntArray(int[] array, Chunks chunks, long length) {
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
    public int get(long i) {
        int[] a = array;
        return a != null ? a[(int) i] : getMapped(i);
    }

    /** {@link #get} past a Java array: kept apart so that {@code get} stays small enough to inline everywhere. */
    private int getMapped(long i) {
        long at = i << 2;
        checkIndex(i);
        return buffer(buffers, at).getInt(offset(at));
    }

    /**
     * Writes an element.
     *
     * @param i     the element's index, 0 to {@code length() - 1}
     * @param value its new value
     * @throws IndexOutOfBoundsException if {@code i} is outside the array
     */
    public void set(long i, int value) {
        int[] a = array;
        if (a != null) {
            a[(int) i] = value;
        } else {
            setMapped(i, value);
        }
    }

    private void setMapped(long i, int value) {
        long at = i << 2;
        checkIndex(i);
        buffer(buffers, at).putInt(offset(at), value);
    }

    /**
     * Adds to an element.
     *
     * @param i     the element's index, 0 to {@code length() - 1}
     * @param delta what to add
     * @return the element's new value
     */
    public int add(long i, int delta) {
        int[] a = array;
        return a != null ? a[(int) i] += delta : addMapped(i, delta);
    }

    private int addMapped(long i, int delta) {
        int value = getMapped(i) + delta;
        setMapped(i, value);
        return value;
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
    public static void copy(IntArray from, long fromIndex, IntArray to, long toIndex, long count) {
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
    public void fill(long from, long to, int value) {
        int[] a = array;
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
