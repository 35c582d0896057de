package dev.refkit.bench;

import dev.refkit.heap.analysis.Reachability;
import java.io.IOException;

/**
 * The smallest objects a dump can hold, as many as asked for: instances of {@code com.acme.store.Leaf}, a class
 * without fields (17 bytes of file each with 4-byte ids), in blocks of {@link #BLOCK}, each block followed by an
 * {@code Object[]} that holds every other leaf of the block and the previous block's array. The last array is a
 * JNI global root, so the arrays form one chain from it, half the leaves are strongly reachable through them and
 * half are garbage.
 *
 * <p>More than 2^31 objects do not fit 4-byte ids as 8-byte aligned addresses (at most 2^29 of them do), so with
 * 4-byte ids and over {@link #MAX_ALIGNED_32} objects the ids are dense: each one past the previous object's, up
 * to 2^32 - 1, about 4.29 billion objects.
 */
final class MinimalHeap extends HeapGenerator {

    static final int BLOCK = 4096;
    /**
     * Objects that fit 4-byte ids as 8-byte aligned addresses of a 32-bit heap: a leaf takes 8 bytes there, and a
     * block's array 2 more per object.
     */
    static final long MAX_ALIGNED_32 = (0xffff_ffffL - HEAP_BASE_32) / 11;

    private final DumpClass objectArray;
    private final DumpClass leaf;
    private final long objectTarget;

    MinimalHeap(HprofStream out, long objectTarget) {
        this(out, objectTarget, out.idSize() == 4 && objectTarget > MAX_ALIGNED_32);
    }

    /** @param dense whether ids are one apart rather than addresses */
    MinimalHeap(HprofStream out, long objectTarget, boolean dense) {
        super(out, dense);
        this.objectTarget = objectTarget;
        objectArray = define("[Ljava/lang/Object;", javaLangObject);
        leaf = define("com/acme/store/Leaf", javaLangObject);
    }

    /** Writes the whole dump; the stream is left open. */
    DumpTally generate() throws IOException {
        allocateClassObjects();
        writePrologue();
        long previous = 0;
        long leafSize = instanceSize(leaf);
        while (tally.objects() < objectTarget) {
            int leaves = (int) Math.min(BLOCK, Math.max(1, objectTarget - tally.objects() - 1));
            long first = top;
            for (int i = 0; i < leaves; i++) {
                long id = allocate(leafSize);
                instance(id, leaf, i % 2 == 0 ? Reachability.STRONG : Reachability.UNREACHABLE);
            }
            int held = (leaves + 1) / 2;
            long holder = allocate(objectArraySize(held + 1));
            objectArray(holder, objectArray, held + 1, Reachability.STRONG);
            element(previous);
            long step = dense ? 2 : 2 * leafSize;
            for (int i = 0; i < held; i++) {
                element(first + i * step);
            }
            out.end();
            previous = holder;
        }
        for (DumpClass c : classes) {
            rootStickyClass(c.id);
        }
        if (previous != 0) {
            rootJniGlobal(previous, idSize == 8 ? 0x7f3a_6000_0000L : 0x10);
        }
        return tally;
    }

    /**
     * The size of the file {@link #generate} would write for {@code objects} objects, computed rather than
     * written: the records ahead of the heap as written to a counting stream, then the leaves, arrays and roots by
     * their sizes, and a segment header per {@link HprofStream#SEGMENT_BYTES} of sub-records (each segment ends at
     * the first sub-record that reaches that size, hence the slight overestimate).
     */
    static long estimateBytes(long objects, int idSize) throws IOException {
        HprofStream counting = HprofStream.counting(idSize, TIMESTAMP);
        MinimalHeap heap = new MinimalHeap(counting, 0);
        heap.allocateClassObjects();
        heap.writePrologue();
        counting.close();
        long prologue = counting.position(); // with a last segment and HEAP_DUMP_END
        long leafRecord = 1 + idSize + 4 + idSize + 4;
        long blockObjects = BLOCK + 1L;
        long heapObjects = Math.max(0, objects - heap.classes.size());
        long blocks = heapObjects / blockObjects;
        long rest = heapObjects % blockObjects;
        long subRecords = blocks * (BLOCK * leafRecord + arrayRecord(BLOCK / 2 + 1, idSize));
        if (rest > 0) {
            long leaves = Math.max(1, rest - 1);
            subRecords += leaves * leafRecord + arrayRecord((leaves + 1) / 2 + 1, idSize);
        }
        subRecords += (long) heap.classes.size() * (1 + idSize) + 1 + 2L * idSize;
        return prologue + subRecords + 9 * (subRecords / HprofStream.SEGMENT_BYTES + 1);
    }

    private static long arrayRecord(long length, int idSize) {
        return 1 + idSize + 4 + 4 + idSize + length * idSize;
    }
}
