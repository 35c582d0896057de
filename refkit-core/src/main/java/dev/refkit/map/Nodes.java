package dev.refkit.map;

import dev.refkit.Strength;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.SoftReference;
import java.lang.ref.WeakReference;

/**
 * The entries of a {@link ReferenceMap}'s hash chains. Where one side of the mapping is referenced softly
 * or weakly, the entry <em>is</em> the {@link Reference} to that side, so that a weak-keyed entry costs one
 * object: the reference's own fields plus hash, value and next.
 *
 * <p>Fields written under the segment lock and read without it ({@code value}, {@code next}) are volatile;
 * everything else is final or inherited from {@link Reference} and published by the release store that
 * links the node into a table.
 */
final class Nodes {

    private Nodes() {
    }

    /** One mapping in a hash chain. {@link #key()} and {@link #value()} return null once cleared. */
    interface Node<K, V> {
        int hash();

        K key();

        V value();

        Node<K, V> next();

        void setNext(Node<K, V> next);

        /** The value reference this node currently owns, for nodes that hold their value through one. */
        default Object valueReference() {
            return null;
        }
    }

    /** A value reference of a key-referencing node: knows its node so that expunging can find the chain. */
    interface ValueReference<K, V> {
        Node<K, V> node();
    }

    /** Strong key, strong value: an ordinary chained entry whose value is updated in place. */
    static final class StrongNode<K, V> implements Node<K, V> {
        private final K key;
        private final int hash;
        volatile V value;
        private volatile Node<K, V> next;

        StrongNode(K key, int hash, V value, Node<K, V> next) {
            this.key = key;
            this.hash = hash;
            this.value = value;
            this.next = next;
        }

        @Override public int hash() { return hash; }
        @Override public K key() { return key; }
        @Override public V value() { return value; }
        @Override public Node<K, V> next() { return next; }
        @Override public void setNext(Node<K, V> next) { this.next = next; }
    }

    /** Weakly referenced key; {@code value} is the value itself (strong values). */
    static class WeakKeyNode<K, V> extends WeakReference<K> implements Node<K, V> {
        private final int hash;
        volatile Object value;
        private volatile Node<K, V> next;

        WeakKeyNode(K key, int hash, Node<K, V> next, ReferenceQueue<Object> queue) {
            super(key, queue);
            this.hash = hash;
            this.next = next;
        }

        @Override public int hash() { return hash; }
        @Override public K key() { return get(); }
        @SuppressWarnings("unchecked")
        @Override public V value() { return (V) value; }
        @Override public Node<K, V> next() { return next; }
        @Override public void setNext(Node<K, V> next) { this.next = next; }
    }

    /** Weakly referenced key; {@code value} holds a {@link ValueReference} (soft or weak values). */
    static final class WeakKeyReferencedValueNode<K, V> extends WeakKeyNode<K, V> {
        WeakKeyReferencedValueNode(K key, int hash, Node<K, V> next, ReferenceQueue<Object> queue) {
            super(key, hash, next, queue);
        }

        @SuppressWarnings("unchecked")
        @Override public V value() { return ((Reference<V>) value).get(); }
        @Override public Object valueReference() { return value; }
    }

    /** Softly referenced key; {@code value} is the value itself (strong values). */
    static class SoftKeyNode<K, V> extends SoftReference<K> implements Node<K, V> {
        private final int hash;
        volatile Object value;
        private volatile Node<K, V> next;

        SoftKeyNode(K key, int hash, Node<K, V> next, ReferenceQueue<Object> queue) {
            super(key, queue);
            this.hash = hash;
            this.next = next;
        }

        @Override public int hash() { return hash; }
        @Override public K key() { return get(); }
        @SuppressWarnings("unchecked")
        @Override public V value() { return (V) value; }
        @Override public Node<K, V> next() { return next; }
        @Override public void setNext(Node<K, V> next) { this.next = next; }
    }

    /** Softly referenced key; {@code value} holds a {@link ValueReference} (soft or weak values). */
    static final class SoftKeyReferencedValueNode<K, V> extends SoftKeyNode<K, V> {
        SoftKeyReferencedValueNode(K key, int hash, Node<K, V> next, ReferenceQueue<Object> queue) {
            super(key, hash, next, queue);
        }

        @SuppressWarnings("unchecked")
        @Override public V value() { return ((Reference<V>) value).get(); }
        @Override public Object valueReference() { return value; }
    }

    /** Strong key, weakly referenced value: a value update replaces the node. */
    static final class WeakValueNode<K, V> extends WeakReference<V> implements Node<K, V> {
        private final K key;
        private final int hash;
        private volatile Node<K, V> next;

        WeakValueNode(K key, int hash, V value, Node<K, V> next, ReferenceQueue<Object> queue) {
            super(value, queue);
            this.key = key;
            this.hash = hash;
            this.next = next;
        }

        @Override public int hash() { return hash; }
        @Override public K key() { return key; }
        @Override public V value() { return get(); }
        @Override public Node<K, V> next() { return next; }
        @Override public void setNext(Node<K, V> next) { this.next = next; }
    }

