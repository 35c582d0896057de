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
                System.arraycopy(a, i, a, kept, j - i);
                kept += j - i;
            } else {
                System.arraycopy(a, i, stray, s, j - i);
                s += j - i;
            }
            i = j;
        }
        Arrays.sort(stray);
        int x = kept - 1;
        int y = strays - 1;
        for (int out = n - 1; y >= 0; out--) {
            a[out] = x >= 0 && a[x] > stray[y] ? a[x--] : stray[y--];
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
