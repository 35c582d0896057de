package dev.refkit.heap.index;

/**
 * Where the HEAP_DUMP and HEAP_DUMP_SEGMENT records that hold anything are, in file order: two longs each, so
 * that a dump of millions of tiny segments costs a small multiple of its size (an object per record cost 50
 * bytes; 20 million empty segments, a 172 MB file, took 1.4 GB). Empty records are counted, not kept.
 */
final class HeapRecords {
    private final LongList positions = new LongList(64);
    private final LongList ends = new LongList(64);

    /** A record whose header is at {@code position} and whose body ends at {@code end}. */
    void add(long position, long end) {
        positions.add(position);
        ends.add(end);
    }

    int size() {
        return positions.size;
    }

    /** Where record {@code r}'s header (its tag) is. */
    long position(int r) {
        return positions.get(r);
    }

    /** Where record {@code r}'s body starts. */
    long body(int r) {
        return positions.get(r) + 9;
    }

    long end(int r) {
        return ends.get(r);
    }

    /** Bytes of record {@code r}'s body. */
    long bytes(int r) {
        return ends.get(r) - body(r);
    }
}
