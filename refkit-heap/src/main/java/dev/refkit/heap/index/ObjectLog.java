package dev.refkit.heap.index;

import java.util.ArrayList;
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
 * <p>A log may instead start in a region of an array shared with other logs ({@link #ObjectLog(Storage, LongArray,
 * int, int, long, int)}), with a base id common to all of them: there each object is already an entry of the id
 * table ({@link ObjectIds#entry}, counting in steps of 8 from the base), and their ids ascend strictly, so
 * that the shared array becomes the id table without a conversion or a sort. Up to a limit, objects
 * that do not fit (out of order or written again, below the base, out of alignment or beyond its reach) are
 * kept apart, as strays, each taking one slot off the end of the region. A log that outgrows its region, or
 * meets more strays than that, moves what it holds into blocks of its own, strays last, and goes on there.
 */
final class ObjectLog {
    private static final int FIRST = 1 << 10;
    private static final int LARGEST = 1 << 23;
    private static final long REACH = 8L << 31;

    private long first;
    private boolean compact = true;
    private final Storage storage;
    private final List<LongArray> full = new ArrayList<>();
    private final List<IntArray> fullPositions = new ArrayList<>();
    /** The block being filled: entries when compact, ids when not. */
    private LongArray current;
    private IntArray positions;
    private int fill;
    private int size;
    /** The shared array and this log's region of it, while the log is in it; null otherwise. */
    private LongArray region;
    private int regionStart;
    /** The end of the region, less a slot for each stray. */
    private int regionLimit;
    /** Entries in the region, the largest entry of the last one's quotient, and the id they count from. */
    private int regionFill;
    private long last = Long.MIN_VALUE;
    private long base;
    /** Whether the base is still to be taken from the first id. */
    private boolean floating;
    private final int strayLimit;
    private final LongList strayIds = new LongList(0);
    private final IntList strayPositions = new IntList(0);
    /** The ids logged outside the region (in blocks, or as strays); those in it are spanned on demand. */
    private final IdSpan outside = new IdSpan();

    ObjectLog(Storage storage) {
        this.storage = storage;
        this.current = storage.longs(FIRST);
        strayLimit = 0;
    }

    /**
     * A log that writes table entries counted from {@code base} into {@code shared[start .. limit)} for as
     * long as they fit and ascend, keeping up to {@code strayLimit} objects apart; {@link #FLOATING} as the
     * base takes the first id.
     */
    ObjectLog(Storage storage, LongArray shared, int start, int limit, long base, int strayLimit) {
        this.storage = storage;
        this.current = storage.longs(FIRST);
        this.region = shared;
        this.regionStart = start;
        this.regionLimit = limit;
        this.base = base;
        this.floating = base == FLOATING;
        this.strayLimit = strayLimit;
    }

    /** As a base: the first id logged. */
    static final long FLOATING = Long.MIN_VALUE;

    /** Largest distance, exclusive, from the base of a region's entries: 2^32 steps of 8. */
    static final long REGION_REACH = 1L << 35;

    /** Whether an id this far from a region's base can be a table entry: a step of 8, within the reach. */
    static boolean fits(long delta) {
        return (delta & 7) == 0 && delta >>> 35 == 0;
    }

    void add(long id, int positionLow) {
        if (region != null) {
            long delta = id - base;
            long entry = (delta << 29 | (positionLow & 0xffff_ffffL)) ^ Long.MIN_VALUE;
            int at = regionStart + regionFill;
            if (fits(delta) && entry > last && at < regionLimit) {
                region.set(at, entry);
                last = entry | 0xffff_ffffL;
                regionFill++;
                size++;
                return;
            }
            if (keptApart(id, positionLow)) {
                return;
            }
        }
        outside.add(id);
        if (compact) {
            if (size == 0) {
                first = id;
            }
            long delta = id - first;
            if ((delta & 7) == 0 && delta >= -REACH && delta < REACH) {
                if (fill == current.length()) {
                    next();
                }
                current.set(fill++, delta << 29 | (positionLow & 0xffff_ffffL));
                size++;
                return;
            }
            widen();
        }
        if (fill == current.length()) {
            next();
        }
        current.set(fill, id);
        positions.set(fill, positionLow);
        fill++;
        size++;
    }

    private void next() {
        if (size > Integer.MAX_VALUE - 2 * LARGEST) {
            throw new IllegalStateException("more than 2^31 objects: the dump is too large for int indexes");
        }
        full.add(current);
        int capacity = (int) Math.min(LARGEST, current.length() * 2);
        current = storage.longs(capacity);
        if (!compact) {
            fullPositions.add(positions);
            positions = storage.ints(capacity);
        }
        fill = 0;
    }

    /**
     * For an object the region cannot take next: takes its id as the base if it is the first, or keeps it
     * apart as a stray while there is room; otherwise leaves the region and returns false, the object to be
     * logged in blocks.
     */
    private boolean keptApart(long id, int positionLow) {
        if (floating && size == 0) {
            base = id;
            floating = false;
            add(id, positionLow);
            return true;
        }
        if (strayIds.size < strayLimit && regionStart + regionFill < regionLimit) {
            outside.add(id);
            strayIds.add(id);
            strayPositions.add(positionLow);
            regionLimit--;
            size++;
            return true;
        }
        leaveRegion();
        return false;
    }

    /** Logs the region's entries, then the strays, in blocks of this log's own; the log goes on there. */
    private void leaveRegion() {
        LongArray shared = region;
        int from = regionStart;
        int entries = regionFill;
        region = null;
        size = 0;
        current = storage.longs(Math.max(FIRST, Math.min(LARGEST, Integer.highestOneBit(Math.max(1, entries)))));
        for (int i = from; i < from + entries; i++) {
            long entry = shared.get(i);
            add(regionId(entry), (int) entry);
        }
        for (int i = 0; i < strayIds.size; i++) {
            add(strayIds.get(i), strayPositions.get(i));
        }
        strayIds.size = 0;
        strayPositions.size = 0;
        regionFill = 0;
    }

    private long regionId(long entry) {
        return base + ((entry ^ Long.MIN_VALUE) >>> 32 << 3);
    }

    /**
     * Whether the log is in the shared region given at construction: its entries there ({@link #block},
     * {@link #offset}, {@link #fill}) are table entries counted from {@link #base()}, ascending, and the rest
     * of its objects are strays.
     */
    boolean inRegion() {
        return region != null;
    }

    /** The id from which the region's entries count. */
    long base() {
        return base;
    }

    /** Objects kept apart from the region, in the order met. */
    int strays() {
        return strayIds.size;
    }

    long strayId(int i) {
        return strayIds.get(i);
    }

    int strayPosition(int i) {
        return strayPositions.get(i);
    }

    /** The span of the ids logged: those in the region read again, the others as they were logged. */
    IdSpan span() {
        IdSpan span = new IdSpan();
        if (region != null) {
            for (int i = regionStart; i < regionStart + regionFill; i++) {
                span.add(regionId(region.get(i)));
            }
        }
        span.add(outside);
        return span;
    }


    /** Rewrites what is stored as ids and positions. */
    private void widen() {
        List<LongArray> blocks = new ArrayList<>(full);
        blocks.add(current);
        int[] fills = new int[blocks.size()];
        for (int b = 0; b < blocks.size(); b++) {
            fills[b] = b < full.size() ? (int) blocks.get(b).length() : fill;
        }
        full.clear();
        compact = false;
        for (int b = 0; b < blocks.size(); b++) {
            LongArray entries = blocks.get(b);
            IntArray blockPositions = storage.ints(entries.length());
            for (int i = 0; i < fills[b]; i++) {
                long entry = entries.get(i);
                blockPositions.set(i, (int) entry);
                entries.set(i, first + (entry >> 32 << 3));
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
     * Whether blocks hold entries (in blocks, {@code (id - first()) / 8 << 32 | position}; in the region, see
     * {@link #inRegion()}) rather than ids beside {@link #positions(int)}.
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
    LongArray block(int block) {
        return region != null ? region : block < full.size() ? full.get(block) : current;
    }

    /** Where a block's entries start in {@link #block(int)}. */
    int offset(int block) {
        return region != null ? regionStart : 0;
    }

    /** Positions beside the ids of a block that is not compact. */
    IntArray positions(int block) {
        return block < fullPositions.size() ? fullPositions.get(block) : positions;
    }

    /** Entries in the block. */
    int fill(int block) {
        return region != null ? regionFill : block < full.size() ? (int) full.get(block).length() : fill;
    }

    /** Releases the log's own blocks (not the shared array); the log must not be used afterwards. */
    void free() {
        for (LongArray block : full) {
            Storage.free(block);
        }
        for (IntArray block : fullPositions) {
            Storage.free(block);
        }
        Storage.free(current);
        Storage.free(positions);
        full.clear();
        fullPositions.clear();
    }

    /** The id of a compact entry. */
    long id(long entry) {
        return region != null ? regionId(entry) : first + (entry >> 32 << 3);
    }
}
