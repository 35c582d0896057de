package dev.refkit.heap.index;

/**
 * Sorts {@code long} keys together with a parallel array of {@code long} values, in place.
 *
 * <p>Introsort: quicksort with a median-of-three pivot, insertion sort below 25 elements, recursion on the
 * smaller part only (so the stack stays logarithmic whatever the input), no allocation; a range still longer
 * than that after {@code 2 log2 n} partitions is heap-sorted, so that keys chosen against the pivot rule (a
 * dump's string ids can be anything) cost O(n log n), not O(n^2). On other input the heapsort never runs.
 */
final class PairSort {
    private PairSort() {
    }

    static boolean isSorted(long[] keys, int n) {
        for (int i = 1; i < n; i++) {
            if (keys[i - 1] > keys[i]) {
                return false;
            }
        }
        return true;
    }

    static void sort(long[] keys, long[] values, int n) {
        sort(keys, values, 0, n - 1, 2 * (32 - Integer.numberOfLeadingZeros(Math.max(1, n))));
    }

    private static void sort(long[] k, long[] v, int lo, int hi, int depth) {
        while (hi - lo > 24) {
            if (depth-- == 0) {
                heapSort(k, v, lo, hi);
                return;
            }
            int mid = (lo + hi) >>> 1;
            if (k[mid] < k[lo]) {
                swap(k, v, mid, lo);
            }
            if (k[hi] < k[lo]) {
                swap(k, v, hi, lo);
            }
            if (k[hi] < k[mid]) {
                swap(k, v, hi, mid);
            }
            long pivot = k[mid];
            int i = lo;
            int j = hi;
            while (i <= j) {
                while (k[i] < pivot) {
                    i++;
                }
                while (k[j] > pivot) {
                    j--;
                }
                if (i <= j) {
                    swap(k, v, i, j);
                    i++;
                    j--;
                }
            }
            if (j - lo < hi - i) {
                sort(k, v, lo, j, depth);
                lo = i;
            } else {
                sort(k, v, i, hi, depth);
                hi = j;
            }
        }
        for (int i = lo + 1; i <= hi; i++) {
            long key = k[i];
            long value = v[i];
            int j = i - 1;
            while (j >= lo && k[j] > key) {
                k[j + 1] = k[j];
                v[j + 1] = v[j];
                j--;
            }
            k[j + 1] = key;
            v[j + 1] = value;
        }
    }

    /** Heapsort of {@code [lo, hi]}: a max-heap built bottom-up, its root moved to the end until one is left. */
    static void heapSort(long[] k, long[] v, int lo, int hi) {
        int n = hi - lo + 1;
        for (int i = n / 2 - 1; i >= 0; i--) {
            siftDown(k, v, lo, i, n);
        }
        for (int end = n - 1; end > 0; end--) {
            swap(k, v, lo, lo + end);
            siftDown(k, v, lo, 0, end);
        }
    }

    private static void siftDown(long[] k, long[] v, int base, int i, int n) {
        long key = k[base + i];
        long value = v[base + i];
        for (int child; (child = 2 * i + 1) < n; i = child) {
            if (child + 1 < n && k[base + child + 1] > k[base + child]) {
                child++;
            }
            if (k[base + child] <= key) {
                break;
            }
            k[base + i] = k[base + child];
            v[base + i] = v[base + child];
        }
        k[base + i] = key;
        v[base + i] = value;
    }

    private static void swap(long[] k, long[] v, int a, int b) {
        long t = k[a];
        k[a] = k[b];
        k[b] = t;
        t = v[a];
        v[a] = v[b];
        v[b] = t;
    }
}
