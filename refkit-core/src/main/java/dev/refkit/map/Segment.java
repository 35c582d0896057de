package dev.refkit.map;

import static dev.refkit.map.ReferenceMap.DRAIN_MAX;
import static dev.refkit.map.ReferenceMap.MAXIMUM_TABLE_LENGTH;
import static dev.refkit.map.ReferenceMap.READ_EXPUNGE_PERIOD;
import static dev.refkit.map.ReferenceMap.SPINS_BEFORE_PARKING;
import static dev.refkit.map.ReferenceMap.binAt;
import static dev.refkit.map.ReferenceMap.setBin;

import dev.refkit.map.ReferenceMap.Compute;
import dev.refkit.map.Nodes.Factory;
import dev.refkit.map.Nodes.Node;
import dev.refkit.map.Nodes.ValueReference;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiFunction;
import java.util.function.Function;

/** One stripe of the map: a lock, its table, its count and its reference queue. */
final class Segment<K, V> extends ReentrantLock {
    private final ReferenceMap<K, V> map;
    private final ReferenceQueue<Object> queue;
    volatile Node<K, V>[] table;
    volatile int count;
    /** Collected entries to report after unlock, as key, value pairs; guarded by the lock. */
    private List<Object> collected;

    @SuppressWarnings("unchecked")
    Segment(ReferenceMap<K, V> map, int tableLength, ReferenceQueue<Object> queue) {
        this.map = map;
        this.queue = queue;
        this.table = (Node<K, V>[]) new Node<?, ?>[tableLength];
    }

    V get(Object key, int hash) {
        Node<K, V>[] tab = table;
        V result = null;
        for (Node<K, V> e = binAt(tab, hash & (tab.length - 1)); e != null; e = e.next()) {
            if (e.hash() == hash) {
                K k = e.key();
                if (k != null && map.keyMatches(key, k)) {
                    result = e.value();
                    break;
                }
            }
        }
        afterRead();
        return result;
    }

    private void afterRead() {
        if (queue != null && (ThreadLocalRandom.current().nextInt() & (READ_EXPUNGE_PERIOD - 1)) == 0
                && !isHeldByCurrentThread() && tryLock()) {
            try {
                expungeStale(DRAIN_MAX);
            } finally {
                unlockAndReport();
            }
        }
    }

    void lockForWrite() {
        if (tryLock()) {
            if (getHoldCount() > 1) {
                unlock();
                throw recursiveUpdate();
            }
            return;
        }
        if (isHeldByCurrentThread()) {
            throw recursiveUpdate();
        }
        // Critical sections are a few dozen nanoseconds: spinning briefly is cheaper than parking.
        for (int spins = SPINS_BEFORE_PARKING; spins > 0; spins--) {
            Thread.onSpinWait();
            if (!isLocked() && tryLock()) {
                return;
            }
        }
        lock();
    }

    private static IllegalStateException recursiveUpdate() {
        return new IllegalStateException("Recursive update: a function passed to compute, merge or the like "
                + "modified the same ReferenceMap; compute the new value without writing to the map");
    }

    void unlockAndReport() {
        List<Object> pending = collected;
        collected = null;
        unlock();
        if (pending != null) {
            map.report(pending);
        }
    }

    private void recordCollected(K key, V value) {
        if (map.listener != null) {
            if (collected == null) {
                collected = new ArrayList<>();
            }
            collected.add(key);
            collected.add(value);
        }
    }

    /** Expunges up to {@code max} cleared references from the queue. Under the lock. */
    void expungeStale(int max) {
        if (queue == null) {
            return;
        }
        Reference<?> ref;
        for (int n = 0; n < max && (ref = queue.poll()) != null; n++) {
            expunge(ref);
        }
    }

    /** Expunges every node whose key or value is cleared, queued or not (see cleanUp()). Under the lock. */
    void expungeCleared() {
        if (queue == null) {
            return;
        }
        Node<K, V>[] tab = table;
        for (int i = 0; i < tab.length; i++) {
            Node<K, V> pred = null;
            for (Node<K, V> e = binAt(tab, i); e != null; e = e.next()) {
                K k = e.key();
                V v = e.value();
                if (k == null || v == null) {
                    unlink(tab, i, pred, e);
                    recordCollected(k, v);
                } else {
                    pred = e;
                }
            }
        }
    }

