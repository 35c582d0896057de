package dev.refkit.cache;

import java.util.Map;
import java.util.Set;

/**
 * Computes the value of a key for a {@link ReferenceCache}: typically a database query or a remote call.
 *
 * <p>The cache calls {@link #load} at most once at a time per key: concurrent callers of the same missing
 * key wait for that one call. A loader must not call the cache for the key it is loading (that would wait
 * for itself; the cache detects it, also through other keys loaded on the same thread, and throws
 * {@link IllegalStateException}). It may ask for other keys, those of the same {@code getAll} batch
 * included: a key of the batch that is not loaded yet is then loaded at once (but a bulk {@link #loadAll}
 * is loading every key of its batch, and must not ask for them). <b>Warning:</b> loaders on two threads that each wait for the key the
 * other one is loading wait forever, as two threads taking two locks in opposite order would.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
@FunctionalInterface
public interface CacheLoader<K, V> {

    /**
     * Computes the value of {@code key}.
     *
     * @param key the key a caller asked for
     * @return the value, or {@code null} if the key has none; {@code null} is handed to the callers and
     *     nothing is cached, so the next request for the key calls the loader again
     * @throws Exception any failure; the cache wraps it in a {@link CacheLoadException} for every caller
     *     waiting on this load, caches nothing, and calls the loader again on the next request
     */
    V load(K key) throws Exception;

    /**
     * Computes the values of several keys in one call, for {@link ReferenceCache#getAll}. Override it when
     * the source answers a batch faster than single keys (one {@code SELECT ... WHERE id IN (...)} instead
     * of many).
     *
     * <p>The default has no bulk form: it throws {@link UnsupportedOperationException}, and
     * {@code getAll} then loads the missing keys one by one through {@link #load}.
     *
     * @param keys the missing keys, none of them being loaded by another caller
     * @return the values found; a requested key absent from the result (or mapped to {@code null}) has no
     *     value and is not cached; keys that were not requested are ignored
     * @throws Exception any failure; every key of the batch then fails with a {@link CacheLoadException}
     */
    default Map<? extends K, ? extends V> loadAll(Set<? extends K> keys) throws Exception {
        throw new NoBulkLoad();
    }
}
