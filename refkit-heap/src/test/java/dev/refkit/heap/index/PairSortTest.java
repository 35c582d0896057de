package dev.refkit.heap.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Keys sorted with their values, in O(n log n) whatever order the keys come in. */
class PairSortTest {

    /** Sorts keys with their original indexes as values; checks the order and that every value followed its key. */
    private static void checkSorts(long[] keys) {
        long[] k = keys.clone();
        long[] v = new long[k.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = i;
        }
        PairSort.sort(k, v, k.length);
        long[] expected = keys.clone();
        Arrays.sort(expected);
        assertThat(k).isEqualTo(expected);
        for (int i = 0; i < k.length; i++) {
            assertThat(keys[(int) v[i]]).isEqualTo(k[i]);
        }
    }

    @Test
    void keysOfEveryShapeAreSortedWithTheirValues() {
        Random random = new Random(17);
        for (int n : new int[] {0, 1, 2, 24, 25, 26, 100, 1_000, 10_000}) {
            long[] shuffled = random.longs(n).toArray();
            long[] fewValues = random.longs(n, -3, 3).toArray();
            long[] ascending = shuffled.clone();
            Arrays.sort(ascending);
            long[] descending = new long[n];
            for (int i = 0; i < n; i++) {
                descending[i] = ascending[n - 1 - i];
            }
            for (long[] keys : new long[][] {shuffled, fewValues, ascending, descending}) {
                checkSorts(keys);
            }
        }
    }

    @Test
    void theHeapsortFallbackSortsAnyRange() {
        Random random = new Random(18);
        long[] k = random.longs(1_000, -50, 50).toArray();
        long[] v = k.clone();
        PairSort.heapSort(k, v, 100, 899);
        long[] middle = Arrays.copyOfRange(k, 100, 900);
        assertThat(PairSort.isSorted(middle, middle.length)).isTrue();
        assertThat(v).isEqualTo(k);
    }

    /**
     * McIlroy's adversary makes a median-of-three quicksort quadratic: 60,000 keys took 0.45 s (300,000 took
     * 9.5 s, against 0.02 s shuffled). The heapsort fallback keeps them within a small factor of the same keys
     * shuffled.
     */
    @Test
    void keysChosenAgainstTheMedianOfThreePivotAreSortedAsFastAsShuffledOnes() {
        long[] adversarial = Antiqsort.againstMedianOfThree(60_000);
        checkSorts(adversarial);
        long[] shuffled = adversarial.clone();
        Random random = new Random(19);
        for (int i = shuffled.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            long t = shuffled[i];
            shuffled[i] = shuffled[j];
            shuffled[j] = t;
        }
        for (int warmUp = 0; warmUp < 3; warmUp++) {
            sortNanos(shuffled);
            sortNanos(adversarial);
        }
        long shuffledNanos = sortNanos(shuffled);
        long adversarialNanos = sortNanos(adversarial);
        assertThat(adversarialNanos).as("adversarial %d ns, shuffled %d ns", adversarialNanos, shuffledNanos)
                .isLessThan(10 * shuffledNanos + 50_000_000L);
    }

    private static long sortNanos(long[] keys) {
        long[] k = keys.clone();
        long[] v = new long[k.length];
        long start = System.nanoTime();
        PairSort.sort(k, v, k.length);
        return System.nanoTime() - start;
    }
}
