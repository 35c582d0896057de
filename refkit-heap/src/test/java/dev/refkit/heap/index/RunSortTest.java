package dev.refkit.heap.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RunSortTest {

    /** Sorts a copy both ways, with a tail past {@code n} that must stay untouched. */
    private static void check(long[] keys) {
        long[] tail = Arrays.copyOf(keys, keys.length + 3);
        tail[keys.length] = -1;
        tail[keys.length + 1] = Long.MIN_VALUE;
        tail[keys.length + 2] = Long.MAX_VALUE;
        long[] expected = keys.clone();
        Arrays.sort(expected);
        LongArray sorted = TestArrays.of(tail);
        RunSort.sort(sorted, keys.length, Storage.onHeap());
        tail = TestArrays.toArray(sorted);
        assertThat(Arrays.copyOf(tail, keys.length)).isEqualTo(expected);
        assertThat(Arrays.copyOfRange(tail, keys.length, tail.length)).containsExactly(-1, Long.MIN_VALUE,
                Long.MAX_VALUE);
    }

    private static long[] ascending(Random random, int n, long from) {
        long[] a = new long[n];
        long v = from;
        for (int i = 0; i < n; i++) {
            v += random.nextInt(3);   // ties included
            a[i] = v;
        }
        return a;
    }

    @Test
    void theShapesHotSpotWrites() {
        Random random = new Random(42);
        for (int round = 0; round < 300; round++) {
            int n = random.nextInt(5000);
            long[] heap = ascending(random, n, random.nextLong() >> 2);
            // class objects first, anywhere in the range (strays), then the heap in address order
            int classes = random.nextInt(Math.max(1, n / 20) + 1);
            long[] keys = new long[classes + n];
            for (int i = 0; i < classes; i++) {
                keys[i] = heap.length > 0 ? heap[random.nextInt(heap.length)] + random.nextInt(5) - 2
                        : random.nextLong();
            }
            System.arraycopy(heap, 0, keys, classes, n);
            check(keys);
            // strays at the end (objects written after the heap walk), and in the middle
            long[] late = Arrays.copyOf(heap, n + 3);
            for (int i = n; i < n + 3; i++) {
                late[i] = n > 0 ? heap[random.nextInt(n)] - 1 : i;
            }
            check(late);
        }
    }

    @Test
    void longRunsOutOfOrderAndRandomKeysAreSortedToo() {
        Random random = new Random(7);
        for (int round = 0; round < 200; round++) {
            int runs = 1 + random.nextInt(5);
            long[] keys = new long[0];
            for (int r = 0; r < runs; r++) {
                long[] run = ascending(random, RunSort.MIN_RUN + random.nextInt(500), random.nextLong() >> 2);
                long[] joined = Arrays.copyOf(keys, keys.length + run.length);
                System.arraycopy(run, 0, joined, keys.length, run.length);
                keys = joined;
            }
            check(keys);
            long[] randomKeys = random.longs(random.nextInt(3000)).toArray();
            check(randomKeys);
        }
    }

    @Test
    void edgeCases() {
        check(new long[0]);
        check(new long[] {5});
        check(new long[] {5, 4});
        check(new long[] {Long.MAX_VALUE, Long.MIN_VALUE, 0, -1});
        long[] descending = new long[1000];
        for (int i = 0; i < descending.length; i++) {
            descending[i] = -i;
        }
        check(descending);
        long[] equal = new long[1000];
        check(equal);
    }

    @Test
    void mergingFromTheBackEqualsSortingTheWhole() {
        Random random = new Random(7);
        for (int round = 0; round < 2000; round++) {
            int kept = random.nextInt(300);
            int extra = random.nextInt(round % 10 == 0 ? 300 : 8);
            long spread = 1 + random.nextInt(round % 3 == 0 ? 5 : 1_000_000);   // small spreads: many ties
            long[] a = new long[kept + extra + 2];
            for (int i = 0; i < kept; i++) {
                a[i] = random.nextLong() % spread;
            }
            Arrays.sort(a, 0, kept);
            long[] more = new long[extra];
            for (int i = 0; i < extra; i++) {
                more[i] = random.nextLong() % spread;
            }
            Arrays.sort(more);
            a[kept + extra] = 17;
            a[kept + extra + 1] = -17;
            long[] expected = new long[kept + extra];
            System.arraycopy(a, 0, expected, 0, kept);
            System.arraycopy(more, 0, expected, kept, extra);
            Arrays.sort(expected);
            LongArray merged = TestArrays.of(a);
            RunSort.mergeFromBack(merged, kept, more);
            a = TestArrays.toArray(merged);
            assertThat(Arrays.copyOf(a, kept + extra)).as("round %d", round).isEqualTo(expected);
            assertThat(a[kept + extra]).isEqualTo(17);
            assertThat(a[kept + extra + 1]).isEqualTo(-17);
        }
    }
}
