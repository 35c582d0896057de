package dev.refkit.cache;

import java.util.AbstractCollection;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Collection;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * {@link ReferenceCache#asMap()}: the cache as a {@link ConcurrentMap}. Every change goes through the
 * store's atomic operations and is then reported (removal cause) and recorded (recent tier); the compound
 * operations ({@code compute}, {@code merge}, ...) are {@link ConcurrentMap}'s defaults, built on those
 * atomic operations, so they report their replacements and removals the same way.
 *
 * <p>The removal listener must receive the instance that left the cache, not the caller's argument, which
 * may be an equal copy. The store therefore compares values by identity, and {@code remove(key, value)} and
 * {@code replace(key, old, new)}, which {@link ConcurrentMap} defines by {@code equals}, read the current
 * instance, check it with {@code equals}, and remove or replace exactly that instance, reading again if
 * another thread changed the entry in between.
 */
final class CacheMapView<K, V> extends AbstractMap<K, V> implements ConcurrentMap<K, V> {
    private final ReferenceCache<K, V> cache;
    private final ConcurrentMap<K, V> store;
    private Set<Map.Entry<K, V>> entrySet;
    private Set<K> keySet;
    private Collection<V> values;

    CacheMapView(ReferenceCache<K, V> cache) {
        this.cache = cache;
        this.store = cache.store();
    }

    @Override
    public int size() {
        return store.size();
    }

    @Override
    public boolean isEmpty() {
        return store.isEmpty();
    }

    @Override
    public boolean containsKey(Object key) {
        return store.containsKey(key);
    }

    /** By {@code equals}, as {@link Map} has it (the store compares values by identity). */
    @Override
    public boolean containsValue(Object value) {
        Objects.requireNonNull(value, "value");
        for (V v : store.values()) {
            if (v.equals(value)) {
                return true;
            }
        }
        return false;
    }

    @Override
    @SuppressWarnings("unchecked")
    public V get(Object key) {
        V value = store.get(key);
        if (value != null) {
            cache.recordRead((K) key);
        }
        return value;
    }

    @Override
    public V put(K key, V value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        V old = store.put(key, value);
        cache.recordWrite(key);
        if (old != null && old != value) {
            cache.notifyRemoval(key, old, RemovalCause.REPLACED);
        }
        return old;
    }

    @Override
    public V putIfAbsent(K key, V value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        V present = store.putIfAbsent(key, value);
        cache.recordWrite(key);
        return present;
    }

    @Override
    @SuppressWarnings("unchecked")
    public V remove(Object key) {
        Objects.requireNonNull(key, "key");
        cache.discardLoad(key);
        V old = store.remove(key);
        if (old != null) {
            cache.recordWrite((K) key);
            cache.notifyRemoval((K) key, old, RemovalCause.EXPLICIT);
        }
        return old;
    }

    @Override
    @SuppressWarnings("unchecked")
    public boolean remove(Object key, Object value) {
        Objects.requireNonNull(key, "key");
        if (value == null) {
            return false;
        }
        while (true) {
            V current = store.get(key);
            if (current == null || !current.equals(value)) {
                return false;
            }
            if (store.remove(key, current)) {
                cache.recordWrite((K) key);
                cache.notifyRemoval((K) key, current, RemovalCause.EXPLICIT);
                return true;
            }
        }
    }

    @Override
    public V replace(K key, V value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        V old = store.replace(key, value);
        if (old != null) {
            cache.recordWrite(key);
            if (old != value) {
                cache.notifyRemoval(key, old, RemovalCause.REPLACED);
            }
        }
        return old;
    }

    @Override
    public boolean replace(K key, V oldValue, V newValue) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(oldValue, "oldValue");
        Objects.requireNonNull(newValue, "newValue");
        while (true) {
            V current = store.get(key);
            if (current == null || !current.equals(oldValue)) {
                return false;
            }
            if (store.replace(key, current, newValue)) {
                cache.recordWrite(key);
                if (current != newValue) {
                    cache.notifyRemoval(key, current, RemovalCause.REPLACED);
                }
                return true;
            }
        }
    }

    @Override
    public void clear() {
        cache.discardAllLoads();
        for (Map.Entry<K, V> e : store.entrySet()) {
            K key = e.getKey();
            V value = e.getValue();
            if (key != null && value != null && store.remove(key, value)) {
                cache.notifyRemoval(key, value, RemovalCause.EXPLICIT);
            }
        }
        cache.clearRecent();
    }

    /** The store's equality: keys as the cache compares them (by identity for weak keys); see ReferenceMap. */
    @Override
    public boolean equals(Object o) {
        return o == this || store.equals(o);
    }

    @Override
    public int hashCode() {
        return store.hashCode();
    }

    @Override
    public Set<Map.Entry<K, V>> entrySet() {
        Set<Map.Entry<K, V>> es = entrySet;
        return es != null ? es : (entrySet = new EntrySet());
    }

    /*
     * The three views iterate the store through EntryIterator, so that a removal through them is reported.
     * Their spliterators are CONCURRENT and not SIZED, as the store's are: size() counts entries whose values
     * were cleared but not yet expunged, and moves under concurrent writes, so a stream must not trust it.
     */

    @Override
    public Set<K> keySet() {
        Set<K> ks = keySet;
        return ks != null ? ks : (keySet = new KeySet());
    }

    @Override
    public Collection<V> values() {
        Collection<V> vs = values;
        return vs != null ? vs : (values = new Values());
    }

    private final class KeySet extends AbstractSet<K> {
        @Override
        public Iterator<K> iterator() {
            return new ViewIterator<>(Map.Entry::getKey);
        }

        @Override
        public Spliterator<K> spliterator() {
            return store.keySet().spliterator();
        }

        @Override
        public int size() {
            return store.size();
        }

        @Override
        public boolean contains(Object o) {
            return containsKey(o);
        }

        @Override
        public boolean remove(Object o) {
            return o != null && CacheMapView.this.remove(o) != null;
        }

        @Override
        public void clear() {
            CacheMapView.this.clear();
        }
    }

    private final class Values extends AbstractCollection<V> {
        @Override
        public Iterator<V> iterator() {
            return new ViewIterator<>(Map.Entry::getValue);
        }

        @Override
        public Spliterator<V> spliterator() {
            return store.values().spliterator();
        }

        @Override
        public int size() {
            return store.size();
        }

        @Override
        public boolean contains(Object o) {
            return containsValue(o);
        }

        @Override
        public boolean removeIf(Predicate<? super V> filter) {
            Objects.requireNonNull(filter, "filter");
            return removeEntriesIf(e -> filter.test(e.getValue()));
        }

        @Override
        public void clear() {
            CacheMapView.this.clear();
        }
    }

    /**
     * Removes each entry that {@code filter} accepts if its key still maps to the value tested (as
     * {@code remove(key, value)}, reported as {@link RemovalCause#EXPLICIT}); a value written after the test
     * stays.
     */
    private boolean removeEntriesIf(Predicate<? super Map.Entry<K, V>> filter) {
        boolean removed = false;
        for (Iterator<Map.Entry<K, V>> it = store.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<K, V> e = it.next();
            if (filter.test(new WriteThroughEntry(e.getKey(), e.getValue())) && remove(e.getKey(), e.getValue())) {
                removed = true;
            }
        }
        return removed;
    }

    private final class EntrySet extends AbstractSet<Map.Entry<K, V>> {
        @Override
        public Iterator<Map.Entry<K, V>> iterator() {
            return new EntryIterator(store.entrySet().iterator());
        }

        @Override
        public Spliterator<Map.Entry<K, V>> spliterator() {
            return Spliterators.spliteratorUnknownSize(iterator(),
                    Spliterator.CONCURRENT | Spliterator.NONNULL | Spliterator.DISTINCT);
        }

        @Override
        public boolean removeIf(Predicate<? super Map.Entry<K, V>> filter) {
            Objects.requireNonNull(filter, "filter");
            return removeEntriesIf(filter);
        }

        @Override
        public int size() {
            return store.size();
        }

        @Override
        public boolean contains(Object o) {
            if (!(o instanceof Map.Entry<?, ?> e) || e.getKey() == null || e.getValue() == null) {
                return false;
            }
            V value = store.get(e.getKey());
            return value != null && value.equals(e.getValue());
        }

        @Override
        public boolean remove(Object o) {
            return o instanceof Map.Entry<?, ?> e && e.getKey() != null
                    && CacheMapView.this.remove(e.getKey(), e.getValue());
        }

        @Override
        public void clear() {
            CacheMapView.this.clear();
        }
    }

    /** Iterates the store, remembering the last entry so that removal and setValue are reported. */
    private final class EntryIterator implements Iterator<Map.Entry<K, V>> {
        private final Iterator<Map.Entry<K, V>> delegate;
        private Map.Entry<K, V> last;

        EntryIterator(Iterator<Map.Entry<K, V>> delegate) {
            this.delegate = delegate;
        }

        @Override
        public boolean hasNext() {
            return delegate.hasNext();
        }

        @Override
        public Map.Entry<K, V> next() {
            Map.Entry<K, V> e = delegate.next();
            if (e == null) {
                throw new NoSuchElementException();
            }
            last = new WriteThroughEntry(e.getKey(), e.getValue());
            return last;
        }

        @Override
        public void remove() {
            if (last == null) {
                throw new IllegalStateException("remove() needs a preceding next(), once per element");
            }
            CacheMapView.this.remove(last.getKey(), last.getValue());
            last = null;
        }
    }

    /** An iterator of keys or values over {@link EntryIterator}, so that its removals are reported. */
    private final class ViewIterator<T> implements Iterator<T> {
        private final EntryIterator entries = new EntryIterator(store.entrySet().iterator());
        private final Function<Map.Entry<K, V>, T> part;

        ViewIterator(Function<Map.Entry<K, V>, T> part) {
            this.part = part;
        }

        @Override
        public boolean hasNext() {
            return entries.hasNext();
        }

        @Override
        public T next() {
            return part.apply(entries.next());
        }

        @Override
        public void remove() {
            entries.remove();
        }
    }

    /** An entry whose {@code setValue} writes to the cache (reported as {@link RemovalCause#REPLACED}). */
    private final class WriteThroughEntry extends AbstractMap.SimpleEntry<K, V> {
        private static final long serialVersionUID = 1L;

        WriteThroughEntry(K key, V value) {
            super(key, value);
        }

        @Override
        public V setValue(V value) {
            Objects.requireNonNull(value, "value");
            V old = super.setValue(value);
            put(getKey(), value);
            return old;
        }
    }
}
