package dev.refkit.heap;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The objects pass 1 meets, in file order: each one's id and the low 32 bits of its record's position.
 *
 * <p>Implementation notes: while ids stay 8-byte aligned and within 16 GB of the first one (a HotSpot heap
 * of up to 16 GB, or any heap dumped with compressed references), each object is one {@code long}:
 * {@code (id - first) / 8} in the high half, the position in the low half. The first id that does not fit
 * turns the log into two arrays, ids and positions (12 bytes per object). Entries go into blocks that
 * double in size up to {@link #LARGEST}, so growing never copies what is already stored, and the large
 * blocks (a megabyte and more) are allocated outside the collector's young generation (G1 treats them as
 * humongous), so collections do not copy them either.
 *
 * <p>A log may instead start in a region of an array shared with other logs ({@link #ObjectLog(long[], int,
 * int)}): compact entries go there, so that the shared array can become the id table without a copy. A log
 * that outgrows its region, or must widen, moves what it holds into blocks of its own and goes on there.
 */
final class ObjectLog {
    private static final int FIRST = 1 << 10;
    private static final int LARGEST = 1 << 23;
    private static final long REACH = 8L << 31;

    private long first;
    private boolean compact = true;
    private final List<long[]> full = new ArrayList<>();
    private final List<int[]> fullPositions = new ArrayList<>();
    /** The block being filled: entries when compact, ids when not. */
    private long[] current = new long[FIRST];
    private int[] positions;
    private int fill;
    private int size;
    /** The shared array and this log's region of it, while the log is in it; null otherwise. */
    private long[] region;
    private int regionStart;
    private int regionLimit;

    ObjectLog() {
    }

    /** A log that writes into {@code shared[start .. limit)} for as long as its entries fit and are compact. */
    ObjectLog(long[] shared, int start, int limit) {
        this.region = shared;
        this.regionStart = start;
        this.regionLimit = limit;
    }

    void add(long id, int positionLow) {
        if (compact) {
            if (size == 0) {
                first = id;
            }
            long delta = id - first;
            if ((delta & 7) == 0 && delta >= -REACH && delta < REACH) {
                if (region != null) {
                    int at = regionStart + size;
                    if (at < regionLimit) {
                        region[at] = delta << 29 | (positionLow & 0xffff_ffffL);
                        size++;
                        return;
                    }
                    leaveRegion();
                }
                if (fill == current.length) {
                    next();
                }
                current[fill++] = delta << 29 | (positionLow & 0xffff_ffffL);
                size++;
                return;
            }
            if (region != null) {
                leaveRegion();
            }
            widen();
        }
        if (fill == current.length) {
            next();
        }
        current[fill] = id;
        positions[fill] = positionLow;
        fill++;
        size++;
    }

    private void next() {
        if (size > Integer.MAX_VALUE - 2 * LARGEST) {
            throw new IllegalStateException("more than 2^31 objects: the dump is too large for int indexes");
        }
        full.add(current);
        int capacity = Math.min(LARGEST, current.length * 2);
        current = new long[capacity];
        if (!compact) {
            fullPositions.add(positions);
            positions = new int[capacity];
        }
        fill = 0;
    }

    /** Copies the region's entries into a block of this log's own; the log goes on in blocks. */
    private void leaveRegion() {
        if (size > 0) {
            full.add(Arrays.copyOfRange(region, regionStart, regionStart + size));
        }
        region = null;
        current = new long[Math.max(FIRST, Integer.highestOneBit(Math.max(1, size)))];
        fill = 0;
    }

    /** Whether the entries are all in the shared region given at construction. */
    boolean inRegion() {
        return region != null;
    }

    /** Rewrites what is stored as ids and positions. */
    private void widen() {
        List<long[]> blocks = new ArrayList<>(full);
        blocks.add(current);
        int[] fills = new int[blocks.size()];
        for (int b = 0; b < blocks.size(); b++) {
            fills[b] = b < full.size() ? blocks.get(b).length : fill;
        }
        full.clear();
        compact = false;
        for (int b = 0; b < blocks.size(); b++) {
            long[] entries = blocks.get(b);
            int[] blockPositions = new int[entries.length];
            for (int i = 0; i < fills[b]; i++) {
                blockPositions[i] = (int) entries[i];
                entries[i] = first + (entries[i] >> 32 << 3);
            }
            if (b < blocks.size() - 1) {
                full.add(entries);
                fullPositions.add(blockPositions);
            } else {
                current = entries;
                positions = blockPositions;
            }
        }
    }

    int size() {
        return size;
    }

    /**
     * Whether blocks hold entries ({@code (id - first()) / 8 << 32 | position}) rather than ids beside
     * {@link #positions(int)}.
     */
    boolean compact() {
        return compact;
    }

    /** The first id, from which compact entries count. */
    long first() {
        return first;
    }

    /** Blocks, full ones first and then the one being filled; a log in its region has one, the region. */
    int blocks() {
        return region != null ? 1 : full.size() + 1;
    }

    /** Entries (when {@link #compact()}) or ids, from {@link #offset(int)}. */
    long[] block(int block) {
        return region != null ? region : block < full.size() ? full.get(block) : current;
    }

    /** Where a block's entries start in {@link #block(int)}. */
    int offset(int block) {
        return region != null ? regionStart : 0;
    }

    /** Positions beside the ids of a block that is not compact. */
    int[] positions(int block) {
        return block < fullPositions.size() ? fullPositions.get(block) : positions;
    }

    /** Entries in the block. */
    int fill(int block) {
        return region != null ? size : block < full.size() ? full.get(block).length : fill;
    }

    /** The id of a compact entry. */
    long id(long entry) {
        return first + (entry >> 32 << 3);
    }
}
