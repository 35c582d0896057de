package dev.refkit.cache;

/**
 * Why an entry left a {@code ReferenceCache}; passed to its removal listener once per removed entry.
 */
public enum RemovalCause {
    /**
     * The collector cleared the value (or the key) because nothing else held it strongly enough: soft
     * values under memory pressure, weak values or weak keys once they became weakly reachable. The
     * listener receives {@code null} for the cleared side. Produced by the garbage collector, noticed when
     * the cache expunges the cleared entry: on writes and every few reads once the JVM's reference handler
     * has queued it, and in {@code cleanUp()}, which finds every cleared entry at once.
     */
    COLLECTED,
    /**
     * The entry was removed by the user: {@code invalidate(key)}, {@code invalidateAll()},
     * {@code invalidateAll(keys)}, or a removal through {@code asMap()} ({@code remove},
     * {@code clear}, iterator {@code remove}, {@code compute} returning {@code null}).
     */
    EXPLICIT,
    /**
     * The value was replaced by another for the same key: {@code put}, {@code asMap().put},
     * {@code replace}, {@code compute}, {@code merge}, or an entry's {@code setValue}. The listener
     * receives the old value. Writing the very object that is already cached reports nothing.
     */
    REPLACED,
    /**
     * A memory-sensitive cache ({@code ReferenceCache.Builder.memorySensitive()}) let the entry go because the
     * heap was too full to keep it: after a garbage collection found the heap above the cache's high-water
     * mark, or when a newer or more frequently used entry took its place within what the heap allows. Such an
     * entry first stays softly reachable in the cache's tail; it is reported once it leaves: when the cache
     * drops it from the tail (the listener receives the value; on the thread of the cache operation or of
     * the JVM's collection notification that dropped it), or when the collector clears its value first (the
     * listener receives {@code null}, on the thread whose cache operation noticed it, as for
     * {@link #COLLECTED}). Never produced by a cache that is not memory-sensitive, nor by one that fell back
     * to soft values because the JVM sends no collection notifications.
     */
    PRESSURE;

    /** {@return whether the entry was removed by the collector rather than by a call on the cache} */
    public boolean wasCollected() {
        return this == COLLECTED;
    }

    /**
     * {@return whether the entry left because memory ran short ({@link #COLLECTED} or {@link #PRESSURE}) rather
     * than by a call on the cache}
     */
    public boolean wasEvicted() {
        return this == COLLECTED || this == PRESSURE;
    }
}
