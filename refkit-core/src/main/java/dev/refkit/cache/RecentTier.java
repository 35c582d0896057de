package dev.refkit.cache;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The strong "recent" tier of a cache: the {@code capacity} most recently read or written entries are
 * held here strongly, so that the collector cannot clear their soft (or weak) values, while all other
 * entries stay reclaimable.
 *
 * <p>Implementation notes. The tier is an access-ordered {@link LinkedHashMap} from key to value, touched
 * only under {@link #lock}, so each event costs O(1). Reads must not take that lock: a read only offers
 * its key to a lossy striped {@link ReadBuffer}, and the buffer is drained into the order before every write
 * and, by whichever reader finds the lock free, when a full stripe asks for it (once in
 * {@value ReadBuffer#DRAIN_PERIOD} refused reads: a tight loop of reads is sampled, not applied one by one).
 * Writes (puts, installed
 * loads, removals) are rarer and must not be lost, so they take the lock and apply directly, after the
 * pending reads: the order follows the writes exactly and the reads as far as they were buffered.
 *
 * <p>An event carries the key only. Applying it reads the key's <em>current</em> value from the cache's
 * store: present, the entry moves to (or enters) the most recent end with that value; absent, the key
 * leaves the tier. So a late or stale event can never pin a value the cache no longer holds, and the tier
 * never holds a key the store lacks for longer than until the next event for that key, a removal (which is
 * applied at once) or eviction. Invariants, under the lock: {@code order.size() <= capacity}; every value
 * in {@code order} was the store's value for its key when it was last applied. The read buffer holds up to
 * {@value ReadBuffer#STRIPE_CAPACITY} keys per stripe strongly until it is drained; {@code cleanUp()}
 * drains it.
 */
final class RecentTier<K, V> implements StrongTier<K> {
    private final ConcurrentMap<K, V> store;
    private final Function<Object, Object> handle;
    private final ReentrantLock lock = new ReentrantLock();
    private final ReadBuffer<K> reads = new ReadBuffer<>();
    private final LinkedHashMap<Object, V> order;
    private final Consumer<K> applyRead = this::apply;

    RecentTier(int capacity, ConcurrentMap<K, V> store, Function<Object, Object> handle) {
        this.store = store;
        this.handle = handle;
        this.order = new LinkedHashMap<>(Math.min(capacity, 1 << 16), 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<Object, V> eldest) {
                return size() > capacity;
            }
        };
    }

    /** A read of {@code key}: buffered, never blocks. */
    @Override
    public void recordRead(K key) {
        if (reads.offer(key) == ReadBuffer.DRAIN) {
            drainAndOffer(key);
        }
    }

    /** A full stripe's turn to drain: apart from {@link #recordRead}, whose every call must stay small. */
    private void drainAndOffer(K key) {
        reads.drainOnTurn(key, lock, applyRead, lock::unlock);
    }

    /** A write or removal of {@code key}: applied at once, after the reads buffered so far. */
    @Override
    public void recordWrite(K key) {
        lock.lock();
        try {
            reads.drainTo(applyRead);
            apply(key);
        } finally {
            lock.unlock();
        }
    }

    /** Drops every entry of the tier (after {@code invalidateAll}). */
    @Override
    public void clear() {
        lock.lock();
        try {
            reads.drainTo(applyRead);
            order.clear();
        } finally {
            lock.unlock();
        }
    }

    /** Applies the buffered reads. */
    @Override
    public void drain() {
        lock.lock();
        try {
            reads.drainTo(applyRead);
        } finally {
            lock.unlock();
        }
    }

    /** The number of entries held strongly. */
    @Override
    public int size() {
        lock.lock();
        try {
            return order.size();
        } finally {
            lock.unlock();
        }
    }

    private void apply(K key) {
        Object h = handle.apply(key);
        V current = store.get(key);
        if (current == null) {
            order.remove(h);
        } else if (order.get(h) != current) { // get() also moves an existing entry to the recent end
            order.put(h, current);
        }
    }
}
