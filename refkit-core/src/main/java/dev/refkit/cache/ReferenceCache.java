package dev.refkit.cache;

import dev.refkit.Strength;
import dev.refkit.map.Equivalence;
import dev.refkit.map.ReferenceMap;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentMap;
import java.util.function.ToLongBiFunction;

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
 * <p>{@link Builder#memorySensitive()} is the policy that gives memory back in order: values are held strongly
 * as long as the heap has room after each collection, and the coldest entries are let go first when it has
 * not, before any soft reference would be cleared; entries let go are reported as {@link RemovalCause#PRESSURE}.
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
    private final SingleFlight<K, V> loads;
    private final CacheLoader<? super K, V> loader;
    private final RemovalListener<? super K, ? super V> removalListener;
    private final StatsCounter stats;
    /** The recent tier, the pressure tier, or null: which entries are held strongly over soft or weak values. */
    private final StrongTier<K> tier;
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
                .values(builder.memorySensitive ? Strength.SOFT : builder.valueStrength)
                .keyEquivalence(identityKeys ? Equivalence.IDENTITY : Equivalence.EQUALS)
                .valueEquivalence(Equivalence.IDENTITY) // the map view's conditional writes: see CacheMapView
                .initialCapacity(builder.initialCapacity)
                .onCollected((key, value) -> notifyRemoval(key, value, causeOfCollection(key)))
                .build();
        if (builder.memorySensitive) {
            @SuppressWarnings("unchecked")
            ToLongBiFunction<? super K, ? super V> weigher = (ToLongBiFunction<? super K, ? super V>) builder.weigher;
            this.tier = PressureTier.attach(new PressureTier<>(store, weigher, builder.highWater, builder.lowWater,
                    (key, value) -> notifyRemoval(key, value, RemovalCause.PRESSURE)));
        } else {
            this.tier = builder.keepRecent > 0 ? new RecentTier<>(builder.keepRecent, store, this::handle) : null;
        }
        this.loads = new SingleFlight<>(this, loader);
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
        return loads.loadOnce(key, loader);
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
        loads.loadAllOnce(missing, result);
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
        if (tier != null) {
            tier.drain();
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
        String held = tier instanceof RecentTier ? ", recent=" + tier.size() : tier == null ? "" : ", " + tier;
        return "ReferenceCache[size~" + store.size() + held + ", " + stats() + "]";
    }

    /** The tier that holds entries strongly (recent or pressure), or null; for tests and toString. */
    StrongTier<K> strongTier() {
        return tier;
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
        if (tier != null) {
            tier.recordRead(key);
        }
    }

    void recordWrite(K key) {
        if (tier != null) {
            tier.recordWrite(key);
        }
    }

    void clearRecent() {
        if (tier != null) {
            tier.clear();
        }
    }


    /** COLLECTED, or PRESSURE for an entry a memory-sensitive cache had let go. */
    private RemovalCause causeOfCollection(Object key) {
        return tier == null ? RemovalCause.COLLECTED : tier.causeOfCollection(key);
    }

    void notifyRemoval(K key, V value, RemovalCause cause) {
        if (stats != null && cause == RemovalCause.COLLECTED) {
            stats.recordCollected();
        }
        if (stats != null && cause == RemovalCause.PRESSURE) {
            stats.recordPressureEviction();
        }
        if (tier != null && cause == RemovalCause.EXPLICIT) {
            tier.forget(key);
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

    void recordLoad(long start, boolean failed) {
        if (stats != null) {
            stats.recordLoad(System.nanoTime() - start, failed);
        }
    }

    /** See {@link SingleFlight#discardLoad}: a running load of {@code key} keeps its result out, and is waited for. */
    void discardLoad(Object key) {
        loads.discardLoad(key);
    }

    /** {@link #discardLoad} for every running load. */
    void discardAllLoads() {
        loads.discardAllLoads();
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
        private boolean memorySensitive;
        private double highWater = Double.NaN; // the collector's defaults: PressureTier
        private double lowWater = Double.NaN;
        private ToLongBiFunction<?, ?> weigher;

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
         * and reads never block on one another; the order follows the writes exactly and the reads approximately:
         * concurrent reads, and reads that come in a tight loop (more than a few dozen between two writes), are
         * sampled.
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
         * Holds values strongly, as many as the heap allows, and gives memory back in order when it allows
         * fewer: after every garbage collection the cache reads how full the heap is <em>after</em> the
         * collection; above 80% of it, it lets its coldest entries go (the least frequently used among the
         * least recently used) until, by its estimate, the heap would be at 65%; and it grows again, on demand,
         * once there is room. With ZGC and Shenandoah, which collect while the program allocates and need more
         * room to do it, the marks are 60% and 45%. An entry let go stays
         * softly reachable for a while (a tail that takes up to half the gap between the marks), so that a read of
         * it is still a hit until the collector clears it or the cache drops it; it is reported as
         * {@link RemovalCause#PRESSURE} when it leaves, and counted in {@link CacheStats#pressureEvictionCount()}.
         * Each release is recorded as a JFR event, {@code dev.refkit.CachePressure}. See
         * {@link #memorySensitive(double, double)} for what the marks measure.
         *
         * <p>How much an entry takes is an estimate: what {@link #weigher} says, or else learnt from the heap,
         * from how much it gives back per entry released. No size to tune: the cache follows the memory the
         * rest of the program leaves free. The readings come from the JVM's collection notifications
         * ({@code com.sun.management.GarbageCollectionNotificationInfo}, module {@code jdk.management}): the
         * first memory-sensitive cache subscribes to them once for the JVM, and releases run on the JVM's
         * notification thread in bounded slices, the rest on the next operations of the cache; no thread of
         * its own.
         *
         * <p><b>Warning:</b> the cache can only release memory <em>after</em> a collection showed that it should.
         * A program that allocates more than is free between two collections (one huge array, or a burst faster
         * than the notifications) can still get an {@link OutOfMemoryError} while the cache holds its entries;
         * only the tail is reclaimable by the collector on its own. Choose a high-water mark that leaves room for
         * the largest burst. Where the JVM sends no collection notifications (a runtime image without
         * {@code jdk.management}), the cache holds its values softly instead, with the behaviour of
         * {@link #softValues()}, and says so once through {@link System.Logger}.
         *
         * <p><b>Warning:</b> the removal listener may be called on the JVM's notification thread; it must be
         * quick. Keys are held strongly ({@link #weakKeys()} is refused); the values' strength is the policy's
         * ({@link #values}, {@link #keepRecent} are refused).
         *
         * @return this builder
         * @throws IllegalStateException if {@code memorySensitive} was already set
         */
        public Builder<K, V> memorySensitive() {
            if (memorySensitive) {
                throw new IllegalStateException("memorySensitive was already set (" + marks() + ")");
            }
            memorySensitive = true;
            return this;
        }

        private String marks() {
            return Double.isNaN(highWater) ? "the collector's default marks"
                    : "highWater " + highWater + ", lowWater " + lowWater;
        }

        /**
         * {@link #memorySensitive()} with water marks of its own: after a collection that leaves the heap fuller
         * than {@code highWater}, the cache releases entries until the heap would be at {@code lowWater}; below
         * {@code lowWater} it may grow up to {@code highWater} again. Both are fractions of the memory that holds
         * long-lived objects: the whole maximum heap for G1, ZGC and Shenandoah; the old generation for the
         * serial and parallel collectors (about two thirds of the heap by default), whose young generation is
         * kept for new objects and emptied by every young collection.
         *
         * <p>A higher {@code highWater} keeps more entries and leaves the collector less room, so it collects
         * more often; the gap between the marks is how much is given back at once.
         *
         * @param highWater between 0 and 1, above {@code lowWater}
         * @param lowWater between 0 and 1, below {@code highWater}
         * @return this builder
         * @throws IllegalArgumentException if the marks are not fractions or not in order
         * @throws IllegalStateException if {@code memorySensitive} was already set
         */
        public Builder<K, V> memorySensitive(double highWater, double lowWater) {
            if (memorySensitive) {
                throw new IllegalStateException("memorySensitive was already set (" + marks() + ")");
            }
            if (!(highWater > 0 && highWater < 1 && lowWater > 0 && lowWater < 1)) {
                throw new IllegalArgumentException("memorySensitive(highWater, lowWater) takes fractions of the "
                        + "heap, above 0 and below 1 (got highWater " + highWater + ", lowWater " + lowWater
                        + "); for example memorySensitive(" + PressureTier.HIGH_WATER + ", " + PressureTier.LOW_WATER
                        + ")");
            }
            if (lowWater >= highWater) {
                throw new IllegalArgumentException("memorySensitive(highWater, lowWater) needs lowWater below "
                        + "highWater (got highWater " + highWater + ", lowWater " + lowWater + "): the cache starts "
                        + "releasing entries when a collection leaves the heap fuller than highWater, and stops "
                        + "when it would be at lowWater; swap them?");
            }
            this.memorySensitive = true;
            this.highWater = highWater;
            this.lowWater = lowWater;
            return this;
        }

        /**
         * How many bytes an entry of a {@link #memorySensitive()} cache keeps alive, for a cache whose entries
         * differ in size or that shares the heap with much else: called once when an entry is written, under a
         * lock of the cache, so it must be quick (a field read, a length times a constant). It need not be
         * exact: the figures are estimates either way. Without it, the cache learns an average size per entry
         * from the heap. A weigher that throws or returns a negative number counts the entry as 0 bytes, and
         * this is logged once.
         *
         * @param <K1> the key type of the caches built
         * @param <V1> the value type of the caches built
         * @param weigher the bytes an entry keeps alive, from its key and value; not null
         * @return this builder, typed for the weigher
         * @throws IllegalStateException if a weigher was already set
         */
        public <K1 extends K, V1 extends V> Builder<K1, V1> weigher(ToLongBiFunction<? super K1, ? super V1> weigher) {
            Objects.requireNonNull(weigher, "weigher");
            if (this.weigher != null) {
                throw new IllegalStateException("a weigher was already set");
            }
            this.weigher = weigher;
            @SuppressWarnings("unchecked")
            Builder<K1, V1> self = (Builder<K1, V1>) this;
            return self;
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
            if (weigher != null && !memorySensitive) {
                throw new IllegalStateException("weigher(...) sizes the entries of a memorySensitive() cache and "
                        + "has no effect on others: add memorySensitive(), or remove the weigher");
            }
            if (memorySensitive && valueStrengthSet) {
                throw new IllegalStateException("memorySensitive() decides how values are held (strongly, then "
                        + "softly for a while once released): remove values(" + valueStrength + ")"
                        + " (or softValues(), weakValues(), strongValues())");
            }
            if (memorySensitive && keepRecent > 0) {
                throw new IllegalStateException("keepRecent(" + keepRecent + ") has no effect with "
                        + "memorySensitive(), which holds every entry strongly while the heap has room: remove "
                        + "keepRecent");
            }
            if (memorySensitive && keyStrength == Strength.WEAK) {
                throw new IllegalStateException("memorySensitive() holds keys strongly until memory runs short, "
                        + "so weak keys would not let their entries go with them: remove weakKeys(), or use "
                        + "softValues() or weakValues() with weak keys");
            }
            if (keepRecent > 0 && valueStrength == Strength.STRONG && keyStrength == Strength.STRONG) {
                throw new IllegalStateException("keepRecent(" + keepRecent + ") has no effect when keys and "
                        + "values are strong (every entry is already held strongly): remove keepRecent, or "
                        + "hold values softly or weakly");
            }
        }
    }
}
