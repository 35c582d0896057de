package dev.refkit.heap.index;

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
            table = ObjectIds.ofSortedEntries(Storage.onHeap(), ids.length, new ObjectIds.Range(base, 8, true),
                    TestArrays.of(entries), null, dropped);
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

    /** Every id of the table found at its index, ids not in it not found. */
    private static void assertFinds(ObjectIds table, TreeSet<Long> ids, long base) {
        assertThat(table.count()).isEqualTo(ids.size());
        int index = 0;
        for (long id : ids) {
            assertThat(table.id(index)).isEqualTo(id);
            assertThat(table.indexOf(id)).as("0x%x", id).isEqualTo(index);
            assertThat(table.indexOf(id, Math.max(0, index - 20))).isEqualTo(index);
            index++;
        }
        for (long id : ids) {
            for (long absent : new long[] {id - 8, id + 8, id + 4, base - 8}) {
                if (!ids.contains(absent)) {
                    assertThat(table.indexOf(absent)).as("absent 0x%x", absent).isEqualTo(-1);
                }
            }
        }
    }

    @Test
    void aTableOfDistinctIdsLooksUpThroughItsCoarseDirectoryThenItsFineOne() {
        Random random = new Random(7);
        long base = 0x7_0000_0000L - (16L << 30);
        for (int n : new int[] {1, 2, 7, 600, 40_000}) {
            for (long span : new long[] {8L * n, 64L * n, 1L << 34}) {
                TreeSet<Long> ids = new TreeSet<>();
                while (ids.size() < n) {
                    ids.add(0x7_0000_0000L + (random.nextLong(span) & -8L));
                }
                long[] entries = new long[n];
                int i = 0;
                for (long id : ids) {
                    entries[i] = ObjectIds.entry((id - base) >>> 3, i + 1);
                    i++;
                }
                ObjectIds table = ObjectIds.ofDistinctEntries(Storage.onHeap(), n, new ObjectIds.Range(base, 8, true),
                TestArrays.of(entries));
                long bytes = table.bytes();
                assertFinds(table, ids, base);
                int saved = ObjectIds.parallelBuckets;
                try {
                    ObjectIds.parallelBuckets = n % 2 == 0 ? 16 : Integer.MAX_VALUE;
                    table.refine();
                } finally {
                    ObjectIds.parallelBuckets = saved;
                }
                assertFinds(table, ids, base);
                table.refine();
                assertThat(table.bytes()).as("the fine directory is counted from the start").isEqualTo(bytes);
                for (int k = 0; k < n; k++) {
                    assertThat(table.position(k)).isEqualTo(k + 1);
                }
            }
        }
    }

    @Test
    void lookupsOnOtherThreadsGoOnWhileTheDirectoryIsRefined() throws Exception {
        int n = 200_000;
        long base = 0x7_0000_0000L;
        long[] entries = new long[n];
        for (int i = 0; i < n; i++) {
            entries[i] = ObjectIds.entry(3L * i, i + 1);
        }
        ObjectIds table = ObjectIds.ofDistinctEntries(Storage.onHeap(), n, new ObjectIds.Range(base, 8, true),
                TestArrays.of(entries));
        java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
        Thread reader = new Thread(() -> {
            try {
                started.countDown();
                for (int round = 0; round < 5; round++) {
                    for (int i = 0; i < n; i += 7) {
                        if (table.indexOf(base + 24L * i) != i || table.indexOf(base + 24L * i + 8) != -1) {
                            throw new AssertionError("lookup of object " + i);
                        }
                    }
                }
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        reader.start();
        started.await();
        table.refine();
        reader.join();
        assertThat(failure.get()).isNull();
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
