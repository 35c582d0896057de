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
            for (int i = 0; i < log.fill(b); i++) {
                out.add(log.compact() ? new long[] {log.id(block[i]), (int) block[i]}
                        : new long[] {block[i], log.positions(b)[i]});
            }
        }
        return out;
    }

    private static void check(long[] ids) {
        Random random = new Random(ids.length);
        ObjectLog log = new ObjectLog();
        List<long[]> expected = new ArrayList<>();
        for (long id : ids) {
            int position = random.nextInt();
            log.add(id, position);
            expected.add(new long[] {id, position});
        }
        assertThat(log.size()).isEqualTo(ids.length);
        assertThat(read(log)).containsExactlyElementsOf(expected);
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
