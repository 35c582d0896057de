package dev.refkit.map;

import dev.refkit.map.Nodes.Node;
import java.util.AbstractCollection;
import java.util.AbstractMap.SimpleEntry;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * The key, value and entry views of a {@link ReferenceMap}, and the weakly consistent traversal they share.
 * The views hold nothing of their own: every query and removal goes to the map.
 */
final class ReferenceMapViews {

    private ReferenceMapViews() {
    }

    /**
     * Walks the segments' tables bin by bin. It holds the next key and value strongly only between a
     * {@code hasNext()} that found them and the {@code next()} that returns them, and otherwise nodes
     * (references) and table snapshots alone.
     */
    private abstract static class NodeIterator<K, V, T> implements Iterator<T> {
        final ReferenceMap<K, V> map;
        private int segmentIndex;
        private Node<K, V>[] tab;
        private int binIndex;
        private Node<K, V> cursor;
        private Node<K, V> nextNode;
        private K nextKey;
        private V nextValue;
        private Node<K, V> lastReturned;

        NodeIterator(ReferenceMap<K, V> map) {
            this.map = map;
        }

        @Override
        public final boolean hasNext() {
            if (nextKey != null) {
                return true;
            }
            while (true) {
                while (cursor != null) {
                    Node<K, V> e = cursor;
                    cursor = e.next();
                    K k = e.key();
                    V v = e.value();
                    if (k != null && v != null) {
                        nextNode = e;
                        nextKey = k;
                        nextValue = v;
                        return true;
                    }
                }
                if (tab != null && binIndex < tab.length) {
                    cursor = ReferenceMap.binAt(tab, binIndex++);
                } else if (segmentIndex < map.tableCount()) {
                    tab = map.table(segmentIndex++);
                    binIndex = 0;
                } else {
                    tab = null;
                    return false;
                }
            }
        }

        @Override
        public final T next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            T result = element(nextKey, nextValue);
            lastReturned = nextNode;
            nextNode = null;
            nextKey = null;
            nextValue = null;
            return result;
        }

        abstract T element(K key, V value);

        @Override
        public final void remove() {
            if (lastReturned == null) {
                throw new IllegalStateException("remove() needs a preceding next(), once per element");
            }
            K key = lastReturned.key();
            lastReturned = null;
            if (key != null) {
                map.remove(key);
            }
        }
    }

    private static final class KeyIterator<K, V> extends NodeIterator<K, V, K> {
        KeyIterator(ReferenceMap<K, V> map) {
            super(map);
        }

        @Override
        K element(K key, V value) {
            return key;
        }
    }

    private static final class ValueIterator<K, V> extends NodeIterator<K, V, V> {
        ValueIterator(ReferenceMap<K, V> map) {
            super(map);
        }

        @Override
        V element(K key, V value) {
            return value;
        }
    }

    private static final class EntryIterator<K, V> extends NodeIterator<K, V, Map.Entry<K, V>> {
        EntryIterator(ReferenceMap<K, V> map) {
            super(map);
        }

        @Override
        Map.Entry<K, V> element(K key, V value) {
            return new WriteThroughEntry<>(map, key, value);
        }
    }

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

        @Override public Iterator<K> iterator() { return new KeyIterator<>(map); }
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

        @Override public Iterator<V> iterator() { return new ValueIterator<>(map); }
        @Override public int size() { return map.size(); }
        @Override public boolean isEmpty() { return map.isEmpty(); }
        @Override public boolean contains(Object o) { return map.containsValue(o); }
        @Override public void clear() { map.clear(); }
    }

    static final class EntrySet<K, V> extends AbstractSet<Map.Entry<K, V>> {
        private final ReferenceMap<K, V> map;

        EntrySet(ReferenceMap<K, V> map) {
            this.map = map;
        }

        @Override public Iterator<Map.Entry<K, V>> iterator() { return new EntryIterator<>(map); }
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
    }
}
