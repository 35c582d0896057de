package dev.refkit.cache;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The single-flight loading of a {@link ReferenceCache}: at most one load per key at a time, the other callers
 * of the key waiting for its outcome; and the discarding of running loads by {@code invalidate}.
 */
final class SingleFlight<K, V> {
    private final ReferenceCache<K, V> cache;
    /** The cache's own loader, for getAll; null for a cache built without one. */
    private final CacheLoader<? super K, V> loader;
    private final ConcurrentHashMap<Object, Flight<V>> flights = new ConcurrentHashMap<>();

    SingleFlight(ReferenceCache<K, V> cache, CacheLoader<? super K, V> loader) {
        this.cache = cache;
        this.loader = loader;
    }

    /**
     * Makes a running load of {@code key}, if any, keep its result out of the cache, waits for it to finish
     * (unless it runs on this thread) and unregisters it: a caller that asks for the key once this returns
     * loads afresh instead of joining the discarded load.
     */
    void discardLoad(Object key) {
        Object handle = cache.handle(key);
        Flight<V> flight = flights.get(handle);
        if (flight != null) {
            discard(handle, flight);
        }
    }

    /** {@link #discardLoad} for every running load. */
    void discardAllLoads() {
        flights.forEach((handle, flight) -> flight.discardResult());
        flights.forEach(this::discard);
    }

    private void discard(Object handle, Flight<V> flight) {
        flight.discardResult();
        if (!flight.isOwnedByThisThread()) { // this thread's own load (a loader invalidating) cannot be waited for
            flight.awaitOutcome();
            flights.remove(handle, flight); // it may not have unregistered itself yet
        }
    }

    /*
     * Implementation notes. A load is a Flight registered in `flights` under the key's handle with
     * putIfAbsent; the caller whose Flight was registered runs the loader, every other caller awaits it.
     * The loading caller (1) looks at the store once more, because a load that finished between its miss
     * and its registration has already installed the value, (2) runs the loader, (3) installs the value
     * with putIfAbsent under the Flight's monitor, unless an invalidate discarded the result, (4) completes
     * the Flight, and (5) unregisters it (remove(handle, flight): only its own registration). Because the
     * value is installed before the Flight is unregistered, a caller that misses the Flight finds the value
     * in the store: one load per key at a time, and no second load of a value that is already there.
     * invalidate discards the running Flight's result, waits for the Flight to complete and unregisters it
     * (the loading thread may not have yet) before it removes the entry: a get that starts after invalidate
     * returned can therefore neither join a load that read the source before the invalidation nor overlap
     * with it.
     *
     * A Flight belongs to the thread that registered it, and is "loading" from the moment a loader runs for
     * it: a single load, or a bulk loadAll for every key of its batch. getAll registers all the keys it will
     * load before it loads the first, so a caller on the owning thread can meet a Flight of its own that is
     * not loading yet (the loader of emp1 asks for mgr, later in the same batch): it loads that key there
     * and then, completing the Flight, and the batch takes the outcome when it gets there. Only a Flight
     * that is loading on the caller's own thread is a recursive load, refused instead of waiting for itself
     * forever; an invalidate on the owning thread only discards, since waiting would wait for itself.
     */

    V loadOnce(K key, CacheLoader<? super K, ? extends V> keyLoader) {
        Object handle = cache.handle(key);
        Flight<V> mine = new Flight<>();
        Flight<V> running = flights.putIfAbsent(handle, mine);
        if (running != null) {
            return awaitOther(key, running, keyLoader);
        }
        try {
            return loadRegistered(key, keyLoader, mine);
        } finally {
            flights.remove(handle, mine);
        }
    }

    /**
     * Loads {@code key} for a Flight this thread registered (unless the store has the value by now),
     * installs and completes it; on failure the Flight fails too. The caller unregisters the Flight.
     */
    private V loadRegistered(K key, CacheLoader<? super K, ? extends V> keyLoader, Flight<V> flight) {
        try {
            V present = cache.store().get(key);
            if (present != null) {
                cache.recordRead(key);
                flight.complete(present);
                return present;
            }
            flight.startLoading(null);
            V result = install(key, runLoader(key, keyLoader, flight), flight);
            flight.complete(result);
            return result;
        } catch (RuntimeException | Error e) {
            flight.failIfPending(e);
            throw e;
        }
    }

    /** The outcome of a Flight found registered: awaited, loaded here if this thread owns it, or refused. */
    private V awaitOther(K key, Flight<V> running, CacheLoader<? super K, ? extends V> keyLoader) {
        if (!running.isOwnedByThisThread()) {
            return running.await(key);
        }
        if (running.isLoading()) {
            throw recursiveLoad(key, running.batch());
        }
        return running.isDone() ? running.await(key) : loadRegistered(key, keyLoader, running);
    }

    private static IllegalStateException recursiveLoad(Object key, List<?> batch) {
        if (batch != null) {
            return new IllegalStateException("recursive load of key " + key + ": CacheLoader.loadAll, loading the "
                    + "keys " + batch + " in one batch on this thread, asked the cache for " + key + ", one of "
                    + "those keys, which would wait for itself forever; a bulk loader must not ask the cache for "
                    + "the keys of its own batch (compute them inside loadAll)");
        }
        return new IllegalStateException("recursive load of key " + key + ": the cache was asked for " + key
                + " on the thread that is loading it (by its own loader, or by the loader of a key that loader "
                + "asked for), which would wait for itself forever; a loader must not ask, directly or through "
                + "other keys, for the key it is loading");
    }

