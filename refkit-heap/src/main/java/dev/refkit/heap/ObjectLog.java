package dev.refkit.heap;

import java.util.ArrayList;
import java.util.List;

/**
 * The objects pass 1 meets, in file order: each one's id and the low 32 bits of its record's position.
 *
 * <p>Implementation notes: entries go into blocks that double in size up to {@link #LARGEST}, so growing
 * never copies what is already stored, and the large blocks (a megabyte and more) are allocated outside
 * the collector's young generation (G1 treats them as humongous), so collections do not copy them either.
 */
final class ObjectLog {
    private static final int FIRST = 1 << 10;
    private static final int LARGEST = 1 << 20;

    private final List<long[]> idBlocks = new ArrayList<>();
    private final List<int[]> positionBlocks = new ArrayList<>();
    private long[] ids = new long[FIRST];
    private int[] positions = new int[FIRST];
    private int fill;
    private int size;

    void add(long id, int positionLow) {
        if (fill == ids.length) {
            next();
        }
        ids[fill] = id;
        positions[fill] = positionLow;
        fill++;
        size++;
    }

    private void next() {
        if (size > Integer.MAX_VALUE - 2 * LARGEST) {
            throw new IllegalStateException("more than 2^31 objects: the dump is too large for int indexes");
        }
        idBlocks.add(ids);
        positionBlocks.add(positions);
        int capacity = Math.min(LARGEST, ids.length * 2);
        ids = new long[capacity];
        positions = new int[capacity];
        fill = 0;
    }

    int size() {
        return size;
    }

    /** Blocks, full ones first and then the one being filled. */
    int blocks() {
        return idBlocks.size() + 1;
    }

    long[] ids(int block) {
        return block < idBlocks.size() ? idBlocks.get(block) : ids;
    }

    int[] positions(int block) {
        return block < positionBlocks.size() ? positionBlocks.get(block) : positions;
    }

    /** Entries in the block. */
    int fill(int block) {
        return block < idBlocks.size() ? idBlocks.get(block).length : fill;
    }
}
