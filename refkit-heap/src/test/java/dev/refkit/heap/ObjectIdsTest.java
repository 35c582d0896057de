package dev.refkit.heap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The id table looks up every id it holds and no other, whatever its base below the smallest id. */
class ObjectIdsTest {

    /** Random 8-byte aligned ids in {@code [from, from + span)}, some of them twice. */
    private static long[] ids(Random random, long from, long span, int n) {
        long[] ids = new long[n];
        for (int i = 0; i < n; i++) {
            ids[i] = i > 0 && random.nextInt(50) == 0 ? ids[random.nextInt(i)] : from + (random.nextLong(span) & -8L);
        }
        return ids;
    }

    private static void assertLooksUp(long base, long[] ids, int parallelBuckets) {
        long[] entries = new long[ids.length + 7];
        for (int i = 0; i < ids.length; i++) {
            entries[i] = ObjectIds.entry((ids[i] - base) >>> 3, i + 1);
        }
        Arrays.sort(entries, 0, ids.length);
        int saved = ObjectIds.parallelBuckets;
        ObjectIds table;
        LongList dropped = new LongList(0);
        try {
            ObjectIds.parallelBuckets = parallelBuckets;
            table = ObjectIds.ofSortedEntries(ids.length, new ObjectIds.Range(base, 8, true), entries, null, dropped);
        } finally {
            ObjectIds.parallelBuckets = saved;
        }
        TreeSet<Long> distinct = new TreeSet<>();
        for (long id : ids) {
            distinct.add(id);
        }
        assertThat(table.count()).isEqualTo(distinct.size());
        assertThat(dropped.size).isEqualTo(ids.length - distinct.size());
        int index = 0;
        for (long id : distinct) {
            assertThat(table.id(index)).isEqualTo(id);
            assertThat(table.indexOf(id)).as("0x%x", id).isEqualTo(index);
            assertThat(table.indexOf(id, Math.max(0, index - 3))).isEqualTo(index);
            // the first written of an id stays: positions were given in the order written
            int first = 0;
            while (ids[first] != id) {
                first++;
            }
            assertThat(table.position(index)).isEqualTo(first + 1);
            index++;
        }
        long lowest = distinct.first();
        long highest = distinct.last();
        for (long absent : new long[] {base - 8, base, lowest - 8, lowest + 4, highest + 8, highest + (1L << 34),
            Long.MIN_VALUE, Long.MAX_VALUE}) {
            if (!distinct.contains(absent)) {
                assertThat(table.indexOf(absent)).as("absent 0x%x", absent).isEqualTo(-1);
                assertThat(table.indexOf(absent, 0)).isEqualTo(-1);
            }
        }
    }

    @Test
    void aBaseFarBelowTheSmallestIdLooksUpAsTheSmallestIdWould() {
        Random random = new Random(5);
        long heap = 0x7_0000_0000L;
        for (int n : new int[] {1, 2, 100, 5000}) {
            long[] ids = ids(random, heap, 1L << 28, n);
            for (long base : new long[] {heap, heap - (16L << 30), heap - (28L << 30), -(2L << 30)}) {
                assertLooksUp(base, ids, Integer.MAX_VALUE);
                assertLooksUp(base, ids, 16);
            }
        }
    }

    @Test
    void idsSpreadOverTheWholeReach() {
        Random random = new Random(6);
        long base = 0x1000L;
        long[] ids = ids(random, base, (1L << 35) - 8, 3000);
        assertLooksUp(base, ids, Integer.MAX_VALUE);
        assertLooksUp(base, ids, 16);
    }
}
