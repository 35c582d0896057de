package dev.refkit.cache;

/**
 * The part of a {@link ReferenceCache} that holds entries strongly over a store that holds its values softly
 * or weakly, and decides which: the {@link RecentTier} (the most recently used, by count) or the
 * {@link PressureTier} (as many as the heap allows, by use). The cache tells it about every read and write
 * of a key; the tier reads the key's current value from the store.
 */
interface StrongTier<K> {

    /** A read of {@code key} that found a value; must not block. */
    void recordRead(K key);

    /** A write or removal of {@code key}, after the store changed. */
    void recordWrite(K key);

    /** Drops every entry of the tier (after {@code invalidateAll}). */
    void clear();

    /** Applies the buffered reads ({@code cleanUp}). */
    void drain();

    /** The number of entries held strongly. */
    int size();

    /** The cause to report for {@code key}, whose value the collector cleared. */
    default RemovalCause causeOfCollection(Object key) {
        return RemovalCause.COLLECTED;
    }

    /** {@code key} was removed by the user, and reported as such. */
    default void forget(Object key) {
    }
}
