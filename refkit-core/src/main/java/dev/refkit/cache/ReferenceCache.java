package dev.refkit.cache;

import dev.refkit.Strength;
import dev.refkit.map.Equivalence;
import dev.refkit.map.ReferenceMap;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * A memory-sensitive loading cache: values are held softly (by default), weakly or strongly, a value is
 * loaded at most once at a time per key, and the most recently used entries can be held strongly so that
 * they survive a collection storm.
 *
 * <pre>{@code
 * ReferenceCache<String, Employee> employees = ReferenceCache.<String, Employee>builder()
 *         .softValues().keepRecent(1_000).recordStats()
 *         .removalListener((id, e, cause) -> log(id, cause))
 *         .build(id -> directory.load(id));
 * Employee e = employees.get("E-42");
 * }</pre>
 *
 * <h2>Loading</h2>
 * {@link #get(Object)} returns the cached value or calls the loader. Concurrent callers of the same
 * missing key wait for one call of the loader (single flight); callers of other keys are not held up by
 * it. If the loader throws, every caller waiting for that load gets a {@link CacheLoadException} with the
 * loader's exception as cause, nothing is cached, and the next {@code get} calls the loader again. If the
 * loader returns {@code null}, every waiting caller gets {@code null} and nothing is cached (the key is
 * loaded again on the next request: absence is not remembered). A value {@code put} while a load of the
 * same key runs wins over the loaded value. An {@code invalidate} while a load of the key runs keeps the
 * loaded value out of the cache (the callers already waiting for it still receive it) and waits for that
 * load to finish, so that a {@code get} after {@code invalidate} returned loads afresh: "write the source,
 * invalidate, read again" reads what was written.
 *
 * <h2>Memory</h2>
 * With soft values (the default) the collector may clear any value when memory runs low, and must clear
 * them all before it throws {@link OutOfMemoryError}; the entry then disappears and is reported to the
 * removal listener as {@link RemovalCause#COLLECTED}. A cleared value is never returned: the next
 * {@code get} loads it again. The cache starts no thread: cleared entries are expunged during ordinary
 * operations and by {@link #cleanUp()}.
 *
 * <p><b>Warning:</b> soft values are a safety valve, not a size policy. HotSpot keeps softly reachable
 * objects until memory runs short and then clears nearly all of them at once, so a full cache can become
 * an empty one in one collection and every request then goes to the loader. {@link Builder#keepRecent(int)}
 * holds the most recently used entries strongly so that the hot set survives; those entries are never
 * cleared, so choose {@code n} such that {@code n} values fit comfortably in the heap.
 *
 * <p>All methods are thread-safe. Keys and values are never {@code null}.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class ReferenceCache<K, V> {
    private static final System.Logger LOG = System.getLogger(ReferenceCache.class.getName());

    private final ReferenceMap<K, V> store;
    private final boolean identityKeys;
    private final ConcurrentHashMap<Object, Flight<V>> flights = new ConcurrentHashMap<>();
    private final CacheLoader<? super K, V> loader;
    private final RemovalListener<? super K, ? super V> removalListener;
    private final StatsCounter stats;
    private final RecentTier<K, V> recent;
    private final CacheMapView<K, V> mapView;

    private ReferenceCache(Builder<? super K, ? super V> builder, CacheLoader<? super K, V> loader) {
        this.loader = loader;
        @SuppressWarnings("unchecked")
        RemovalListener<? super K, ? super V> listener =
                (RemovalListener<? super K, ? super V>) builder.removalListener;
        this.removalListener = listener;
        this.stats = builder.recordStats ? new StatsCounter() : null;
        this.identityKeys = builder.keyStrength != Strength.STRONG;
        this.store = ReferenceMap.<K, V>builder()
                .keys(builder.keyStrength)
                .values(builder.valueStrength)
                .keyEquivalence(identityKeys ? Equivalence.IDENTITY : Equivalence.EQUALS)
                .valueEquivalence(Equivalence.IDENTITY) // the map view's conditional writes: see CacheMapView
                .initialCapacity(builder.initialCapacity)
                .onCollected((key, value) -> notifyRemoval(key, value, RemovalCause.COLLECTED))
                .build();
        this.recent = builder.keepRecent > 0 ? new RecentTier<>(builder.keepRecent, store, this::handle) : null;
        this.mapView = new CacheMapView<>(this);
    }

    /**
     * A builder with soft values, strong keys compared by {@code equals}, no recent tier and no stats. As
     * {@link ReferenceMap#builder()}, it can be typed up front, {@code ReferenceCache.<String, Employee>builder()},
     * or left to {@code build} and {@code removalListener} to type (a chain that starts with
     * {@code ReferenceCache.builder()} begins as a builder of {@code Object}s).
     *
     * @param <K> the key type
     * @param <V> the value type
     * @return a new builder
     */
    public static <K, V> Builder<K, V> builder() {
        return new Builder<>();
    }

    /**
     * The value of {@code key}, loaded by the cache's loader if it is not cached; concurrent callers of
     * the same key share one load.
     *
     * @param key the key; not null
     * @return the value, or {@code null} if the loader returned {@code null}
     * @throws CacheLoadException if the loader threw (the loader's exception is the cause)
     * @throws IllegalStateException if the cache was built without a loader, or if the loader asks for the
     *     very key it is loading
     */
    public V get(K key) {
        if (loader == null) {
            throw new IllegalStateException("this cache was built without a loader (build()): use "
                    + "get(key, loader), or build the cache with build(loader)");
        }
        return get(key, loader);
    }

    /**
     * The value of {@code key}, loaded by {@code loader} if it is not cached; concurrent callers of the
     * same key share one load (whichever caller arrives first runs its loader).
     *
     * @param key the key; not null
     * @param loader computes the value if the cache has none; not null
     * @return the value, or {@code null} if the loader returned {@code null}
     * @throws CacheLoadException if the loader threw (the loader's exception is the cause)
     * @throws IllegalStateException if the loader asks for the very key it is loading
     */
    public V get(K key, CacheLoader<? super K, ? extends V> loader) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(loader, "loader");
        V value = store.get(key);
        if (value != null) {
            recordHits(1);
            recordRead(key);
            return value;
        }
        recordMisses(1);
        return loadOnce(key, loader);
    }

    /**
     * The cached value of {@code key}, or {@code null}; never loads. Counts as a request in the stats.
     *
     * @param key the key; not null
     * @return the cached value, or {@code null}
     */
    public V getIfPresent(K key) {
        Objects.requireNonNull(key, "key");
        V value = store.get(key);
        if (value != null) {
            recordHits(1);
            recordRead(key);
        } else {
            recordMisses(1);
        }
        return value;
    }

    /**
     * The values of {@code keys}, loading the missing ones: with one call of the loader's
     * {@link CacheLoader#loadAll} if it has a bulk form, else one {@link CacheLoader#load} per key. Keys
     * that another caller is loading at the moment are waited for, not loaded twice. A loader of one key of
     * the batch may ask the cache for another key of it: that key is loaded then and there, and not again.
     *
     * @param keys the keys; none null
     * @return an unmodifiable map, in the order of {@code keys}, of the keys that have a value (keys whose
     *     load returned nothing are absent); it compares keys by {@code equals}, also for weak keys
     * @throws CacheLoadException if loading any of the keys failed; the values loaded before the failure
     *     stay cached
     * @throws IllegalStateException if the cache was built without a loader
     */
    public Map<K, V> getAll(Iterable<? extends K> keys) {
        Objects.requireNonNull(keys, "keys");
        if (loader == null) {
            throw new IllegalStateException("this cache was built without a loader (build()): getAll needs "
                    + "one; build the cache with build(loader)");
        }
        Map<K, V> result = new LinkedHashMap<>();
        Set<K> requested = new LinkedHashSet<>();
        Set<K> missing = new LinkedHashSet<>();
        int hits = 0;
        for (K key : keys) {
            Objects.requireNonNull(key, "keys contains null");
            if (!requested.add(key)) {
                continue;
            }
            V value = store.get(key);
            if (value != null) {
                hits++;
                recordRead(key);
                result.put(key, value);
            } else {
                missing.add(key);
            }
        }
        recordHits(hits);
        recordMisses(missing.size());
        if (missing.isEmpty()) {
            return Collections.unmodifiableMap(result);
        }
        loadAllOnce(missing, result);
        Map<K, V> inRequestOrder = new LinkedHashMap<>();
        for (K key : requested) {
            V value = result.get(key);
            if (value != null) {
                inRequestOrder.put(key, value);
            }
        }
        return Collections.unmodifiableMap(inRequestOrder);
    }

    /**
     * Caches {@code value} for {@code key}, replacing (and reporting as {@link RemovalCause#REPLACED}) any
     * other value; putting the very object that is cached reports nothing. A load of the key that is
     * running at the moment no longer installs its result: its callers receive {@code value}.
     *
     * @param key the key; not null
     * @param value the value; not null
     */
    public void put(K key, V value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        V old = store.put(key, value);
        recordWrite(key);
        if (old != null && old != value) {
            notifyRemoval(key, old, RemovalCause.REPLACED);
        }
    }

    /**
     * Removes the entry of {@code key}, reported as {@link RemovalCause#EXPLICIT}. A load of the key that is
     * running at the moment still answers the callers waiting for it but does not cache its result; this
     * method waits for that load to finish (as Caffeine's does), so that a {@code get} that starts after it
     * returned loads the key afresh instead of returning what the discarded load read.
     *
     * <p><b>Warning:</b> called from a loader, it waits for a load of {@code key} running on another thread;
     * two loaders that each wait so for the other's key wait forever, as {@link CacheLoader} warns. On the
     * thread that is loading {@code key} itself it does not wait.
     *
     * @param key the key; not null
     */
    public void invalidate(K key) {
        Objects.requireNonNull(key, "key");
        mapView.remove(key);
    }

    /**
     * Removes the entries of {@code keys}, each reported as {@link RemovalCause#EXPLICIT}.
     *
     * @param keys the keys; none null
     */
    public void invalidateAll(Iterable<? extends K> keys) {
        Objects.requireNonNull(keys, "keys");
        for (K key : keys) {
            invalidate(key);
        }
    }

    /**
     * Removes every entry, each reported as {@link RemovalCause#EXPLICIT}; loads running at the moment do not
     * cache their results, and this method waits for them to finish, as {@link #invalidate} does.
     */
    public void invalidateAll() {
        mapView.clear();
    }

    /**
     * Expunges the entries whose values (or keys) the collector has cleared, reporting each as
     * {@link RemovalCause#COLLECTED} (and counting it in {@link #stats()}), and brings the recent tier up to
     * date. It finds every entry cleared so far, also those the JVM's reference handler has not queued for
     * the cache yet (it walks the whole table). The cache does this on its own during ordinary operations,
     * as the reference handler queues cleared entries; call it to see collections at once.
     */
    public void cleanUp() {
        store.cleanUp();
        if (recent != null) {
            recent.drain();
        }
    }

    /**
     * The number of entries; may still count entries whose value was cleared but not yet expunged
     * (call {@link #cleanUp()} first for a closer figure).
     *
     * @return the number of entries, perhaps counting some already cleared
     */
    public long estimatedSize() {
        return store.size();
    }

    /**
     * A live view of the cache as a {@link ConcurrentMap}: changes through it are changes of the cache,
     * reported to the removal listener with the causes {@link RemovalCause} lists, and reads through it
     * count for the recent tier. It never loads, and its reads are not counted in {@link #stats()}.
     *
     * <p><b>Warning:</b> {@code size()} may count entries whose values were cleared but not yet expunged,
     * and an entry can vanish between two calls when the collector clears its value. {@code compute},
     * {@code computeIfAbsent}, {@code computeIfPresent} and {@code merge} are {@link ConcurrentMap}'s
     * retrying defaults: atomic in effect, but under contention the function may run more than once, and
     * they do not take part in the single-flight loading of {@link #get(Object)}. Its {@code equals} and
     * {@code hashCode} follow the rule of {@link ReferenceMap}, with keys compared as the cache compares
     * them (by identity for weak keys).
     *
     * @return the cache as a concurrent map
     */
    public ConcurrentMap<K, V> asMap() {
        return mapView;
    }

    /**
     * A snapshot of the statistics; all zero unless the cache was built with {@code recordStats()}.
     *
     * <p><b>Warning:</b> {@link CacheStats#collectedCount()} counts an entry when the cache expunges it, not
     * when the collector clears its value: after a collection it lags until the JVM's reference handler has
     * queued the cleared references (typically milliseconds) and an operation of the cache has expunged
     * them. Call {@link #cleanUp()} first for a count that includes every collection so far.
     *
     * @return the counters as they are now
     */
    public CacheStats stats() {
        return stats == null ? CacheStats.empty() : stats.snapshot();
    }

    @Override
    public String toString() {
        return "ReferenceCache[size~" + store.size() + (recent == null ? "" : ", recent=" + recent.size())
                + ", " + stats() + "]";
    }

    // ---- machinery shared with the map view --------------------------------------------------------

    ReferenceMap<K, V> store() {
        return store;
    }

    /** The key as the cache's own bookkeeping compares it: by identity when the keys are weak. */
    Object handle(Object key) {
        return identityKeys ? new IdentityKey(key) : key;
    }

    void recordRead(K key) {
        if (recent != null) {
            recent.recordRead(key);
        }
    }

    void recordWrite(K key) {
        if (recent != null) {
            recent.recordWrite(key);
        }
    }

    void clearRecent() {
        if (recent != null) {
            recent.clear();
        }
    }

    /**
     * Makes a running load of {@code key}, if any, keep its result out of the cache, waits for it to finish
     * (unless it runs on this thread) and unregisters it: a caller that asks for the key once this returns
     * loads afresh instead of joining the discarded load.
     */
    void discardLoad(Object key) {
        Object handle = handle(key);
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

    void notifyRemoval(K key, V value, RemovalCause cause) {
        if (cause == RemovalCause.COLLECTED && stats != null) {
            stats.recordCollected();
        }
        if (removalListener == null) {
            return;
        }
        try {
            removalListener.onRemoval(key, value, cause);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "removal listener threw for key " + key + " (" + cause
                    + "); the entry is removed regardless", e);
        }
    }

    static CacheLoadException loadFailure(Object key, Throwable cause) {
        return new CacheLoadException("loading the value of key " + key + " failed: " + cause, cause);
    }

    static CacheLoadException batchLoadFailure(List<?> keys, Throwable cause) {
        return new CacheLoadException("loading the values of keys " + keys + " in one batch failed: " + cause,
                cause);
    }

    private void recordHits(int count) {
        if (stats != null && count > 0) {
            stats.recordHits(count);
        }
    }

    private void recordMisses(int count) {
        if (stats != null && count > 0) {
            stats.recordMisses(count);
        }
    }

    // ---- single-flight loading ---------------------------------------------------------------------

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

    private V loadOnce(K key, CacheLoader<? super K, ? extends V> keyLoader) {
        Object handle = handle(key);
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
            V present = store.get(key);
            if (present != null) {
                recordRead(key);
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
            recordLoad(start, false);
            return value;
        } catch (Throwable t) {
            recordLoad(start, true);
            flight.fail(t);
            throw rethrow(t, loadFailure(key, t));
        }
    }

    private void recordLoad(long start, boolean failed) {
        if (stats != null) {
            stats.recordLoad(System.nanoTime() - start, failed);
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
            V previous = store.putIfAbsent(key, loaded);
            winner = previous == null ? loaded : previous;
        }
        recordWrite(key);
        return winner;
    }

    private void loadAllOnce(Set<K> missing, Map<K, V> result) {
        Map<K, Flight<V>> owned = new LinkedHashMap<>();
        Map<K, Flight<V>> others = new LinkedHashMap<>();
        for (K key : missing) {
            Flight<V> mine = new Flight<>();
            Flight<V> running = flights.putIfAbsent(handle(key), mine);
            if (running == null) {
                owned.put(key, mine);
            } else {
                others.put(key, running);
            }
        }
        try {
            List<K> toLoad = new ArrayList<>();
            for (Map.Entry<K, Flight<V>> e : owned.entrySet()) {
                V present = store.get(e.getKey());
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
                flights.remove(handle(e.getKey()), e.getValue());
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
            recordLoad(start, false);
        } catch (NoBulkLoad noBulkForm) {
            for (K key : toLoad) {
                owned.get(key).stopLoading();
            }
            loadOneByOne(toLoad, owned, result);
            return;
        } catch (Throwable t) {
            recordLoad(start, true);
            for (K key : toLoad) {
                owned.get(key).fail(t);
            }
            throw rethrow(t, batchLoadFailure(toLoad, t));
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

    /**
     * Builds a {@link ReferenceCache}. Each option may be set once; {@link #build(CacheLoader)} and
     * {@link #build()} check that the options fit together and say what to change if they do not.
     *
     * @param <K> the key type the built cache accepts
     * @param <V> the value type the built cache holds
     */
    public static final class Builder<K, V> {
        private Strength keyStrength = Strength.STRONG;
        private boolean keyStrengthSet;
        private Strength valueStrength = Strength.SOFT;
        private boolean valueStrengthSet;
        private int keepRecent = -1;
        private boolean recordStats;
        private RemovalListener<?, ?> removalListener;
        private int initialCapacity = 16;
        private boolean initialCapacitySet;

        private Builder() {
        }

        /**
         * How keys are held: {@link Strength#STRONG} (the default; keys compared by {@code equals}) or
         * {@link Strength#WEAK} (see {@link #weakKeys()}). Soft keys are not offered: a key is either the
         * identity of something the application holds, or a value that can be recreated.
         *
         * @param strength {@code STRONG} or {@code WEAK}
         * @return this builder
         */
        public Builder<K, V> keys(Strength strength) {
            Objects.requireNonNull(strength, "strength");
            if (keyStrengthSet) {
                throw new IllegalStateException("key strength was already set to " + keyStrength);
            }
            if (strength == Strength.SOFT) {
                throw new IllegalArgumentException("soft keys are not supported: use weakKeys() for keys whose "
                        + "entries should live as long as the key object, or strong keys (the default)");
            }
            keyStrength = strength;
            keyStrengthSet = true;
            return this;
        }

        /**
         * Holds keys weakly: an entry lives as long as its key object is strongly reachable from elsewhere,
         * and keys are compared by identity ({@code ==}).
         *
         * <p><b>Warning:</b> with weak keys, {@code get} with an <em>equal copy</em> of a key misses: the
         * cache compares weak keys by identity, because an equal copy would keep nothing alive. An entry of
         * the recent tier holds its key strongly too, so a weak key stays alive while its entry is recent.
         *
         * @return this builder
         */
        public Builder<K, V> weakKeys() {
            return keys(Strength.WEAK);
        }

        /**
         * How values are held: {@link Strength#SOFT} (the default), {@link Strength#WEAK} or strongly.
         *
         * @param strength {@code SOFT}, {@code WEAK} or {@code STRONG}
         * @return this builder
         */
        public Builder<K, V> values(Strength strength) {
            Objects.requireNonNull(strength, "strength");
            if (valueStrengthSet) {
                throw new IllegalStateException("value strength was already set to " + valueStrength);
            }
            valueStrength = strength;
            valueStrengthSet = true;
            return this;
        }

        /**
         * Holds values softly (the default): the collector clears them when memory runs low, and always
         * before it throws {@link OutOfMemoryError}.
         *
         * <p><b>Warning:</b> HotSpot clears soft references late and nearly all at once; see the class
         * documentation and {@link #keepRecent(int)}.
         *
         * @return this builder
         */
        public Builder<K, V> softValues() {
            return values(Strength.SOFT);
        }

        /**
         * Holds values weakly: a value stays cached only while the application holds it strongly elsewhere.
         *
         * <p><b>Warning:</b> a value nobody else holds is cleared at the next collection, often within
         * milliseconds; without {@link #keepRecent(int)} such a cache mostly misses.
         *
         * @return this builder
         */
        public Builder<K, V> weakValues() {
            return values(Strength.WEAK);
        }

        /**
         * Holds values strongly: nothing is ever collected; entries leave only when invalidated.
         *
         * @return this builder
         */
        public Builder<K, V> strongValues() {
            return values(Strength.STRONG);
        }

        /**
         * Additionally holds the {@code n} most recently read or written entries strongly (key and value),
         * so that they survive any collection; all other entries stay reclaimable. Each access costs O(1)
         * and reads never block on one another; the order is exact for one thread and approximate under
         * heavy concurrent reads.
         *
         * <p><b>Warning:</b> these {@code n} values are never released under memory pressure; make sure
         * they fit in the heap with room to spare.
         *
         * @param n how many recent entries to hold strongly, at least 1
         * @return this builder
         */
        public Builder<K, V> keepRecent(int n) {
            if (keepRecent >= 0) {
                throw new IllegalStateException("keepRecent was already set to " + keepRecent);
            }
            if (n <= 0) {
                throw new IllegalArgumentException("keepRecent(n) needs n > 0 (got " + n
                        + "); leave it out for a cache without a recent tier");
            }
            keepRecent = n;
            return this;
        }

        /**
         * Counts hits, misses, loads, load failures, load time and collections for {@link #stats()}.
         *
         * @return this builder
         */
        public Builder<K, V> recordStats() {
            recordStats = true;
            return this;
        }

        /**
         * The expected number of entries, to size the table up front (default 16).
         *
         * @param n the expected number of entries, zero or more
         * @return this builder
         */
        public Builder<K, V> initialCapacity(int n) {
            if (initialCapacitySet) {
                throw new IllegalStateException("initialCapacity was already set to " + initialCapacity);
            }
            if (n < 0) {
                throw new IllegalArgumentException("initialCapacity cannot be negative (got " + n + ")");
            }
            initialCapacity = n;
            initialCapacitySet = true;
            return this;
        }

        /**
         * Tells {@code listener} about every entry that leaves the cache, with its {@link RemovalCause};
         * see {@link RemovalListener} for the thread it runs on.
         *
         * @param <K1> the key type of the caches built
         * @param <V1> the value type of the caches built
         * @param listener told about every removal; not null
         * @return this builder, typed for the listener
         */
        public <K1 extends K, V1 extends V> Builder<K1, V1> removalListener(
                RemovalListener<? super K1, ? super V1> listener) {
            Objects.requireNonNull(listener, "listener");
            if (removalListener != null) {
                throw new IllegalStateException("a removal listener was already set");
            }
            removalListener = listener;
            @SuppressWarnings("unchecked")
            Builder<K1, V1> self = (Builder<K1, V1>) this;
            return self;
        }

        /**
         * A loading cache: {@link ReferenceCache#get(Object)} calls {@code loader} on a miss.
         *
         * @param <K1> the cache's key type
         * @param <V1> the cache's value type
         * @param loader computes the value of a key the cache lacks; not null
         * @return a new cache
         */
        public <K1 extends K, V1 extends V> ReferenceCache<K1, V1> build(CacheLoader<? super K1, V1> loader) {
            Objects.requireNonNull(loader, "loader");
            checkOptions();
            return new ReferenceCache<>(this, loader);
        }

        /**
         * A cache without a loader: values enter through {@code put}, {@code asMap()} or
         * {@link ReferenceCache#get(Object, CacheLoader)}; {@code get(key)} and {@code getAll} throw.
         *
         * @param <K1> the cache's key type
         * @param <V1> the cache's value type
         * @return a new cache without a loader
         */
        public <K1 extends K, V1 extends V> ReferenceCache<K1, V1> build() {
            checkOptions();
            return new ReferenceCache<K1, V1>(this, null);
        }

        private void checkOptions() {
            if (keepRecent > 0 && valueStrength == Strength.STRONG && keyStrength == Strength.STRONG) {
                throw new IllegalStateException("keepRecent(" + keepRecent + ") has no effect when keys and "
                        + "values are strong (every entry is already held strongly): remove keepRecent, or "
                        + "hold values softly or weakly");
            }
        }
    }
}
