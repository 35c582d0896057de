package dev.refkit.map;

import dev.refkit.map.Nodes.Node;
import java.util.AbstractCollection;
import java.util.AbstractMap.SimpleEntry;
import java.util.AbstractMap.SimpleImmutableEntry;
import java.util.AbstractSet;
import java.util.Collection;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.Spliterator;
import java.util.function.BiFunction;
import java.util.function.BiPredicate;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The key, value and entry views of a {@link ReferenceMap}, and the weakly consistent traversal they share.
 * The views hold nothing of their own: every query and removal goes to the map.
 */
final class ReferenceMapViews {

    private ReferenceMapViews() {
    }

    /*
     * Traversal. A Walk visits the nodes of segments [segment, segmentEnd), opening each segment's table when
     * it gets there, or, once split down to one segment, the bins [bin, binEnd) of one table snapshot. It
     * reads as a get does (volatile table, acquire loads of bins, volatile next links), so what it returns is
     * weakly consistent as the implementation notes of ReferenceMap explain: every entry live throughout the
     * walk is returned once, an entry written or removed meanwhile may or may not be, and nothing cleared is.
     * It holds nodes and table snapshots, and the key and value of the node it found only until it hands
     * them out. Nothing here trusts size(): it counts cleared entries not yet expunged and moves under
     * concurrent writes, so the spliterators are CONCURRENT and not SIZED (as ConcurrentHashMap's), and
     * size() only seeds their estimate.
     */
    private static class Walk<K, V> {
        final ReferenceMap<K, V> map;
        int segment;
        int segmentEnd;
        Node<K, V>[] tab;
        int bin;
        int binEnd;
        Node<K, V> cursor;
        Node<K, V> node;
        K key;
        V value;

        Walk(ReferenceMap<K, V> map, int segment, int segmentEnd, Node<K, V>[] tab, int bin, int binEnd) {
            this.map = map;
            this.segment = segment;
            this.segmentEnd = segmentEnd;
            this.tab = tab;
            this.bin = bin;
            this.binEnd = binEnd;
        }

        /** Finds the next live node and holds it with its key and value; false when the walk is over. */
        final boolean advance() {
            while (true) {
                while (cursor != null) {
                    Node<K, V> e = cursor;
                    cursor = e.next();
                    K k = e.key();
                    V v = e.value();
                    if (k != null && v != null) {
                        node = e;
                        key = k;
                        value = v;
                        return true;
                    }
                }
                if (tab != null && bin < binEnd) {
                    cursor = ReferenceMap.binAt(tab, bin++);
                } else if (segment < segmentEnd) {
                    openSegment();
                } else {
                    tab = null;
                    return false;
                }
            }
        }

        final void openSegment() {
            tab = map.table(segment++);
            bin = 0;
            binEnd = tab.length;
        }

        /** Whether the walk is inside a table (a chain or bins of it still to visit). */
        final boolean inTable() {
            return cursor != null || (tab != null && bin < binEnd);
        }

        final void release() {
            node = null;
            key = null;
            value = null;
        }
    }

    /**
     * The views' iterator. It holds the next key and value strongly only between a {@code hasNext()} that
     * found them and the {@code next()} that returns them.
     */
    private static final class NodeIterator<K, V, T> extends Walk<K, V> implements Iterator<T> {
        private final BiFunction<K, V, T> element;
        private Node<K, V> lastReturned;

        NodeIterator(ReferenceMap<K, V> map, BiFunction<K, V, T> element) {
            super(map, 0, map.tableCount(), null, 0, 0);
            this.element = element;
        }

        @Override
        public boolean hasNext() {
            return key != null || advance();
        }

        @Override
        public T next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            T result = element.apply(key, value);
            lastReturned = node;
            release();
            return result;
        }

