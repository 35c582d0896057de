package dev.refkit.heap.index;

import dev.refkit.heap.ProgressListener;
import dev.refkit.heap.hprof.HprofFormatException;

/**
 * What the model's tests may turn and look at inside the indexer: the sizes that choose its parallel and shared
 * paths (tuned for large dumps, turned down so that small test dumps take them too), how it made a dump's id
 * table, and whether and how the references are read.
 */
public final class IndexerKnobs {

    /** The sizes at which the indexer takes its parallel and shared paths. */
    public record Values(long scanBytes, long sharedLogBytes, double regionSlack, int parallelBuckets,
                         int referenceThreshold) {
    }

    private IndexerKnobs() {
    }

    /** {@return the sizes in force} */
    public static Values current() {
        return new Values(HeapIndexer.parallelScanBytes, HeapIndexer.sharedLogBytes, HeapIndexer.regionSlack,
                ObjectIds.parallelBuckets, ReferencePass.parallelThreshold);
    }

    /** Puts these sizes in force (for every dump opened after, until set back). */
    public static void set(Values v) {
        HeapIndexer.parallelScanBytes = v.scanBytes();
        HeapIndexer.sharedLogBytes = v.sharedLogBytes();
        HeapIndexer.regionSlack = v.regionSlack();
        ObjectIds.parallelBuckets = v.parallelBuckets();
        ReferencePass.parallelThreshold = v.referenceThreshold();
    }

    /** {@return how the indexer made this dump's id table: IN_PLACE, CONVERTED, COPIED or WIDE} */
    public static String idTable(DumpIndex index) {
        return index.idTable.name();
    }

    /** {@return whether the dump's references have been read} */
    public static boolean referencesRead(DumpIndex index) {
        return index.referencesRead();
    }

    /** Makes the next read of the references fail with this exception. */
    public static void failReferenceReads(DumpIndex index, HprofFormatException failure) {
        index.readReferencesWith(graph -> {
            throw failure;
        });
    }

    /** Makes the next read of the references read them from the dump, as the indexer sets it up. */
    public static void readReferencesFromDump(DumpIndex index, long bound) {
        index.readReferencesWith(new ReferencePass(ProgressListener.NONE, bound));
    }
}
