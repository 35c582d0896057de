package dev.refkit.heap;

/**
 * Told how far reading a dump, or analysing it ({@code HeapAnalysis.of(dump, listener)}), has come; called from the
 * working thread, often, so it must be cheap.
 */
@FunctionalInterface
public interface ProgressListener {

    /** A listener that ignores progress. */
    ProgressListener NONE = (phase, done, total) -> { };

    /**
     * @param phase what is being done, e.g. {@code "decompressing"}, {@code "indexing objects"},
     *              {@code "reading references"}, {@code "reachability"}, {@code "dominators"},
     *              {@code "shortest paths"}, {@code "paths (all kinds)"}, {@code "leak suspects"}
     * @param done units of work done in this phase
     * @param total units of work in this phase, or -1 when unknown (decompressing: the size of the
     *              decompressed dump is known only at the end)
     */
    void progress(String phase, long done, long total);
}
