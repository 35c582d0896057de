package dev.refkit.heap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ObjectLogTest {

    /** Reads the log back as {id, position} pairs, whichever form it holds. */
    private static List<long[]> read(ObjectLog log) {
        List<long[]> out = new ArrayList<>();
        for (int b = 0; b < log.blocks(); b++) {
            long[] block = log.block(b);
            int offset = log.offset(b);
            for (int i = 0; i < log.fill(b); i++) {
                out.add(log.compact() ? new long[] {log.id(block[offset + i]), (int) block[offset + i]}
                        : new long[] {block[i], log.positions(b)[i]});
            }
        }
        return out;
    }

    private static void check(long[] ids) {
        check(ids, new ObjectLog());
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
        long[] shared = new long[3000];
        java.util.Arrays.fill(shared, -1);
        ObjectLog log = check(alignedIds(1000), new ObjectLog(shared, 1000, 2000));
        assertThat(log.inRegion()).isTrue();
        assertThat(log.blocks()).isEqualTo(1);
        assertThat(log.block(0)).isSameAs(shared);
        assertThat(log.offset(0)).isEqualTo(1000);
        for (int i = 0; i < shared.length; i++) {
            assertThat(shared[i] == -1).as("slot %d", i).isEqualTo(i < 1000 || i >= 2000);
        }
    }

    @Test
    void aLogThatOutgrowsItsRegionGoesOnInBlocksOfItsOwn() {
        for (int size : new int[] {1, 999, 1000, 1001, 1024, 5000}) {
            long[] shared = new long[3000];
            ObjectLog log = check(alignedIds(size), new ObjectLog(shared, 1000, 2000));
            assertThat(log.inRegion()).as("in its region after %d", size).isEqualTo(size <= 1000);
            assertThat(log.compact()).isTrue();
        }
    }

    @Test
    void aLogThatMustWidenLeavesItsRegion() {
        for (int at : new int[] {0, 1, 500, 999}) {
            long[] ids = alignedIds(1000);
            ids[at] += 4;
            ObjectLog log = check(ids, new ObjectLog(new long[3000], 1000, 2000));
            assertThat(log.inRegion()).isFalse();
            assertThat(log.compact()).isFalse();
        }
    }

    @Test
    void alignedNearbyIdsStayCompact() {
        long[] ids = new long[5000];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = 0x7_0000_0000L + 8L * ((i * 7919L) % 100_000) - 8L * 50_000;
        }
        ObjectLog log = new ObjectLog();
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
        ObjectLog log = new ObjectLog();
        for (long id : ids) {
            log.add(id, 1);
        }
        assertThat(log.compact()).isTrue();
        check(ids);
    }
}
