package dev.refkit.map;

import dev.refkit.Strength;
import dev.refkit.map.Nodes.Factory;
import dev.refkit.map.Nodes.Node;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.util.AbstractMap;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * A concurrent map whose keys and values are each held {@linkplain Strength#STRONG strongly},
 * {@linkplain Strength#SOFT softly} or {@linkplain Strength#WEAK weakly}. An entry whose softly or weakly
 * held key or value the garbage collector clears disappears from the map: reads no longer see it, and it
 * is removed ("expunged") during later operations, reported once to the {@link Builder#onCollected
 * onCollected} listener if there is one.
 *
 * <pre>{@code
 * ReferenceMap<Socket, SocketInfo> sockets = ReferenceMap.<Socket, SocketInfo>builder().weakKeys().build();
 * ReferenceMap<String, Image> images = ReferenceMap.<String, Image>builder().softValues()
 *         .onCollected((path, image) -> log.info("image evicted: " + path)).build();
 * }</pre>
 *
 * <p>The map implements the whole {@link ConcurrentMap} contract: reads never block and never see a
 * cleared key or value; {@code putIfAbsent}, {@code compute}, {@code computeIfAbsent},
 * {@code computeIfPresent} and {@code merge} are atomic per key; the views' iterators and spliterators
 * are weakly consistent (they never throw {@link java.util.ConcurrentModificationException}, may or may
 * not reflect changes made after they were created, and never return an entry whose key or value was
 * cleared); {@link Iterator#remove()} and {@link Map.Entry#setValue} write through. The spliterators are
 * {@link java.util.Spliterator#CONCURRENT CONCURRENT} and not {@link java.util.Spliterator#SIZED SIZED},
 * like {@link java.util.concurrent.ConcurrentHashMap}'s: a stream counts what it traverses and never
 * trusts {@link #size()}. Null keys and values are rejected with {@link NullPointerException}, in
 * queries too.
 *
 * <p>Keys and values are compared by the {@link Equivalence} chosen in the builder: by default
 * {@link Equivalence#IDENTITY} for softly or weakly held keys (or values) and {@link Equivalence#EQUALS}
 * for strongly held ones.
 *
 * <p><b>Equality.</b> {@link #equals(Object) equals(o)} holds when {@code o} is a {@link Map} of the same
 * {@link #size()} and each of the two maps finds every entry of the other: this map looks up the keys of
 * {@code o} as it looks up any key (by its key equivalence), {@code o} looks up this map's live keys with
 * {@code o.get}, and values are compared with {@code equals} both ways, whatever the value equivalence. With
 * {@link Equivalence#EQUALS} keys that is {@link Map#equals} exactly; with {@link Equivalence#IDENTITY}
 * keys, equal maps hold the very same key instances. Either way the answer is the same in both directions
 * against every map whose {@code equals} looks keys up with {@code get} ({@link java.util.HashMap},
 * {@link java.util.TreeMap}, {@link java.util.concurrent.ConcurrentHashMap}, any
 * {@link java.util.AbstractMap}, another {@code ReferenceMap}), and {@code entrySet().equals} gives the same
 * answer as {@code equals}. {@link #hashCode()} is {@link Map}'s: the sum over the live entries of
 * {@code key.hashCode() ^ value.hashCode()}, so equal maps have equal hash codes.
 *
 * <p><b>Warning:</b> with identity keys, equality bends the {@link Map} contract, as
 * {@link java.util.IdentityHashMap}'s does: a map whose {@code equals} compares entry sets through its own
 * {@code contains} (Guava's {@code ImmutableMap}, or {@code hashMap.entrySet().equals(map.entrySet())})
 * finds an equal copy of a key where this map does not, so {@code other.equals(map)} can be true while
 * {@code map.equals(other)} is false. The entry view's {@code contains} and {@code remove} compare values
 * by the value equivalence, as {@code remove(key, value)} does, not by {@code equals}.
 *
 * <p><b>Warning:</b> {@link #size()} and {@link #isEmpty()} count the entries in the table, which
 * includes entries whose key or value the collector has cleared but which have not been expunged yet;
 * iteration skips those, so {@code size()} may briefly exceed the number of entries an iterator returns.
 * Ordinary operations expunge what the JVM's reference handler has queued (typically milliseconds after a
 * collection); {@link #cleanUp()} expunges every entry the collector has cleared, queued or not, so that
 * {@code size()} counts the live entries right after it.
 *
 * <p><b>Warning:</b> a value that refers (directly or not) to its own key keeps a weakly held key alive
 * through the map's strong reference to the value, and the entry never goes away: Java has no
 * ephemerons. Hold such values weakly or softly too, or break the back reference.
 *
 * <p>There is no background thread: expunging happens on the threads that use the map, during writes,
 * on about one read in 64 (only when the segment's lock is free: a reader
 * never waits), and in {@link #cleanUp()}. The {@code onCollected} listener runs on that thread, after the
 * map's internal lock is released.
 *
 * @param <K> the type of keys
 * @param <V> the type of values
 */
public final class ReferenceMap<K, V> extends AbstractMap<K, V> implements ConcurrentMap<K, V> {

    /*
     * Implementation notes.
     *
     * Layout. The map is an array of segments, chosen by the top bits of a spread hash; each segment is a
     * ReentrantLock that owns a power-of-two table of chained nodes (indexed by the low bits), a count and
     * a ReferenceQueue. A node is itself the Reference to the collectable side (Nodes), so a weak-keyed
     * entry is one object; a node with referenced key and value holds its value through a small value
     * reference that points back to the node. Tables start small and grow at a load factor of one (a
     * chain holds one node on average), which keeps the table's share of an entry at 4-8 bytes.
     *
     * Concurrency. Reads take no lock: they read the volatile table, the bin with an acquire load, and
     * follow volatile `next` links. Every structural change happens under the segment lock, and a
     * node's `next` is only ever redirected to a node that was already a successor (unlinking) or to a
     * replacement carrying the same successor, so a reader standing on any node, even one just unlinked,
     * still reaches every node that was behind it. New nodes are fully built before the release store
     * that links them (at the head of a bin or in a predecessor's place). At most one node per live key
     * exists in a chain; a node whose key or value was cleared matches no lookup. Striped segments (four
     * per core, 4 to 64) rather than per-bin locks keep resizing a private affair of one lock and give
     * each stripe its own reference queue, so expunging needs no second lock; writers spin briefly on a
     * busy segment before parking because critical sections are a few dozen nanoseconds. Functions of
     * compute and merge run under the lock; a write from inside one to the same segment is refused
     * (IllegalStateException) rather than corrupting the chain it is walking.
     *
     * Resizing (under the lock) never touches the old table or its nodes' links: it reuses the trailing
     * run of each old bin whose nodes all land in the same new bin, and copies the nodes before it into
     * the new table (a copy of a referencing node is a new Reference to the same referent, taken while
     * the referent is held in a local, so it cannot be cleared in between). A reader still on the old
     * table therefore finds every entry that was live when the resize began: in a reused run, in its
     * current state; in a copied prefix, in the state it had at the resize, which is a value the key
     * held during that read, as in any weakly consistent read. A node whose key or value is found cleared
     * while copying is dropped and reported there. Before growing, the segment expunges its whole queue,
     * so that the table grows for live entries only.
     *
     * Expunging. The collector enqueues a cleared node (or value reference) on its segment's queue. Under
     * the lock, expunging looks the node up by identity in the current table, following its stored hash;
     * if it is there (and, for a value reference, is still the node's current one) it is unlinked and
     * reported. A node that is no longer in the table (removed, replaced, or dropped while copying)
     * is ignored; this is what makes the report exactly-once even though a node with referenced key and
     * value may be enqueued twice, and a copied node's original may be enqueued too. A write that finds
     * its key mapped to a cleared value treats the key as absent; if it installs a new value it reports
     * the old, collected, entry at that moment, and its stale reference is later ignored. Writes drain up
     * to DRAIN_MAX references; about one read in READ_EXPUNGE_PERIOD does the same if tryLock succeeds
     * (and the thread is not already inside this segment's lock, e.g. in a compute function); cleanUp()
     * and resizing drain everything. cleanUp() then also walks the table for nodes whose referent the
     * collector cleared but whose reference the reference handler has not queued yet, and expunges them
     * the same way (their reference, queued later, finds them gone and is ignored). Reports are gathered
     * under the lock and delivered after unlock() by the same thread, so a listener that throws or calls
     * back into the map cannot break a chain.
     *
     * Invariants (under the segment lock): count == number of nodes reachable from the table; every node
     * sits in bin (hash & (length - 1)); no two nodes of a table have equivalent live keys; the table
     * never holds a strong reference to a softly or weakly held key or value.
     */

    /** About one read in this many tries to expunge its segment (never waiting for the lock). */
    static final int READ_EXPUNGE_PERIOD = 64;
    /** Most references expunged by one write or read; cleanUp() and resizing drain everything. */
    static final int DRAIN_MAX = 64;
    static final int MAXIMUM_TABLE_LENGTH = 1 << 30;
    /** How often a writer retries a busy segment lock before it parks; no spinning on one core. */
    static final int SPINS_BEFORE_PARKING = Runtime.getRuntime().availableProcessors() > 1 ? 64 : 0;
    private static final int DEFAULT_CAPACITY = 16;
    private static final VarHandle BIN = MethodHandles.arrayElementVarHandle(Node[].class);
    private static final System.Logger LOG = System.getLogger(ReferenceMap.class.getName());

    private final Segment<K, V>[] segments;
    private final int segmentShift;
    private final Strength keyStrength;
    private final Strength valueStrength;
    private final Equivalence keyEquivalence;
    final Equivalence valueEquivalence;
    private final boolean keyIdentity;
    final Factory factory;
    final BiConsumer<? super K, ? super V> listener;

    private Set<K> keySet;
    private Collection<V> values;
    private Set<Map.Entry<K, V>> entrySet;

    @SuppressWarnings("unchecked")
    private ReferenceMap(Builder<? super K, ? super V> builder, BiConsumer<? super K, ? super V> listener) {
        this.keyStrength = builder.keyStrength == null ? Strength.STRONG : builder.keyStrength;
        this.valueStrength = builder.valueStrength == null ? Strength.STRONG : builder.valueStrength;
        this.keyEquivalence = builder.keyEquivalence != null ? builder.keyEquivalence : defaultEquivalence(keyStrength);
        this.valueEquivalence = builder.valueEquivalence != null ? builder.valueEquivalence
                : defaultEquivalence(valueStrength);
        this.keyIdentity = keyEquivalence == Equivalence.IDENTITY;
        this.factory = Factory.of(keyStrength, valueStrength);
        this.listener = listener;
        if (keyStrength.isCollectable() && !keyIdentity && !builder.canonicalKeys) {
            warnOfEqualKeys(keyStrength);
        }

        int segmentCount = segmentCount();
        this.segmentShift = 32 - Integer.numberOfTrailingZeros(segmentCount);
        int capacity = builder.initialCapacity < 0 ? DEFAULT_CAPACITY : builder.initialCapacity;
        int perSegment = (int) Math.min(MAXIMUM_TABLE_LENGTH, ((long) capacity + segmentCount - 1) / segmentCount);
        int tableLength = perSegment <= 1 ? 2 : Math.min(MAXIMUM_TABLE_LENGTH, Integer.highestOneBit(perSegment - 1) << 1);
        boolean collectable = keyStrength.isCollectable() || valueStrength.isCollectable();
        this.segments = (Segment<K, V>[]) new Segment<?, ?>[segmentCount];
        for (int i = 0; i < segmentCount; i++) {
            segments[i] = new Segment<>(this, tableLength, collectable ? new ReferenceQueue<>() : null);
        }
    }

    /** Four segments per core, rounded up to a power of two, between 4 and 64: few enough for small maps. */
    private static int segmentCount() {
        int wanted = Math.max(4, Math.min(64, 4 * Runtime.getRuntime().availableProcessors()));
        return Integer.highestOneBit(wanted - 1) << 1;
    }

    private static Equivalence defaultEquivalence(Strength strength) {
        return strength.isCollectable() ? Equivalence.IDENTITY : Equivalence.EQUALS;
    }

    /** The warning a map with softly or weakly held keys compared by EQUALS logs once, when it is built. */
    private static void warnOfEqualKeys(Strength keys) {
        String self = ReferenceMap.class.getName();
        String builtAt = StackWalker.getInstance().walk(frames -> frames
                .filter(f -> !f.getClassName().equals(self) && !f.getClassName().startsWith(self + "$"))
                .findFirst().map(StackWalker.StackFrame::toString).orElse("an unknown place"));
        LOG.log(System.Logger.Level.WARNING, "A ReferenceMap built at " + builtAt + " holds its keys "
                + keys.name().toLowerCase(Locale.ROOT) + "ly and compares them by Equivalence.EQUALS: an "
                + "equal copy of a key finds its entry but does not keep it alive, so the entry disappears once the "
                + "key object it was put with is unreachable, however many equal copies are still in use. Keep "
                + "those very key objects reachable for as long as their entries should live, or leave the key "
                + "equivalence at its default, IDENTITY");
    }

    /**
     * A builder of reference maps. Without any setting it builds a map with strong keys and values, like
     * {@link java.util.concurrent.ConcurrentHashMap}.
     *
     * <p><b>Warning:</b> {@code ReferenceMap.builder().build()} therefore holds everything strongly and lets
     * nothing go; choose {@link Builder#weakKeys()}, {@link Builder#softValues()} or the like for a map whose
     * entries the collector may take. The builder's {@code toString()} names what it will build, defaults
     * included, and {@link #keyStrength()} and {@link #valueStrength()} tell what a map holds.
     *
     * <pre>{@code
     * ReferenceMap<Socket, Info> a = ReferenceMap.<Socket, Info>builder().weakKeys().build();
     * Map<Socket, Info> b = ReferenceMap.builder().weakKeys().build();
     * }</pre>
     *
     * @param <K> the type of keys
     * @param <V> the type of values
     * @return a new builder
     */
    public static <K, V> Builder<K, V> builder() {
        return new Builder<>();
    }

    /** {@return the strength with which this map holds its keys} */
    public Strength keyStrength() {
        return keyStrength;
    }

    /** {@return the strength with which this map holds its values} */
    public Strength valueStrength() {
        return valueStrength;
    }

    /**
     * Expunges every entry whose key or value the collector has cleared, reporting each to the
     * {@code onCollected} listener on the calling thread: those the JVM's reference handler has queued for
     * the map, and those it has not reached yet (this walks the whole table, one segment at a time). Right
     * after it, {@link #size()} counts no entry cleared before the call. Entries are expunged during
     * ordinary operations anyway, as the reference handler queues them; call this when an exact count of
     * live entries matters, or to release the memory of cleared entries of a map that is no longer used.
     *
     * <p>Must not be called from inside a function passed to {@code compute}, {@code merge} and the like.
     */
    public void cleanUp() {
        for (Segment<K, V> segment : segments) {
            segment.lockForWrite();
            try {
                segment.expungeStale(Integer.MAX_VALUE);
                segment.expungeCleared();
            } finally {
                segment.unlockAndReport();
            }
        }
    }

    // ---------------------------------------------------------------------------------------------- reads

    /**
     * The number of entries in the table. <b>Warning:</b> this includes entries whose key or value was
     * cleared but that have not been expunged yet (see the class documentation); saturates at
     * {@link Integer#MAX_VALUE}.
     */
    @Override
    public int size() {
        long sum = 0;
        for (Segment<K, V> segment : segments) {
            sum += segment.count;
        }
        return (int) Math.min(sum, Integer.MAX_VALUE);
    }

    /** Whether the table holds no entry; as for {@link #size()}, cleared entries count until expunged. */
    @Override
    public boolean isEmpty() {
        for (Segment<K, V> segment : segments) {
            if (segment.count != 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    public V get(Object key) {
        int hash = hash(key);
        return segmentFor(hash).get(key, hash);
    }

    @Override
    public boolean containsKey(Object key) {
        return get(key) != null;
    }

    /** Whether some live entry's value is equivalent to {@code value}. Traverses the whole map. */
    @Override
    public boolean containsValue(Object value) {
        Objects.requireNonNull(value, "value");
        for (Segment<K, V> segment : segments) {
            Node<K, V>[] table = segment.table;
            for (int i = 0; i < table.length; i++) {
                for (Node<K, V> e = binAt(table, i); e != null; e = e.next()) {
                    V v = e.value();
                    if (v != null && e.key() != null && valueEquivalence.equivalent(v, value)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    // --------------------------------------------------------------------------------------------- writes

    @Override
    public V put(K key, V value) {
        Objects.requireNonNull(value, "value");
        int hash = hash(key);
        return segmentFor(hash).put(key, hash, value, false);
    }

    @Override
    public V putIfAbsent(K key, V value) {
        Objects.requireNonNull(value, "value");
        int hash = hash(key);
        return segmentFor(hash).put(key, hash, value, true);
    }

    @Override
    public V remove(Object key) {
        int hash = hash(key);
        return segmentFor(hash).remove(key, hash, null);
    }

    @Override
    public boolean remove(Object key, Object value) {
        int hash = hash(key);
        if (value == null) {
            return false;
        }
        return segmentFor(hash).remove(key, hash, value) != null;
    }

    @Override
    public V replace(K key, V value) {
        Objects.requireNonNull(value, "value");
        int hash = hash(key);
        return segmentFor(hash).replace(key, hash, null, value);
    }

    @Override
    public boolean replace(K key, V oldValue, V newValue) {
        Objects.requireNonNull(oldValue, "oldValue");
        Objects.requireNonNull(newValue, "newValue");
        int hash = hash(key);
        return segmentFor(hash).replace(key, hash, oldValue, newValue) != null;
    }

    /**
     * Atomic per key. The function runs under the lock of the key's segment: it should be short, and it
     * must not modify this map (doing so throws {@link IllegalStateException} when it would re-enter the
     * same segment, and can deadlock otherwise).
     */
    @Override
    public V computeIfAbsent(K key, Function<? super K, ? extends V> mappingFunction) {
        Objects.requireNonNull(mappingFunction, "mappingFunction");
        int hash = hash(key);
        Segment<K, V> segment = segmentFor(hash);
        V present = segment.get(key, hash);
        if (present != null) {
            return present;
        }
        return segment.compute(key, hash, Compute.IF_ABSENT, mappingFunction, null, null);
    }

    /** Atomic per key; the function runs under a lock, as for {@link #computeIfAbsent}. */
    @Override
    public V computeIfPresent(K key, BiFunction<? super K, ? super V, ? extends V> remappingFunction) {
        Objects.requireNonNull(remappingFunction, "remappingFunction");
        int hash = hash(key);
        return segmentFor(hash).compute(key, hash, Compute.IF_PRESENT, null, remappingFunction, null);
    }

    /** Atomic per key; the function runs under a lock, as for {@link #computeIfAbsent}. */
    @Override
    public V compute(K key, BiFunction<? super K, ? super V, ? extends V> remappingFunction) {
        Objects.requireNonNull(remappingFunction, "remappingFunction");
        int hash = hash(key);
        return segmentFor(hash).compute(key, hash, Compute.ALWAYS, null, remappingFunction, null);
    }

    /** Atomic per key; the function runs under a lock, as for {@link #computeIfAbsent}. */
    @Override
    public V merge(K key, V value, BiFunction<? super V, ? super V, ? extends V> remappingFunction) {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(remappingFunction, "remappingFunction");
        int hash = hash(key);
        @SuppressWarnings("unchecked")
        BiFunction<? super K, ? super V, ? extends V> merging =
                (k, old) -> ((BiFunction<? super V, ? super V, ? extends V>) remappingFunction).apply(old, value);
        return segmentFor(hash).compute(key, hash, Compute.MERGE, null, merging, value);
    }

    /**
     * Removes every entry. Entries found cleared while clearing are reported to the {@code onCollected}
     * listener as collected; the others are removed silently.
     */
    @Override
    public void clear() {
        for (Segment<K, V> segment : segments) {
            segment.clear();
        }
    }

    /**
     * The canonical key equivalent to {@code sample}: the key already in the map, or {@code sample}
     * itself after mapping it to {@code value}. Atomic per key.
     */
    K canonicalKey(K sample, V value) {
        Objects.requireNonNull(value, "value");
        int hash = hash(sample);
        return segmentFor(hash).canonicalKey(sample, hash, value);
    }

    // ------------------------------------------------------------------------------------------------ views

    /**
     * A view of the live keys. It supports removal but not addition; its iterator and spliterator never
     * return a cleared key, and its streams count the keys they traverse, whatever {@link #size()} says.
     * <b>Warning:</b> between a {@code hasNext()} that returned true and the matching {@code next()}, an
     * iterator holds the next key and value strongly (the {@link Iterator} contract requires the element
     * to exist); it holds nothing else that the map holds softly or weakly.
     */
    @Override
    public Set<K> keySet() {
        Set<K> view = keySet;
        return view != null ? view : (keySet = new ReferenceMapViews.KeySet<>(this));
    }

    /**
     * A view of the live values; supports removal, not addition. See {@link #keySet()} for iteration.
     * {@code removeIf}, {@code removeAll} and {@code retainAll} remove an entry only if its key still maps
     * to the value tested (as {@code remove(key, value)} does), so a value written meanwhile stays.
     */
    @Override
    public Collection<V> values() {
        Collection<V> view = values;
        return view != null ? view : (values = new ReferenceMapViews.Values<>(this));
    }

    /**
     * A view of the live entries; supports removal and {@link Map.Entry#setValue} (which writes through
     * with {@link #put}), not addition. An entry returned by the iterator holds its key and value strongly,
     * like any object given to the caller. See {@link #keySet()} for iteration. {@code removeIf},
     * {@code removeAll} and {@code retainAll} remove an entry only if its key still maps to the value of
     * the entry tested, as for {@link #values()}.
     */
    @Override
    public Set<Map.Entry<K, V>> entrySet() {
        Set<Map.Entry<K, V>> view = entrySet;
        return view != null ? view : (entrySet = new ReferenceMapViews.EntrySet<>(this));
    }

    // ------------------------------------------------------------------------------------------- identity

    /**
     * Whether {@code o} is a {@link Map} with the same entries, by the rule the class documentation states:
     * the same {@link #size()}, every entry of {@code o} found here (keys by this map's key equivalence,
     * values by {@code equals}), and every live entry of this map found in {@code o} by {@code o.get}.
     * <b>Warning:</b> {@code size()} counts entries cleared but not yet expunged, so a map that holds such
     * entries equals no map with only the live ones (a {@link java.util.HashMap} agrees, since it compares
     * sizes first); call {@link #cleanUp()} before comparing when that matters.
     */
    @Override
    public boolean equals(Object o) {
        if (o == this) {
            return true;
        }
        return o instanceof Map<?, ?> m
                && ReferenceMapViews.sameEntries(this, m.size(), m.entrySet(), (k, v) -> v.equals(m.get(k)));
    }

    /** {@link Map#hashCode()}: the sum over the live entries of {@code key.hashCode() ^ value.hashCode()}. */
    @Override
    public int hashCode() {
        return super.hashCode();
    }

    // -------------------------------------------------------------------------------------------- machinery

    /** The number of segments (each with one table), for the views' traversal. */
    int tableCount() {
        return segments.length;
    }

    /** The current table of segment {@code i}, for the views' traversal (read without the lock, as a get). */
    Node<K, V>[] table(int i) {
        return segments[i].table;
    }

    Equivalence valueEquivalence() {
        return valueEquivalence;
    }

    private int hash(Object key) {
        Objects.requireNonNull(key, "key");
        int h = keyIdentity ? System.identityHashCode(key) : key.hashCode();
        // Fibonacci multiply spreads low bits upward for the segment index; the xor folds them back down.
        h *= 0x9E3779B9;
        return h ^ (h >>> 16);
    }

    private Segment<K, V> segmentFor(int hash) {
        return segments[hash >>> segmentShift];
    }

    boolean keyMatches(Object query, K key) {
        return query == key || (!keyIdentity && query.equals(key));
    }

    @SuppressWarnings("unchecked")
    static <K, V> Node<K, V> binAt(Node<K, V>[] table, int i) {
        return (Node<K, V>) BIN.getAcquire(table, i);
    }

    static <K, V> void setBin(Node<K, V>[] table, int i, Node<K, V> node) {
        BIN.setRelease(table, i, node);
    }

    void report(List<Object> collected) {
        for (int i = 0; i < collected.size(); i += 2) {
            @SuppressWarnings("unchecked")
            K key = (K) collected.get(i);
            @SuppressWarnings("unchecked")
            V value = (V) collected.get(i + 1);
            try {
                listener.accept(key, value);
            } catch (RuntimeException | Error e) {
                if (e instanceof VirtualMachineError) {
                    throw e;
                }
                LOG.log(System.Logger.Level.WARNING,
                        "ReferenceMap onCollected listener threw; the entry was removed all the same", e);
            }
        }
    }

    enum Compute { IF_ABSENT, IF_PRESENT, ALWAYS, MERGE }

    // ---------------------------------------------------------------------------------------------- builder

    /**
     * Configures and builds a {@link ReferenceMap}. Each setting may be given once; a second call, a
     * negative capacity or a null argument fails at once with a message saying what to change.
     *
     * @param <K> the type of keys
     * @param <V> the type of values
     */
    public static final class Builder<K, V> {
        private Strength keyStrength;
        private Strength valueStrength;
        private Equivalence keyEquivalence;
        private Equivalence valueEquivalence;
        private int initialCapacity = -1;
        private BiConsumer<? super K, ? super V> listener;
        /** Whether EQUALS on referenced keys is the point (an interner's canonical instances): no warning. */
        private boolean canonicalKeys;

        private Builder() {
        }

        /**
         * For {@link Interner}: the keys are the canonical instances that callers are handed and keep, so
         * finding them by equal copies is the point, and building logs no warning about it.
         */
        Builder<K, V> canonicalKeys() {
            canonicalKeys = true;
            return this;
        }

        /**
         * How the map holds its keys (default {@link Strength#STRONG}).
         *
         * <p><b>Warning:</b> softly or weakly held keys are compared by identity unless
         * {@link #keyEquivalence} says otherwise: an equal copy of a key does not find its entry. That is
         * deliberate: an equal copy would not keep the entry alive either (see {@link Equivalence}).
         *
         * @param strength how keys are held
         * @return this builder
         */
        public Builder<K, V> keys(Strength strength) {
            Objects.requireNonNull(strength, "strength");
            requireUnset(keyStrength, "keys(" + strength + ")", "the key strength was already set to " + keyStrength);
            keyStrength = strength;
            return this;
        }

        /**
         * How the map holds its values (default {@link Strength#STRONG}).
         *
         * <p><b>Warning:</b> soft values are not a size limit: the JVM clears soft references late and
         * all at once, under memory pressure (see {@link Strength#SOFT}). Softly or weakly held values
         * are compared by identity in {@code remove(key, value)}, {@code replace(key, old, new)} and
         * {@code containsValue} unless {@link #valueEquivalence} says otherwise.
         *
         * @param strength how values are held
         * @return this builder
         */
        public Builder<K, V> values(Strength strength) {
            Objects.requireNonNull(strength, "strength");
            requireUnset(valueStrength, "values(" + strength + ")",
                    "the value strength was already set to " + valueStrength);
            valueStrength = strength;
            return this;
        }

        /**
         * Shortcut for {@code keys(Strength.WEAK)}.
         *
         * @return this builder
         */
        public Builder<K, V> weakKeys() {
            return keys(Strength.WEAK);
        }

        /**
         * Shortcut for {@code keys(Strength.SOFT)}.
         *
         * @return this builder
         */
        public Builder<K, V> softKeys() {
            return keys(Strength.SOFT);
        }

        /**
         * Shortcut for {@code values(Strength.WEAK)}.
         *
         * @return this builder
         */
        public Builder<K, V> weakValues() {
            return values(Strength.WEAK);
        }

        /**
         * Shortcut for {@code values(Strength.SOFT)}.
         *
         * @return this builder
         */
        public Builder<K, V> softValues() {
            return values(Strength.SOFT);
        }

        /**
         * How keys are compared. Default: {@link Equivalence#IDENTITY} for softly or weakly held keys,
         * {@link Equivalence#EQUALS} for strong ones.
         *
         * <p><b>Warning:</b> {@code EQUALS} on softly or weakly held keys lets an equal copy find an entry
         * that the copy does not keep alive: the entry vanishes once the original key is unreachable,
         * however many equal copies are still in use. Choose it only when the very key instances stay
         * reachable for as long as their entries should live. Each map built so logs one warning
         * ({@link System.Logger}, level {@code WARNING}) that names the trap and where the map was built.
         *
         * @param equivalence how keys are compared
         * @return this builder
         */
        public Builder<K, V> keyEquivalence(Equivalence equivalence) {
            Objects.requireNonNull(equivalence, "equivalence");
            requireUnset(keyEquivalence, "keyEquivalence(" + equivalence + ")",
                    "the key equivalence was already set to " + keyEquivalence);
            keyEquivalence = equivalence;
            return this;
        }

        /**
         * How values are compared by {@code remove(key, value)}, {@code replace(key, old, new)},
         * {@code containsValue} and the entry view's {@code contains}. Default: {@link Equivalence#IDENTITY}
         * for softly or weakly held values (an equal copy is not the object the map holds, and would not
         * keep it alive), {@link Equivalence#EQUALS} for strong ones.
         *
         * @param equivalence how values are compared
         * @return this builder
         */
        public Builder<K, V> valueEquivalence(Equivalence equivalence) {
            Objects.requireNonNull(equivalence, "equivalence");
            requireUnset(valueEquivalence, "valueEquivalence(" + equivalence + ")",
                    "the value equivalence was already set to " + valueEquivalence);
            valueEquivalence = equivalence;
            return this;
        }

        /**
         * The number of entries to make room for before the first resize (default 16).
         *
         * @param capacity zero or more
         * @return this builder
         */
        public Builder<K, V> initialCapacity(int capacity) {
            if (capacity < 0) {
                throw new IllegalArgumentException("initialCapacity(" + capacity
                        + "): the capacity must be zero or more; pass the number of entries expected");
            }
            if (initialCapacity >= 0) {
                throw new IllegalStateException("initialCapacity(" + capacity
                        + "): the initial capacity was already set to " + initialCapacity + "; set it once");
            }
            initialCapacity = capacity;
            return this;
        }

        /**
         * A listener called exactly once for each entry removed because its key or value was cleared by
         * the collector, with the side that survived and {@code null} for the cleared side (both null if
         * both were cleared). It runs on the thread that expunges the entry (a thread writing to or
         * reading from the map, or calling {@link ReferenceMap#cleanUp()}), after the map's lock is
         * released; it may use the map. An exception it throws is logged and does not affect the map.
         * Entries removed explicitly ({@code remove}, {@code clear} of live entries, replaced values)
         * are not reported. A map with strong keys and values never calls it.
         *
         * @param listener told about each entry the collector cleared
         * @return this builder
         */
        public Builder<K, V> onCollected(BiConsumer<? super K, ? super V> listener) {
            Objects.requireNonNull(listener, "listener");
            if (this.listener != null) {
                throw new IllegalStateException("onCollected(...): a listener was already set; set one listener "
                        + "and dispatch from it if several parties need the notification");
            }
            this.listener = listener;
            return this;
        }

        /**
         * Builds the map. The builder may be used again to build more maps with the same settings. Keys and
         * values not given a strength are held strongly: without {@link #keys} or {@link #values} (or their
         * shortcuts) the map is an ordinary concurrent map that never lets an entry go. A map with softly or
         * weakly held keys compared by {@link Equivalence#EQUALS} logs a warning (see
         * {@link #keyEquivalence}).
         *
         * @param <K1> the map's key type
         * @param <V1> the map's value type
         * @return a new, empty map
         */
        @SuppressWarnings("unchecked")
        public <K1 extends K, V1 extends V> ReferenceMap<K1, V1> build() {
            return new ReferenceMap<>(this, (BiConsumer<? super K1, ? super V1>) listener);
        }

        /**
         * What this builder will build, defaults named as such: for example
         * {@code ReferenceMap.Builder[keys=STRONG (default), values=STRONG (default), ...]}.
         */
        @Override
        public String toString() {
            Strength keys = keyStrength == null ? Strength.STRONG : keyStrength;
            Strength values = valueStrength == null ? Strength.STRONG : valueStrength;
            return "ReferenceMap.Builder[keys=" + setting(keyStrength, keys)
                    + ", values=" + setting(valueStrength, values)
                    + ", keyEquivalence=" + setting(keyEquivalence, defaultEquivalence(keys))
                    + ", valueEquivalence=" + setting(valueEquivalence, defaultEquivalence(values))
                    + ", initialCapacity=" + (initialCapacity < 0 ? DEFAULT_CAPACITY + " (default)" : initialCapacity)
                    + ", onCollected=" + (listener == null ? "none" : "set") + "]";
        }

        private static String setting(Object chosen, Object effective) {
            return chosen != null ? String.valueOf(chosen) : effective + " (default)";
        }

        private static void requireUnset(Object current, String call, String what) {
            if (current != null) {
                throw new IllegalStateException(call + ": " + what + "; set it once");
            }
        }
    }
}
