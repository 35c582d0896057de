package dev.refkit.heap.index;

import java.util.Arrays;

/**
 * The dump's UTF8 records, by id: pass 1 keeps each one's id and position only; a string is decoded when a
 * class, field or frame first names it, and once.
 */
final class DumpStrings {

    private final HprofFile in;
    private final int idSize;
    private final LongList utf8Ids;
    private final LongList utf8Positions;
    DumpStrings(HprofFile in, LongList utf8Ids, LongList utf8Positions) {
        this.in = in;
        this.idSize = in.idSize();
        this.utf8Ids = utf8Ids;
        this.utf8Positions = utf8Positions;
    }

    /**
     * Longest string a JVM writes: its strings are names from constant pools, whose lengths are u2. A longer one
     * (a crafted dump's) is kept as its first {@link #KEPT_OF_LONGER} bytes and its length, so that a name of 2
     * GB costs neither an array the VM cannot allocate nor copies of it.
     */
    static final int MAX_NAME_BYTES = 65_535;
    static final int KEPT_OF_LONGER = 1 << 10;

    private long[] sortedUtf8Ids;
    private long[] sortedUtf8Positions;

    /** Sorts the strings by id; sets both arrays at the end, so that a failure leaves neither set. */
    void sort() {
        long[] ids = utf8Ids.toArray();
        long[] positions = utf8Positions.toArray();
        if (!PairSort.isSorted(ids, ids.length)) {
            PairSort.sort(ids, positions, ids.length);
        }
        sortedUtf8Positions = positions;
        sortedUtf8Ids = ids;
    }

    /** The strings decoded so far, by their index among the sorted ids: field names repeat across classes. */
    private String[] decoded;

    String string(long id) {
        int i = Arrays.binarySearch(sortedUtf8Ids, id);
        if (i < 0) {
            return null;
        }
        if (decoded == null) {
            decoded = new String[sortedUtf8Ids.length];
        }
        String s = decoded[i];
        if (s == null) {
            long record = sortedUtf8Positions[i];
            long length = in.u4(record + 5) - idSize;
            s = length <= MAX_NAME_BYTES ? in.utf8(record + 9 + idSize, (int) length)
                    : in.utf8(record + 9 + idSize, KEPT_OF_LONGER) + "… (cut: " + length + " bytes)";
            decoded[i] = s;
        }
        return s;
    }

    /** A field's name, or {@code <field i>} when the dump has no string for it (made only then). */
    String fieldName(long id, int i) {
        String s = string(id);
        return s != null ? s : "<field " + i + ">";
    }

    String stringOr(long id, String otherwise) {
        String s = string(id);
        return s != null ? s : otherwise;
    }

    /** Whether {@link #sort} has completed. */
    boolean sorted() {
        return sortedUtf8Ids != null;
    }
}