        @Override
        public void remove() {
            if (lastReturned == null) {
                throw new IllegalStateException("remove() needs a preceding next(), once per element");
            }
            K k = lastReturned.key();
            lastReturned = null;
            if (k != null) {
                map.remove(k);
            }
        }
    }

    /**
     * The views' spliterator: splits the segments in halves, then the bins of a single segment's table
     * snapshot; the estimate starts at {@code size()} and halves with each split.
     */
    private static final class NodeSpliterator<K, V, T> extends Walk<K, V> implements Spliterator<T> {
        private final BiFunction<K, V, T> element;
        private final int characteristics;
        private long estimate;

        NodeSpliterator(ReferenceMap<K, V> map, BiFunction<K, V, T> element, int characteristics) {
            this(map, element, characteristics, 0, map.tableCount(), null, 0, 0, map.size());
        }

        private NodeSpliterator(ReferenceMap<K, V> map, BiFunction<K, V, T> element, int characteristics,
                                int segment, int segmentEnd, Node<K, V>[] tab, int bin, int binEnd, long estimate) {
            super(map, segment, segmentEnd, tab, bin, binEnd);
            this.element = element;
            this.characteristics = characteristics;
            this.estimate = estimate;
        }

        @Override
        public boolean tryAdvance(Consumer<? super T> action) {
            Objects.requireNonNull(action, "action");
            if (!advance()) {
                return false;
            }
            T t = element.apply(key, value);
            release();
            action.accept(t);
            return true;
        }

        @Override
        public void forEachRemaining(Consumer<? super T> action) {
            Objects.requireNonNull(action, "action");
            while (advance()) {
                T t = element.apply(key, value);
                release();
                action.accept(t);
            }
        }

        @Override
        public Spliterator<T> trySplit() {
            int pending = segmentEnd - segment;
            if (pending >= 2 || (pending == 1 && inTable())) {
                int mid = pending >= 2 ? (segment + segmentEnd) >>> 1 : segment;
                Spliterator<T> split = new NodeSpliterator<>(map, element, characteristics, mid, segmentEnd,
                        null, 0, 0, estimate >>>= 1);
                segmentEnd = mid;
                return split;
            }
            if (pending == 1) {
                openSegment();
            }
            if (segment == segmentEnd && tab != null && binEnd - bin >= 2) {
                int mid = (bin + binEnd) >>> 1;
                Spliterator<T> split = new NodeSpliterator<>(map, element, characteristics, segmentEnd, segmentEnd,
                        tab, mid, binEnd, estimate >>>= 1);
                binEnd = mid;
                return split;
            }
            return null;
        }

        @Override
        public long estimateSize() {
            return estimate;
        }

        @Override
        public int characteristics() {
            return characteristics;
        }
    }

    /**
     * Removes each live entry that {@code filter} accepts, if its key still maps to the value tested
     * ({@code remove(key, value)}, as ConcurrentHashMap's views do). Collection's default would go through
     * {@link Iterator#remove()}, which removes the key whatever it maps to by then, and so would delete a
     * value written after the filter tested the old one.
     */
    private static <K, V> boolean removeEntriesIf(ReferenceMap<K, V> map, BiPredicate<K, V> filter) {
        Walk<K, V> walk = new Walk<>(map, 0, map.tableCount(), null, 0, 0);
        boolean removed = false;
        while (walk.advance()) {
            K k = walk.key;
            V v = walk.value;
            walk.release();
            if (filter.test(k, v) && map.remove(k, v)) {
                removed = true;
            }
        }
        return removed;
    }

    /**
     * The equality rule of {@link ReferenceMap#equals} and of its entry view: the same size, every one of
     * {@code otherEntries} found in {@code map} (its key by the map's key equivalence, its value equal), and
     * every live entry of {@code map} held by the other side ({@code otherHolds}). A key or value the other
     * side rejects (a ClassCastException or NullPointerException from its lookup) means unequal, as in
     * {@link java.util.AbstractMap#equals}.
     */
    static <K, V> boolean sameEntries(ReferenceMap<K, V> map, int otherSize, Collection<?> otherEntries,
                                      BiPredicate<K, V> otherHolds) {
        if (map.size() != otherSize) {
            return false;
        }
        try {
            for (Object o : otherEntries) {
                if (!(o instanceof Map.Entry<?, ?> e) || e.getKey() == null || e.getValue() == null
                        || !e.getValue().equals(map.get(e.getKey()))) {
                    return false;
                }
            }
            Walk<K, V> walk = new Walk<>(map, 0, map.tableCount(), null, 0, 0);
            while (walk.advance()) {
                K k = walk.key;
                V v = walk.value;
                walk.release();
                if (!otherHolds.test(k, v)) {
                    return false;
                }
            }
            return true;
        } catch (ClassCastException | NullPointerException unused) {
            return false;
        }
    }

    /** The characteristics of the key and entry spliterators; the values' lack DISTINCT. */
    private static final int KEYS = Spliterator.CONCURRENT | Spliterator.NONNULL | Spliterator.DISTINCT;
    private static final int VALUES = Spliterator.CONCURRENT | Spliterator.NONNULL;

    /** An entry given to the caller: holds key and value strongly; {@code setValue} writes through. */
    private static final class WriteThroughEntry<K, V> extends SimpleEntry<K, V> {
        private static final long serialVersionUID = 1L;
        private final transient ReferenceMap<K, V> map;

        WriteThroughEntry(ReferenceMap<K, V> map, K key, V value) {
            super(key, value);
            this.map = map;
        }

        @Override
        public V setValue(V value) {
            Objects.requireNonNull(value, "value");
            map.put(getKey(), value);
            return super.setValue(value);
        }
    }

    static final class KeySet<K, V> extends AbstractSet<K> {
        private final ReferenceMap<K, V> map;

        KeySet(ReferenceMap<K, V> map) {
            this.map = map;
        }

        @Override public Iterator<K> iterator() { return new NodeIterator<>(map, (k, v) -> k); }
        @Override public Spliterator<K> spliterator() { return new NodeSpliterator<>(map, (k, v) -> k, KEYS); }
        @Override public int size() { return map.size(); }
        @Override public boolean isEmpty() { return map.isEmpty(); }
        @Override public boolean contains(Object o) { return map.containsKey(o); }
        @Override public boolean remove(Object o) { return map.remove(o) != null; }
        @Override public void clear() { map.clear(); }
    }

    static final class Values<K, V> extends AbstractCollection<V> {
        private final ReferenceMap<K, V> map;

        Values(ReferenceMap<K, V> map) {
            this.map = map;
        }

        @Override public Iterator<V> iterator() { return new NodeIterator<>(map, (k, v) -> v); }
        @Override public Spliterator<V> spliterator() { return new NodeSpliterator<>(map, (k, v) -> v, VALUES); }
        @Override public int size() { return map.size(); }
        @Override public boolean isEmpty() { return map.isEmpty(); }
        @Override public boolean contains(Object o) { return map.containsValue(o); }
        @Override public void clear() { map.clear(); }

        /** Removes the entries whose value {@code filter} accepts and which still hold that value. */
        @Override
        public boolean removeIf(Predicate<? super V> filter) {
            Objects.requireNonNull(filter, "filter");
            return removeEntriesIf(map, (k, v) -> filter.test(v));
        }

        @Override
        public boolean removeAll(Collection<?> c) {
            Objects.requireNonNull(c, "c");
            return removeIf(c::contains);
        }

        @Override
        public boolean retainAll(Collection<?> c) {
            Objects.requireNonNull(c, "c");
            return removeIf(v -> !c.contains(v));
        }
    }

    static final class EntrySet<K, V> extends AbstractSet<Map.Entry<K, V>> {
        private final ReferenceMap<K, V> map;

        EntrySet(ReferenceMap<K, V> map) {
            this.map = map;
        }

        @Override public Iterator<Map.Entry<K, V>> iterator() { return new NodeIterator<>(map, this::entry); }

        @Override
        public Spliterator<Map.Entry<K, V>> spliterator() {
            return new NodeSpliterator<>(map, this::entry, KEYS);
        }

        private Map.Entry<K, V> entry(K key, V value) {
            return new WriteThroughEntry<>(map, key, value);
        }

        @Override public int size() { return map.size(); }
        @Override public boolean isEmpty() { return map.isEmpty(); }
        @Override public void clear() { map.clear(); }

        @Override
        public boolean contains(Object o) {
            if (!(o instanceof Map.Entry<?, ?> e) || e.getKey() == null || e.getValue() == null) {
                return false;
            }
            V v = map.get(e.getKey());
            return v != null && map.valueEquivalence().equivalent(v, e.getValue());
        }

        @Override
        public boolean remove(Object o) {
            if (!(o instanceof Map.Entry<?, ?> e) || e.getKey() == null || e.getValue() == null) {
                return false;
            }
            return map.remove(e.getKey(), e.getValue());
        }

        /** Equality as {@link ReferenceMap#equals} has it, applied to sets of entries. */
        @Override
        public boolean equals(Object o) {
            if (o == this) {
                return true;
            }
            return o instanceof Set<?> other && sameEntries(map, other.size(), other,
                    (k, v) -> other.contains(new SimpleImmutableEntry<>(k, v)));
        }

        @Override
        public int hashCode() {
            return map.hashCode();
        }

        /** Removes the entries {@code filter} accepts that still hold the value it was shown. */
        @Override
        public boolean removeIf(Predicate<? super Map.Entry<K, V>> filter) {
            Objects.requireNonNull(filter, "filter");
            return removeEntriesIf(map, (k, v) -> filter.test(entry(k, v)));
        }

        @Override
        public boolean removeAll(Collection<?> c) {
            Objects.requireNonNull(c, "c");
            return removeIf(c::contains);
        }

        @Override
        public boolean retainAll(Collection<?> c) {
            Objects.requireNonNull(c, "c");
            return removeIf(e -> !c.contains(e));
        }
    }
}
