package dev.refkit.heap.analysis;

/**
 * How strongly an object is reachable from the GC roots, by the rule: along one path the weakest reference
 * decides; among paths the strongest path decides.
 *
 * <p>The constants are declared strongest first, so {@link #ordinal()} grows as reachability weakens and
 * {@link #compareTo} orders {@code STRONG} before {@code UNREACHABLE}.
 */
public enum Reachability {
    /** Reached from a GC root through strong references only; the collector cannot take it. */
    STRONG,
    /**
     * Every path from the roots goes through a {@code SoftReference}'s referent, at least one path through no
     * weaker reference. The collector may clear it under memory pressure.
     */
    SOFT,
    /** The strongest path goes through a {@code WeakReference}'s referent; the next collection clears it. */
    WEAK,
    /**
     * Reached only through a {@code java.lang.ref.Finalizer} (an object with a pending or future
     * {@code finalize()}); it will be resurrected once for finalization, then collected unless the
     * finalizer stores it.
     */
    FINALIZER,
    /** Reached only through a {@code PhantomReference} or a {@code Cleaner}; it is garbage awaiting cleanup. */
    PHANTOM,
    /** No path from any GC root: garbage that the dump still contains. */
    UNREACHABLE;

    private static final Reachability[] VALUES = values();

    static Reachability ofOrdinal(int ordinal) {
        return VALUES[ordinal];
    }

    /** {@return whether the collector may reclaim the object at the next full collection (weak, phantom, unreachable)} */
    public boolean isCollectable() {
        return this == WEAK || this == PHANTOM || this == UNREACHABLE;
    }
}
