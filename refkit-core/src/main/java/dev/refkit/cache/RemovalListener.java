package dev.refkit.cache;

/**
 * Told once for every entry that leaves a {@link ReferenceCache}, with the reason.
 *
 * <p>It runs on the thread that removed the entry or, for {@link RemovalCause#COLLECTED}, on the thread
 * whose cache operation noticed the collection; for {@link RemovalCause#PRESSURE} also on the JVM's
 * notification thread, which a memory-sensitive cache uses to give memory back after a collection. It should
 * be quick and must not block on other threads that use the cache. An exception it throws is logged and
 * otherwise ignored.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
@FunctionalInterface
public interface RemovalListener<K, V> {

    /**
     * Called after the entry was removed.
     *
     * @param key the key, or {@code null} if the key itself was collected (weak keys)
     * @param value the removed value: the very instance the cache held, also when the removal was asked
     *     for with an equal copy ({@code asMap().remove(key, copy)}); {@code null} if the value was collected
     *     (soft or weak values)
     * @param cause why the entry left the cache
     */
    void onRemoval(K key, V value, RemovalCause cause);
}
