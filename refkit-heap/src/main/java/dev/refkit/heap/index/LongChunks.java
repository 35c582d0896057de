package dev.refkit.heap.index;

import java.util.Arrays;

/**
 * A growable list of {@code long}s in blocks of 64 Ki: growing copies no element and leaves at most one block
 * unused, where a {@link LongList} of millions of elements needs its old and its new array at once (for the
 * GC roots of a dump of ten million: 200 MB for 80 MB of ids).
 */
final class LongChunks {
    private static final int SHIFT = 16;
    private static final int MASK = (1 << SHIFT) - 1;

    private long[][] blocks = new long[4][];
    int size;

    void add(long v) {
        int b = size >>> SHIFT;
        if (b == blocks.length) {
            blocks = Arrays.copyOf(blocks, 2 * b);
        }
        if (blocks[b] == null) {
            blocks[b] = new long[b == 0 ? 64 : 1 << SHIFT];
        } else if (b == 0 && size == blocks[0].length) {
            blocks[0] = Arrays.copyOf(blocks[0], Math.min(1 << SHIFT, 4 * size));
        }
        blocks[b][size & MASK] = v;
        size++;
    }

    long get(int i) {
        return blocks[i >>> SHIFT][i & MASK];
    }
}
