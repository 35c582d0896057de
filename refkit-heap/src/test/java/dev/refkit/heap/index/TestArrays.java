package dev.refkit.heap.index;


/** Java arrays to and from the index's long-indexed arrays, for tests of code that works on the latter. */
final class TestArrays {

    private TestArrays() {
    }

    static LongArray of(long[] values) {
        LongArray array = Storage.onHeap().longs(values.length);
        for (int i = 0; i < values.length; i++) {
            array.set(i, values[i]);
        }
        return array;
    }

    static long[] toArray(LongArray array) {
        long[] values = new long[(int) array.length()];
        for (int i = 0; i < values.length; i++) {
            values[i] = array.get(i);
        }
        return values;
    }
}
