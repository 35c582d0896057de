/**
 * refkit-heap: an HPROF heap-dump reader and the analyses a person with a leak needs: reachability, paths from
 * GC roots, retained sizes, leak suspects, growth across dumps. Depends on the JDK's base module alone.
 */
module dev.refkit.heap {
    exports dev.refkit.heap;
    exports dev.refkit.heap.analysis;
    exports dev.refkit.heap.hprof;
    exports dev.refkit.heap.index;
}
