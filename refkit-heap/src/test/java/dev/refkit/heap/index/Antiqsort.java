package dev.refkit.heap.index;

import java.util.function.IntBinaryOperator;

/**
 * McIlroy's adversary ("A Killer Adversary for Quicksort", Software: Practice and Experience, 1999): it
 * answers a sort's comparisons lazily, fixing an element's value only when the sort compares two elements
 * it has not fixed yet, and fixes the one that looks like the pivot low. The values it ends with are an
 * input on which that sort makes the comparisons it made here: for a quicksort, a quadratic number.
 */
public final class Antiqsort {

    private final int[] value;
    private final int gas;
    private int solid;
    private int candidate = -1;

    private Antiqsort(int n) {
        value = new int[n];
        gas = n;
        java.util.Arrays.fill(value, gas);
    }

    private int compare(int x, int y) {
        if (value[x] == gas && value[y] == gas) {
            value[x == candidate ? x : y] = solid++;
        }
        if (value[x] == gas) {
            candidate = x;
        } else if (value[y] == gas) {
            candidate = y;
        }
        return Integer.compare(value[x], value[y]);
    }

    /**
     * Keys (a permutation of {@code 0 .. n - 1}) on which the median-of-three quicksort that {@link PairSort}
     * used until December 2026 is quadratic: pivot the median of the first, middle and last keys, Hoare
     * partition, insertion sort below 25 keys, recursion on the smaller part.
     */
    public static long[] againstMedianOfThree(int n) {
        Antiqsort adversary = new Antiqsort(n);
        int[] elements = new int[n];
        for (int i = 0; i < n; i++) {
            elements[i] = i;
        }
        medianOfThreeQuicksort(elements, 0, n - 1, adversary::compare);
        long[] keys = new long[n];
        for (int i = 0; i < n; i++) {
            keys[i] = adversary.value[i] == adversary.gas ? adversary.solid++ : adversary.value[i];
        }
        return keys;
    }

    /** The sort under attack, comparing through {@code cmp}. */
    private static void medianOfThreeQuicksort(int[] a, int lo, int hi, IntBinaryOperator cmp) {
        while (hi - lo > 24) {
            int mid = (lo + hi) >>> 1;
            if (cmp.applyAsInt(a[mid], a[lo]) < 0) {
                swap(a, mid, lo);
            }
            if (cmp.applyAsInt(a[hi], a[lo]) < 0) {
                swap(a, hi, lo);
            }
            if (cmp.applyAsInt(a[hi], a[mid]) < 0) {
                swap(a, hi, mid);
            }
            int pivot = a[mid];
            int i = lo;
            int j = hi;
            while (i <= j) {
                while (cmp.applyAsInt(a[i], pivot) < 0) {
                    i++;
                }
                while (cmp.applyAsInt(a[j], pivot) > 0) {
                    j--;
                }
                if (i <= j) {
                    swap(a, i, j);
                    i++;
                    j--;
                }
            }
            if (j - lo < hi - i) {
                medianOfThreeQuicksort(a, lo, j, cmp);
                lo = i;
            } else {
                medianOfThreeQuicksort(a, i, hi, cmp);
                hi = j;
            }
        }
        for (int i = lo + 1; i <= hi; i++) {
            int key = a[i];
            int j = i - 1;
            while (j >= lo && cmp.applyAsInt(a[j], key) > 0) {
                a[j + 1] = a[j];
                j--;
            }
            a[j + 1] = key;
        }
    }

    private static void swap(int[] a, int i, int j) {
        int t = a[i];
        a[i] = a[j];
        a[j] = t;
    }
}