    /** Calls the loader, records the load, and on failure fails {@code flight} and throws. */
    private V runLoader(K key, CacheLoader<? super K, ? extends V> keyLoader, Flight<V> flight) {
        long start = System.nanoTime();
        try {
            V value = keyLoader.load(key);
            cache.recordLoad(start, false);
            return value;
        } catch (Throwable t) {
            cache.recordLoad(start, true);
            flight.fail(t);
            throw rethrow(t, ReferenceCache.loadFailure(key, t));
        }
    }

    /** The exception the loading caller throws: errors as they are, anything else wrapped. */
    private static RuntimeException rethrow(Throwable t, CacheLoadException wrapped) {
        if (t instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        if (t instanceof Error error) {
            throw error;
        }
        return wrapped;
    }

    /** Caches a loaded value unless the load was invalidated or a put got there first; returns the winner. */
    private V install(K key, V loaded, Flight<V> flight) {
        if (loaded == null) {
            return null;
        }
        V winner;
        synchronized (flight) {
            if (!flight.resultWanted()) {
                return loaded;
            }
            V previous = cache.store().putIfAbsent(key, loaded);
            winner = previous == null ? loaded : previous;
        }
        cache.recordWrite(key);
        return winner;
    }

    void loadAllOnce(Set<K> missing, Map<K, V> result) {
        Map<K, Flight<V>> owned = new LinkedHashMap<>();
        Map<K, Flight<V>> others = new LinkedHashMap<>();
        for (K key : missing) {
            Flight<V> mine = new Flight<>();
            Flight<V> running = flights.putIfAbsent(cache.handle(key), mine);
            if (running == null) {
                owned.put(key, mine);
            } else {
                others.put(key, running);
            }
        }
        try {
            List<K> toLoad = new ArrayList<>();
            for (Map.Entry<K, Flight<V>> e : owned.entrySet()) {
                V present = cache.store().get(e.getKey());
                if (present != null) {
                    e.getValue().complete(present);
                    result.put(e.getKey(), present);
                } else {
                    toLoad.add(e.getKey());
                }
            }
            if (!toLoad.isEmpty()) {
                loadOwned(toLoad, owned, result);
            }
        } catch (RuntimeException | Error e) {
            Throwable cause = e instanceof CacheLoadException ? e.getCause() : e;
            for (Flight<V> flight : owned.values()) {
                flight.failIfPending(cause);
            }
            throw e;
        } finally {
            for (Map.Entry<K, Flight<V>> e : owned.entrySet()) {
                flights.remove(cache.handle(e.getKey()), e.getValue());
            }
        }
        for (Map.Entry<K, Flight<V>> e : others.entrySet()) {
            V value = awaitOther(e.getKey(), e.getValue(), loader);
            if (value != null) {
                result.put(e.getKey(), value);
            }
        }
    }

    private void loadOwned(List<K> toLoad, Map<K, Flight<V>> owned, Map<K, V> result) {
        Map<?, ? extends V> loaded;
        List<K> batch = Collections.unmodifiableList(toLoad);
        for (K key : toLoad) {
            owned.get(key).startLoading(batch);
        }
        long start = System.nanoTime();
        try {
            loaded = loader.loadAll(Collections.unmodifiableSet(new LinkedHashSet<>(toLoad)));
            cache.recordLoad(start, false);
        } catch (NoBulkLoad noBulkForm) {
            for (K key : toLoad) {
                owned.get(key).stopLoading();
            }
            loadOneByOne(toLoad, owned, result);
            return;
        } catch (Throwable t) {
            cache.recordLoad(start, true);
            for (K key : toLoad) {
                owned.get(key).fail(t);
            }
            throw rethrow(t, ReferenceCache.batchLoadFailure(toLoad, t));
        }
        for (K key : toLoad) {
            Flight<V> flight = owned.get(key);
            V value = loaded == null ? null : loaded.get(key);
            V installed = install(key, value, flight);
            flight.complete(installed);
            if (installed != null) {
                result.put(key, installed);
            }
        }
    }

    /** Loads the keys in order; a key a loader of the batch asked for meanwhile is loaded already. */
    private void loadOneByOne(List<K> toLoad, Map<K, Flight<V>> owned, Map<K, V> result) {
        for (int i = 0; i < toLoad.size(); i++) {
            K key = toLoad.get(i);
            Flight<V> flight = owned.get(key);
            V value;
            try {
                value = flight.isDone() ? flight.await(key) : loadRegistered(key, loader, flight);
            } catch (RuntimeException | Error e) {
                Throwable cause = e instanceof CacheLoadException ? e.getCause() : e;
                for (K notLoaded : toLoad.subList(i + 1, toLoad.size())) {
                    owned.get(notLoaded).failIfPending(cause); // their callers see the failure that ended the batch
                }
                throw e;
            }
            if (value != null) {
                result.put(key, value);
            }
        }
    }
}
