package dev.refkit.heap.index;

import java.util.Arrays;

/** A long-indexed array of {@code long}s; see {@link LongIndexed}. */
public final class LongArray extends LongIndexed {

    private long[] array;

    LongArray(long[] array, Chunks chunks, long length) {
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
    public long get(long i) {
        long[] a = array;
        return a != null ? a[(int) i] : getMapped(i);
    }

    /** {@link #get} past a Java array: kept apart so that {@code get} stays small enough to inline everywhere. */
    private long getMapped(long i) {
        long at = i << 3;
        checkIndex(i);
        return buffer(buffers, at).getLong(offset(at));
    }

    /**
     * Writes an element.
     *
     * @param i     the element's index, 0 to {@code length() - 1}
     * @param value its new value
     * @throws IndexOutOfBoundsException if {@code i} is outside the array
     */
    public void set(long i, long value) {
        long[] a = array;
        if (a != null) {
            a[(int) i] = value;
        } else {
            setMapped(i, value);
        }
    }

    private void setMapped(long i, long value) {
        long at = i << 3;
        checkIndex(i);
        buffer(buffers, at).putLong(offset(at), value);
    }

    /**
     * Adds to an element.
     *
     * @param i     the element's index, 0 to {@code length() - 1}
     * @param delta what to add
     * @return the element's new value
     */
    public long add(long i, long delta) {
        long[] a = array;
        return a != null ? a[(int) i] += delta : addMapped(i, delta);
    }

    private long addMapped(long i, long delta) {
        long value = getMapped(i) + delta;
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
    public static void copy(LongArray from, long fromIndex, LongArray to, long toIndex, long count) {
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
    public void fill(long from, long to, long value) {
        long[] a = array;
        if (a != null) {
            Arrays.fill(a, (int) from, (int) to, value);
            return;
        }
        for (long i = from; i < to; i++) {
            set(i, value);
        }
    }

    /**
     * Sorts elements {@code from .. to - 1} ascending: on the heap with {@link Arrays#parallelSort(long[], int, int)};
     * in buffers by sorting slices of a few megabytes on the heap and merging them in passes through a second array
     * of the storage, which read and write in sequence (what mapped pages need).
     *
     * @param from    the first element sorted
     * @param to      the element after the last one sorted
     * @param scratch where the second array comes from
     */
    public void sort(long from, long to, Storage scratch) {
        long[] a = array;
        if (a != null) {
            Arrays.parallelSort(a, (int) from, (int) to);
            return;
        }
        int slice = 1 << 20;
        long[] buffer = new long[(int) Math.min(slice, Math.max(0, to - from))];
        for (long start = from; start < to; start += slice) {
            int length = (int) Math.min(slice, to - start);
            for (int i = 0; i < length; i++) {
                buffer[i] = get(start + i);
            }
            Arrays.sort(buffer, 0, length);
            for (int i = 0; i < length; i++) {
                set(start + i, buffer[i]);
            }
        }
        if (to - from <= slice) {
            return;
        }
        LongArray other = scratch.longs(to - from);
        LongArray source = this;
        long sourceBase = from;
        LongArray target = other;
        long targetBase = 0;
        for (long width = slice; width < to - from; width *= 2) {
            for (long left = 0; left < to - from; left += 2 * width) {
                long mid = Math.min(left + width, to - from);
                long end = Math.min(left + 2 * width, to - from);
                long i = left;
                long j = mid;
                for (long k = left; k < end; k++) {
                    long x = i < mid ? source.get(sourceBase + i) : Long.MAX_VALUE;
                    long y = j < end ? source.get(sourceBase + j) : Long.MAX_VALUE;
                    if (j >= end || i < mid && x <= y) {
                        target.set(targetBase + k, x);
                        i++;
                    } else {
                        target.set(targetBase + k, y);
                        j++;
                    }
                }
            }
            LongArray swap = source;
            source = target;
            target = swap;
            long swapBase = sourceBase;
            sourceBase = targetBase;
            targetBase = swapBase;
        }
        if (source != this) {
            copy(source, sourceBase, this, from, to - from);
        }
        Storage.free(other);
    }

    @Override
    void releaseArray() {
        array = null;
    }
}