    @SuppressWarnings("unchecked")
    private void expunge(Reference<?> ref) {
        Node<K, V> node;
        if (ref instanceof ValueReference) {
            node = ((ValueReference<K, V>) ref).node();
            if (node.valueReference() != ref) {
                return; // the value was replaced since; the node is not stale on its account
            }
        } else {
            node = (Node<K, V>) ref;
        }
        Node<K, V>[] tab = table;
        int i = node.hash() & (tab.length - 1);
        Node<K, V> pred = null;
        for (Node<K, V> e = binAt(tab, i); e != null; pred = e, e = e.next()) {
            if (e == node) {
                unlink(tab, i, pred, e);
                recordCollected(e.key(), e.value());
                return;
            }
        }
    }

    private void unlink(Node<K, V>[] tab, int i, Node<K, V> pred, Node<K, V> e) {
        if (pred == null) {
            setBin(tab, i, e.next());
        } else {
            pred.setNext(e.next());
        }
        count--;
    }

    /** Links {@code replacement} (whose next is already e's) in place of {@code e}, if it differs. */
    private void relink(Node<K, V>[] tab, int i, Node<K, V> pred, Node<K, V> e, Node<K, V> replacement) {
        if (replacement != e) {
            if (pred == null) {
                setBin(tab, i, replacement);
            } else {
                pred.setNext(replacement);
            }
        }
    }

    /** Links a new node for key at the head of its bin, growing the table first if full. */
    private void insert(K key, int hash, V value) {
        Node<K, V>[] tab = table;
        if (count >= tab.length && tab.length < MAXIMUM_TABLE_LENGTH) {
            expungeStale(Integer.MAX_VALUE);
            if (count >= tab.length) {
                tab = resize(tab);
            }
        }
        int i = hash & (tab.length - 1);
        setBin(tab, i, map.factory.newNode(key, hash, value, binAt(tab, i), queue));
        count++;
    }

    private Node<K, V>[] resize(Node<K, V>[] old) {
        int length = old.length << 1;
        int mask = length - 1;
        @SuppressWarnings("unchecked")
        Node<K, V>[] tab = (Node<K, V>[]) new Node<?, ?>[length];
        Factory factory = map.factory;
        for (Node<K, V> first : old) {
            if (first == null) {
                continue;
            }
            Node<K, V> lastRun = first;
            int lastIndex = first.hash() & mask;
            for (Node<K, V> e = first.next(); e != null; e = e.next()) {
                int index = e.hash() & mask;
                if (index != lastIndex) {
                    lastIndex = index;
                    lastRun = e;
                }
            }
            tab[lastIndex] = lastRun;
            for (Node<K, V> e = first; e != lastRun; e = e.next()) {
                int index = e.hash() & mask;
                Node<K, V> copy = factory.copy(e, tab[index], queue);
                if (copy != null) {
                    tab[index] = copy;
                } else {
                    count--;
                    recordCollected(e.key(), e.value());
                }
            }
        }
        table = tab;
        return tab;
    }

    V put(K key, int hash, V value, boolean onlyIfAbsent) {
        lockForWrite();
        try {
            expungeStale(DRAIN_MAX);
            Node<K, V>[] tab = table;
            int i = hash & (tab.length - 1);
            for (Node<K, V> e = binAt(tab, i), pred = null; e != null; pred = e, e = e.next()) {
                if (e.hash() == hash) {
                    K k = e.key();
                    if (k != null && map.keyMatches(key, k)) {
                        V old = e.value();
                        if (old != null && onlyIfAbsent) {
                            return old;
                        }
                        if (old == null) {
                            recordCollected(k, null);
                        }
                        relink(tab, i, pred, e, map.factory.withValue(e, value, queue));
                        return old;
                    }
                }
            }
            insert(key, hash, value);
            return null;
        } finally {
            unlockAndReport();
        }
    }

    /** Removes key's live mapping (if its value is equivalent to {@code expected}, when given). */
    V remove(Object key, int hash, Object expected) {
        lockForWrite();
        try {
            expungeStale(DRAIN_MAX);
            Node<K, V>[] tab = table;
            int i = hash & (tab.length - 1);
            for (Node<K, V> e = binAt(tab, i), pred = null; e != null; pred = e, e = e.next()) {
                if (e.hash() == hash) {
                    K k = e.key();
                    if (k != null && map.keyMatches(key, k)) {
                        V old = e.value();
                        if (old == null || (expected != null && !map.valueEquivalence.equivalent(old, expected))) {
                            return null; // a cleared value is left for expunging, which reports it
                        }
                        unlink(tab, i, pred, e);
                        return old;
                    }
                }
            }
            return null;
        } finally {
            unlockAndReport();
        }
    }

