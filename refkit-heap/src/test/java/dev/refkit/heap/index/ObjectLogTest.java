package dev.refkit.heap.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ObjectLogTest {

    private static final Storage HEAP = Storage.onHeap();

    /** Reads the log back as {id, position} pairs, whichever form it holds. */
    private static List<long[]> read(ObjectLog log) {
        List<long[]> out = new ArrayList<>();
        for (int b = 0; b < log.blocks(); b++) {
            LongArray block = log.block(b);
            int offset = log.offset(b);
            for (int i = 0; i < log.fill(b); i++) {
                out.add(log.compact() ? new long[] {log.id(block.get(offset + i)), (int) block.get(offset + i)}
                        : new long[] {block.get(i), log.positions(b).get(i)});
            }
        }
        for (int i = 0; i < log.strays(); i++) {
            out.add(new long[] {log.strayId(i), log.strayPosition(i)});
        }
        return out;
    }

    /** A log in a region of {@code shared} that keeps up to {@code strays} objects apart. */
    private static ObjectLog inRegion(LongArray shared, int start, int limit, long base, int strays) {
        return new ObjectLog(HEAP, shared, start, limit, base, strays);
    }

    private static void check(long[] ids) {
        check(ids, new ObjectLog(HEAP));
    }

    private static ObjectLog check(long[] ids, ObjectLog log) {
        Random random = new Random(ids.length);
        List<long[]> expected = new ArrayList<>();
        for (long id : ids) {
            int position = random.nextInt();
            log.add(id, position);
            expected.add(new long[] {id, position});
        }
        assertThat(log.size()).isEqualTo(ids.length);
        assertThat(read(log)).containsExactlyElementsOf(expected);
        return log;
    }

    private static long[] alignedIds(int n) {
        long[] ids = new long[n];
        for (int i = 0; i < n; i++) {
            ids[i] = 0x7_0000_0000L + 16L * i;
        }
        return ids;
    }

    @Test
    void aLogInARegionWritesThereAndLeavesTheRestOfTheArrayAlone() {
        LongArray shared = HEAP.longs(3000);
        shared.fill(0, shared.length(), -1);
        ObjectLog log = check(alignedIds(1000), inRegion(shared, 1000, 2000, ObjectLog.FLOATING, 0));
        assertThat(log.inRegion()).isTrue();
        assertThat(log.blocks()).isEqualTo(1);
        assertThat(log.block(0)).isSameAs(shared);
        assertThat(log.offset(0)).isEqualTo(1000);
        for (int i = 0; i < shared.length(); i++) {
            assertThat(shared.get(i) == -1).as("slot %d", i).isEqualTo(i < 1000 || i >= 2000);
        }
    }

    @Test
    void aLogThatOutgrowsItsRegionGoesOnInBlocksOfItsOwn() {
        for (int size : new int[] {1, 999, 1000, 1001, 1024, 5000}) {
            LongArray shared = HEAP.longs(3000);
            ObjectLog log = check(alignedIds(size), inRegion(shared, 1000, 2000, ObjectLog.FLOATING, 0));
            assertThat(log.inRegion()).as("in its region after %d", size).isEqualTo(size <= 1000);
            assertThat(log.compact()).isTrue();
        }
    }

    @Test
    void aLogThatMustWidenLeavesItsRegion() {
        for (int at : new int[] {0, 1, 500, 999}) {
            long[] ids = alignedIds(1000);
            ids[at] += 4;
            ObjectLog log = check(ids, inRegion(HEAP.longs(3000), 1000, 2000, ObjectLog.FLOATING, 0));
            assertThat(log.inRegion()).isFalse();
            assertThat(log.compact()).isFalse();
        }
    }

    @Test
    void aRegionHoldsTableEntriesCountedFromItsBaseInAscendingOrder() {
        long base = 0x7_0000_0000L - 64;
        LongArray shared = HEAP.longs(3000);
        ObjectLog log = check(alignedIds(1000), inRegion(shared, 1000, 2000, base, 16));
        assertThat(log.inRegion()).isTrue();
        assertThat(log.strays()).isZero();
        assertThat(log.base()).isEqualTo(base);
        for (int i = 0; i < 1000; i++) {
            long expected = ObjectIds.entry((0x7_0000_0000L + 16L * i - base) >>> 3, log.block(0).get(1000 + i));
            assertThat(shared.get(1000 + i)).isEqualTo(expected);
            assertThat(i == 0 || shared.get(1000 + i - 1) < shared.get(1000 + i)).isTrue();
        }
    }

    @Test
    void objectsThatDoNotFitTheRegionAreKeptApartAsStraysEachTakingASlot() {
        long base = 0x7_0000_0000L;
        long[] ids = alignedIds(100);
        ids[10] = ids[5];                      // out of order
        ids[20] = base - 8;                    // below the base
        ids[30] += 4;                          // out of alignment
        ids[40] = base + ObjectLog.REGION_REACH; // beyond the reach
        LongArray shared = HEAP.longs(300);
        ObjectLog log = inRegion(shared, 100, 200, base, 4);
        Random random = new Random(1);
        List<long[]> expected = new ArrayList<>();
        for (long id : ids) {
            int position = random.nextInt(1 << 30) + 1;
            log.add(id, position);
            expected.add(new long[] {id, position});
        }
        assertThat(log.inRegion()).isTrue();
        assertThat(log.strays()).isEqualTo(4);
        assertThat(log.fill(0)).isEqualTo(96);
        assertThat(log.size()).isEqualTo(100);
        assertThat(read(log)).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(log.span().min).isEqualTo(base - 8);
        for (int i = 101; i < 196; i++) {
            assertThat(shared.get(i - 1)).isLessThan(shared.get(i));
        }
        assertThat(shared.get(196)).as("the strays' slots stay free").isZero();
    }

    @Test
    void theSpanOfALogCoversItsRegionItsStraysAndItsBlocks() {
        long base = 0x7_0000_0000L;
        for (int strays : new int[] {0, 3, 100}) {
            long[] ids = alignedIds(1000);
            ids[10] = base - 64;
            ids[500] = ids[499] + 4;
            ids[700] = ids[3];
            ObjectLog log = inRegion(HEAP.longs(3000), 1000, 2000, base, strays);
            IdSpan expected = new IdSpan();
            for (long id : ids) {
                log.add(id, 1);
                expected.add(id);
            }
            assertThat(log.inRegion()).isEqualTo(strays >= 3);
            IdSpan span = log.span();
            assertThat(span.min).isEqualTo(base - 64);
            assertThat(span.max).isEqualTo(ids[999]);
            assertThat(Long.lowestOneBit(span.differences | (span.first - expected.first)))
                    .as("alignment").isEqualTo(4);
        }
    }

    @Test
    void aLogWithMoreStraysThanItsLimitLeavesItsRegionWithEverythingItHeld() {
        long base = 0x7_0000_0000L;
        long[] ids = alignedIds(500);
        for (int i = 1; i < ids.length; i += 50) {
            ids[i] = base - 8L * i;
        }
        LongArray shared = HEAP.longs(3000);
        shared.fill(0, shared.length(), -1);
        ObjectLog log = inRegion(shared, 1000, 2000, base, 5);
        Random random = new Random(2);
        List<long[]> expected = new ArrayList<>();
        for (long id : ids) {
            int position = random.nextInt(1 << 30) + 1;
            log.add(id, position);
            expected.add(new long[] {id, position});
        }
        assertThat(log.inRegion()).isFalse();
        assertThat(log.strays()).isZero();
        assertThat(log.size()).isEqualTo(500);
        assertThat(read(log)).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void straysDoNotOverfillTheRegion() {
        long base = 0x7_0000_0000L;
        long[] ids = alignedIds(12);
        ids[3] = base - 8;
        ids[4] = base - 16;
        ObjectLog log = inRegion(HEAP.longs(10), 0, 10, base, 100);
        for (long id : ids) {
            log.add(id, 7);
        }
        // 10 slots: 2 strays and 8 entries fit, the next object does not
        assertThat(log.inRegion()).isFalse();
        assertThat(log.size()).isEqualTo(12);
        assertThat(read(log)).extracting(pair -> pair[0]).containsExactlyInAnyOrder(
                java.util.Arrays.stream(ids).boxed().toArray(Long[]::new));
    }

    @Test
    void alignedNearbyIdsStayCompact() {
        long[] ids = new long[5000];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = 0x7_0000_0000L + 8L * ((i * 7919L) % 100_000) - 8L * 50_000;
        }
        ObjectLog log = new ObjectLog(HEAP);
        for (long id : ids) {
            log.add(id, 0);
        }
        assertThat(log.compact()).isTrue();
        check(ids);
    }

    @Test
    void aMisalignedOrFarIdTurnsTheLogIntoIdsAndPositions() {
        for (long odd : new long[] {0x7_0000_0004L, 0x7_0000_0000L + (16L << 30), 0x7_0000_0000L - (16L << 30) - 8,
            Long.MIN_VALUE, Long.MAX_VALUE}) {
            for (int at : new int[] {1, 1023, 1024, 1025, 3000}) {
                long[] ids = new long[4000];
                for (int i = 0; i < ids.length; i++) {
                    ids[i] = i == at ? odd : 0x7_0000_0000L + 16L * i;
                }
                check(ids);
            }
        }
    }

    @Test
    void theEdgesOfTheCompactRangeStayCompact() {
        long first = 0x7_0000_0000L;
        long[] ids = {first, first + (16L << 30) - 8, first - (16L << 30), first + 8};
        ObjectLog log = new ObjectLog(HEAP);
        for (long id : ids) {
            log.add(id, 1);
        }
        assertThat(log.compact()).isTrue();
        check(ids);
    }
}
