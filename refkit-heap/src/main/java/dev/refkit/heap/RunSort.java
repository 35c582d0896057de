package dev.refkit.heap;

import java.util.Arrays;

/**
 * Sorts keys that are nearly in order: long ascending runs that follow one another, and a few strays.
 *
 * <p>That is how HotSpot writes a heap: class objects first, in no particular order, then every other
 * object in address order. The runs of at least {@link #MIN_RUN} keys are closed up in place, the strays
 * (every key of a shorter run) are sorted on their own and merged in from the back, so the cost is a few
 * linear passes and no second array of the keys' size. Any other input (runs out of order with each
 * other, or many strays) goes to {@link Arrays#parallelSort(long[], int, int)}.
 */
final class RunSort {
    static final int MIN_RUN = 64;

    private RunSort() {
    }

    static void sort(long[] a, int n) {
        int strays = 0;
        long last = Long.MIN_VALUE;
        boolean longRunsInOrder = true;
        for (int i = 0; i < n; ) {
            int j = runEnd(a, i, n);
            if (j - i >= MIN_RUN) {
                if (a[i] < last) {
                    longRunsInOrder = false;
                    break;
                }
                last = a[j - 1];
            } else {
                strays += j - i;
            }
            i = j;
        }
        if (longRunsInOrder && strays == 0) {
            return;
        }
        if (!longRunsInOrder || strays > n / 16) {
            Arrays.parallelSort(a, 0, n);
            return;
        }
        long[] stray = new long[strays];
        int kept = 0;
        int s = 0;
        for (int i = 0; i < n; ) {
            int j = runEnd(a, i, n);
            if (j - i >= MIN_RUN) {
                if (i != kept) {
                    System.arraycopy(a, i, a, kept, j - i);
                }
                kept += j - i;
            } else {
                System.arraycopy(a, i, stray, s, j - i);
                s += j - i;
            }
            i = j;
        }
        Arrays.sort(stray);
        mergeFromBack(a, kept, stray);
    }

    /**
     * Merges sorted {@code extra} into sorted {@code a[0 .. kept)}, filling {@code a[0 .. kept +
     * extra.length)}, from the back: each key of {@code extra}, largest first, finds its place by a search
     * that gallops down from the last place found, and the keys above it move up in one block, so every key
     * of {@code a} moves once, by a memory move rather than a comparison each.
     */
    static void mergeFromBack(long[] a, int kept, long[] extra) {
        int end = kept;
        for (int y = extra.length - 1; y >= 0; y--) {
            long key = extra[y];
            // the first of a[0 .. end) greater than key (equal keys of a stay before it): gallop, then halve
            int hi = end;
            int step = 1;
            while (hi - step >= 0 && a[hi - step] > key) {
                hi -= step;
                step <<= 1;
            }
            int lo = Math.max(0, hi - step);
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (a[mid] > key) {
                    hi = mid;
                } else {
                    lo = mid + 1;
                }
            }
            System.arraycopy(a, lo, a, lo + y + 1, end - lo);
            a[lo + y] = key;
            end = lo;
        }
    }

    private static int runEnd(long[] a, int from, int n) {
        int j = from + 1;
        while (j < n && a[j - 1] <= a[j]) {
            j++;
        }
        return j;
    }
}