    /** Strong key, softly referenced value: a value update replaces the node. */
    static final class SoftValueNode<K, V> extends SoftReference<V> implements Node<K, V> {
        private final K key;
        private final int hash;
        private volatile Node<K, V> next;

        SoftValueNode(K key, int hash, V value, Node<K, V> next, ReferenceQueue<Object> queue) {
            super(value, queue);
            this.key = key;
            this.hash = hash;
            this.next = next;
        }

        @Override public int hash() { return hash; }
        @Override public K key() { return key; }
        @Override public V value() { return get(); }
        @Override public Node<K, V> next() { return next; }
        @Override public void setNext(Node<K, V> next) { this.next = next; }
    }

    static final class WeakValueReference<K, V> extends WeakReference<V> implements ValueReference<K, V> {
        private final Node<K, V> node;

        WeakValueReference(V value, Node<K, V> node, ReferenceQueue<Object> queue) {
            super(value, queue);
            this.node = node;
        }

        @Override public Node<K, V> node() { return node; }
    }

    static final class SoftValueReference<K, V> extends SoftReference<V> implements ValueReference<K, V> {
        private final Node<K, V> node;

        SoftValueReference(V value, Node<K, V> node, ReferenceQueue<Object> queue) {
            super(value, queue);
            this.node = node;
        }

        @Override public Node<K, V> node() { return node; }
    }

    /**
     * Creates, updates and copies the nodes of one strength combination. Value updates happen in place
     * where the value is a field, and by replacement where the node is the value's reference.
     */
    abstract static class Factory {

        /** A new node mapping {@code key} to {@code value}, ahead of {@code next}. */
        abstract <K, V> Node<K, V> newNode(K key, int hash, V value, Node<K, V> next, ReferenceQueue<Object> q);

        /**
         * Gives {@code node} the value {@code value}: returns {@code node} itself, updated in place, or a
         * replacement whose {@code next} is {@code node.next()} and which the caller must link in its place.
         */
        abstract <K, V> Node<K, V> withValue(Node<K, V> node, V value, ReferenceQueue<Object> q);

        /** A copy of {@code node} ahead of {@code next} for a resized table, or null if it was cleared. */
        <K, V> Node<K, V> copy(Node<K, V> node, Node<K, V> next, ReferenceQueue<Object> q) {
            K key = node.key();
            V value = node.value();
            return key == null || value == null ? null : newNode(key, node.hash(), value, next, q);
        }

        static Factory of(Strength keys, Strength values) {
            switch (keys) {
                case STRONG:
                    return values == Strength.STRONG ? new StrongKeysStrongValues()
                            : new StrongKeysReferencedValues(values == Strength.SOFT);
                default:
                    return new ReferencedKeys(keys == Strength.SOFT, values);
            }
        }
    }

    private static final class StrongKeysStrongValues extends Factory {
        @Override
        <K, V> Node<K, V> newNode(K key, int hash, V value, Node<K, V> next, ReferenceQueue<Object> q) {
            return new StrongNode<>(key, hash, value, next);
        }

        @Override
        <K, V> Node<K, V> withValue(Node<K, V> node, V value, ReferenceQueue<Object> q) {
            ((StrongNode<K, V>) node).value = value;
            return node;
        }
    }

    private static final class StrongKeysReferencedValues extends Factory {
        private final boolean soft;

        StrongKeysReferencedValues(boolean soft) {
            this.soft = soft;
        }

        @Override
        <K, V> Node<K, V> newNode(K key, int hash, V value, Node<K, V> next, ReferenceQueue<Object> q) {
            return soft ? new SoftValueNode<>(key, hash, value, next, q)
                    : new WeakValueNode<>(key, hash, value, next, q);
        }

        @Override
        <K, V> Node<K, V> withValue(Node<K, V> node, V value, ReferenceQueue<Object> q) {
            return newNode(node.key(), node.hash(), value, node.next(), q);
        }
    }

    private static final class ReferencedKeys extends Factory {
        private final boolean softKeys;
        private final Strength values;

        ReferencedKeys(boolean softKeys, Strength values) {
            this.softKeys = softKeys;
            this.values = values;
        }

        @Override
        <K, V> Node<K, V> newNode(K key, int hash, V value, Node<K, V> next, ReferenceQueue<Object> q) {
            Node<K, V> node;
            if (values == Strength.STRONG) {
                node = softKeys ? new SoftKeyNode<>(key, hash, next, q) : new WeakKeyNode<>(key, hash, next, q);
            } else {
                node = softKeys ? new SoftKeyReferencedValueNode<>(key, hash, next, q)
                        : new WeakKeyReferencedValueNode<>(key, hash, next, q);
            }
            return withValue(node, value, q);
        }

        @Override
        <K, V> Node<K, V> withValue(Node<K, V> node, V value, ReferenceQueue<Object> q) {
            Object slot = switch (values) {
                case STRONG -> value;
                case SOFT -> new SoftValueReference<>(value, node, q);
                case WEAK -> new WeakValueReference<>(value, node, q);
            };
            if (softKeys) {
                ((SoftKeyNode<K, V>) node).value = slot;
            } else {
                ((WeakKeyNode<K, V>) node).value = slot;
            }
            return node;
        }
    }
}