    /** Replaces key's live value (if equivalent to {@code expected}, when given); returns the old one. */
    V replace(K key, int hash, V expected, V value) {
        lockForWrite();
        try {
            expungeStale(DRAIN_MAX);
            Node<K, V>[] tab = table;
            int i = hash & (tab.length - 1);
            for (Node<K, V> e = binAt(tab, i), pred = null; e != null; pred = e, e = e.next()) {
                if (e.hash() == hash) {
                    K k = e.key();
                    if (k != null && map.keyMatches(key, k)) {
                        V old = e.value();
                        if (old == null || (expected != null && !map.valueEquivalence.equivalent(old, expected))) {
                            return null;
                        }
                        relink(tab, i, pred, e, map.factory.withValue(e, value, queue));
                        return old;
                    }
                }
            }
            return null;
        } finally {
            unlockAndReport();
        }
    }

    V compute(K key, int hash, Compute mode, Function<? super K, ? extends V> mapping,
            BiFunction<? super K, ? super V, ? extends V> remapping, V mergeValue) {
        lockForWrite();
        try {
            expungeStale(DRAIN_MAX);
            Node<K, V>[] tab = table;
            int i = hash & (tab.length - 1);
            for (Node<K, V> e = binAt(tab, i), pred = null; e != null; pred = e, e = e.next()) {
                if (e.hash() == hash) {
                    K k = e.key();
                    if (k != null && map.keyMatches(key, k)) {
                        V old = e.value();
                        V value;
                        if (old == null) {
                            value = switch (mode) {
                                case IF_ABSENT -> mapping.apply(key);
                                case IF_PRESENT -> null;
                                case ALWAYS -> remapping.apply(key, null);
                                case MERGE -> mergeValue;
                            };
                            if (value != null) {
                                recordCollected(k, null);
                                relink(tab, i, pred, e, map.factory.withValue(e, value, queue));
                            }
                            return value;
                        }
                        if (mode == Compute.IF_ABSENT) {
                            return old;
                        }
                        value = remapping.apply(key, old);
                        if (value == null) {
                            unlink(tab, i, pred, e);
                        } else {
                            relink(tab, i, pred, e, map.factory.withValue(e, value, queue));
                        }
                        return value;
                    }
                }
            }
            V value = switch (mode) {
                case IF_ABSENT -> mapping.apply(key);
                case IF_PRESENT -> null;
                case ALWAYS -> remapping.apply(key, null);
                case MERGE -> mergeValue;
            };
            if (value != null) {
                insert(key, hash, value);
            }
            return value;
        } finally {
            unlockAndReport();
        }
    }

    K canonicalKey(K sample, int hash, V value) {
        K existing = liveKey(sample, hash);
        if (existing != null) {
            return existing;
        }
        lockForWrite();
        try {
            expungeStale(DRAIN_MAX);
            Node<K, V>[] tab = table;
            int i = hash & (tab.length - 1);
            for (Node<K, V> e = binAt(tab, i), pred = null; e != null; pred = e, e = e.next()) {
                if (e.hash() == hash) {
                    K k = e.key();
                    if (k != null && map.keyMatches(sample, k)) {
                        if (e.value() != null) {
                            return k;
                        }
                        recordCollected(k, null);
                        unlink(tab, i, pred, e);
                        break;
                    }
                }
            }
            insert(sample, hash, value);
            return sample;
        } finally {
            unlockAndReport();
        }
    }

    private K liveKey(Object key, int hash) {
        Node<K, V>[] tab = table;
        K result = null;
        for (Node<K, V> e = binAt(tab, hash & (tab.length - 1)); e != null; e = e.next()) {
            if (e.hash() == hash) {
                K k = e.key();
                if (k != null && map.keyMatches(key, k) && e.value() != null) {
                    result = k;
                    break;
                }
            }
        }
        afterRead();
        return result;
    }

    void clear() {
        lockForWrite();
        try {
            expungeStale(Integer.MAX_VALUE);
            Node<K, V>[] tab = table;
            if (map.listener != null) {
                for (int i = 0; i < tab.length; i++) {
                    for (Node<K, V> e = binAt(tab, i); e != null; e = e.next()) {
                        K k = e.key();
                        V v = e.value();
                        if (k == null || v == null) {
                            recordCollected(k, v);
                        }
                    }
                }
            }
            for (int i = 0; i < tab.length; i++) {
                setBin(tab, i, null);
            }
            count = 0;
        } finally {
            unlockAndReport();
        }
    }
}
