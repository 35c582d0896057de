package dev.refkit.heap.index;

import java.util.Arrays;

/**
 * Sorts keys that are nearly in order: long ascending runs that follow one another, and a few strays.
 *
 * <p>That is how HotSpot writes a heap: class objects first, in no particular order, then every other
 * object in address order. The runs of at least {@link #MIN_RUN} keys are closed up in place, the strays
 * (every key of a shorter run) are sorted on their own and merged in from the back, so the cost is a few
 * linear passes and no second array of the keys' size. Any other input (runs out of order with each
 * other, or many strays) goes to {@link LongArray#sort}.
 */
final class RunSort {
    static final int MIN_RUN = 64;

    private RunSort() {
    }

    static void sort(LongArray a, int n, Storage scratch) {
        int strays = 0;
        long last = Long.MIN_VALUE;
        boolean longRunsInOrder = true;
        for (int i = 0; i < n; ) {
            int j = runEnd(a, i, n);
            if (j - i >= MIN_RUN) {
                if (a.get(i) < last) {
                    longRunsInOrder = false;
                    break;
                }
                last = a.get(j - 1);
            } else {
                strays += j - i;
            }
            i = j;
        }
        if (longRunsInOrder && strays == 0) {
            return;
        }
        if (!longRunsInOrder || strays > n / 16) {
            a.sort(0, n, scratch);
            return;
        }
        long[] stray = new long[strays];
        int kept = 0;
        int s = 0;
        for (int i = 0; i < n; ) {
            int j = runEnd(a, i, n);
            if (j - i >= MIN_RUN) {
                if (i != kept) {
                    LongArray.copy(a, i, a, kept, j - i);
                }
                kept += j - i;
            } else {
                for (int k = i; k < j; k++) {
                    stray[s++] = a.get(k);
                }
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
    static void mergeFromBack(LongArray a, int kept, long[] extra) {
        int end = kept;
        for (int y = extra.length - 1; y >= 0; y--) {
            long key = extra[y];
            // the first of a[0 .. end) greater than key (equal keys of a stay before it): gallop, then halve
            int hi = end;
            int step = 1;
            while (hi - step >= 0 && a.get(hi - step) > key) {
                hi -= step;
                step <<= 1;
            }
            int lo = Math.max(0, hi - step);
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (a.get(mid) > key) {
                    hi = mid;
                } else {
                    lo = mid + 1;
                }
            }
            LongArray.copy(a, lo, a, lo + y + 1, end - lo);
            a.set(lo + y, key);
            end = lo;
        }
    }

    private static int runEnd(LongArray a, int from, int n) {
        int j = from + 1;
        long previous = a.get(from);
        while (j < n) {
            long next = a.get(j);
            if (previous > next) {
                break;
            }
            previous = next;
            j++;
        }
        return j;
    }
}
