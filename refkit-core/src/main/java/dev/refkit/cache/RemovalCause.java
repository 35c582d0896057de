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
    REPLACED;

    /** {@return whether the entry was removed by the collector rather than by a call on the cache} */
    public boolean wasCollected() {
        return this == COLLECTED;
    }
}
