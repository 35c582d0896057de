package dev.refkit.cache;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * A lossy, striped, bounded buffer of read events: many threads offer, one thread at a time (holding the
 * recent tier's lock) drains.
 *
 * <p>Implementation notes. Each stripe is a ring of {@link #STRIPE_CAPACITY} slots with a {@code tail}
 * claimed by CAS by producers and a {@code head} advanced only by the drainer. A producer that loses the
 * CAS drops its event instead of retrying: under contention the access order becomes approximate, but a
 * read never spins or blocks, which is the point. A claimed slot may still be {@code null} for a moment
 * (the producer claimed it but has not stored yet); the drainer stops there and resumes on its next drain.
 * Threads are spread over the stripes by their id, so on a small machine two busy threads usually write to
 * different stripes; the stripes' counters are padded apart so that they do not share a cache line.
 *
 * <p>A full stripe refuses events, and asks its producer to drain only once in {@link #DRAIN_PERIOD}
 * refusals ({@link #DRAIN}); the other refused events are dropped ({@link #DROPPED}). Applying an event to a
 * policy costs more than the read that made it (a lookup, a reordering, a count), so a cache read in a tight
 * loop would otherwise spend most of its time applying its own reads (a drain touches the policy's cold
 * structures: with 16,384 entries and two threads, draining every full stripe made hits 3.3 times slower than
 * without a policy). In such a loop the policy sees a sample instead, {@code STRIPE_CAPACITY} reads in
 * {@code DRAIN_PERIOD}, as Caffeine's buffers drop what their drains cannot keep up with: the first reads
 * after each drain, not a random sample. Events that drain everything are a cache's writes (the loads it
 * installs, puts, removals), {@code cleanUp()} and a memory-sensitive cache's collection notifications: reads
 * between two of them are dropped only when more than a stripe's capacity of them come in between (a stripe
 * is shared by the threads whose ids hash to it), or when two threads race for one slot. A reader that
 * cannot take the lock on its turn to drain gives the turn to the stripe's next refusal.
 */
final class ReadBuffer<E> {
    static final int STRIPE_CAPACITY = 32;
    /** A full stripe asks for a drain once in this many refused events (a power of two). */
    static final int DRAIN_PERIOD = 1 << 16;
    /** {@link #offer}: the event is buffered (or lost to a concurrent producer of the same slot). */
    static final int RECORDED = 0;
    /** {@link #offer}: the stripe was full, and the event is dropped. */
    static final int DROPPED = 1;
    /** {@link #offer}: the stripe was full, and its producer should drain it (then offer again) if it can. */
    static final int DRAIN = 2;
    private static final int SLOT_MASK = STRIPE_CAPACITY - 1;

    private final Stripe<E>[] stripes;
    private final int stripeMask;

    ReadBuffer() {
        int count = Integer.highestOneBit(Math.max(1, Runtime.getRuntime().availableProcessors()) * 2 - 1) * 2;
        count = Math.min(64, Math.max(2, count));
        @SuppressWarnings("unchecked")
        Stripe<E>[] array = (Stripe<E>[]) new Stripe<?>[count];
        stripes = array;
        for (int i = 0; i < count; i++) {
            stripes[i] = new Stripe<>();
        }
        stripeMask = count - 1;
    }

    /**
     * Records {@code event}, or drops it under contention or when the caller's stripe is full.
     *
     * @return {@link #RECORDED}, {@link #DROPPED}, or {@link #DRAIN} when the stripe is full and it is the
     *         caller's turn to drain it
     */
    int offer(E event) {
        return stripe().offer(event);
    }

    /** After {@link #DRAIN} when the caller could not drain: the caller's stripe asks again on its next refusal. */
    void drainRefused() {
        stripe().refused = 0;
    }

    /**
     * The caller's turn to drain, after {@link #DRAIN}: if {@code lock} is free, drains into {@code sink} under it,
     * releases it with {@code unlock} (the policy's own release, which may report what it dropped) and offers
     * {@code event} again; else gives the turn to the stripe's next refusal ({@link #drainRefused}).
     */
    void drainOnTurn(E event, ReentrantLock lock, Consumer<? super E> sink, Runnable unlock) {
        if (lock.tryLock()) {
            try {
                drainTo(sink);
            } finally {
                unlock.run();
            }
            offer(event);
        } else {
            drainRefused();
        }
    }

    /** The calling thread's stripe. */
    private Stripe<E> stripe() {
        @SuppressWarnings("deprecation") // Thread.threadId() arrives in Java 19
        long id = Thread.currentThread().getId();
        return stripes[((int) id * 0x9E3779B9) & stripeMask];
    }

    /** Hands every published event to {@code sink}; only one thread may drain at a time. */
    void drainTo(Consumer<? super E> sink) {
        for (Stripe<E> stripe : stripes) {
            stripe.drainTo(sink);
        }
    }

    /** Padding before the contended counter: keeps it off the cache line of the previous object. */
    abstract static class PadBefore {
        long p00, p01, p02, p03, p04, p05, p06, p07;
    }

    abstract static class Tail extends PadBefore {
        volatile long tail;
        /** Events refused while full; written by producers only, racily (a lost count shifts a drain). */
        int refused;
    }

    abstract static class PadAfter extends Tail {
        long p10, p11, p12, p13, p14, p15, p16, p17;
    }

    static final class Stripe<E> extends PadAfter {
        private static final VarHandle TAIL;
        private static final VarHandle HEAD;

        static {
            try {
                TAIL = MethodHandles.lookup().findVarHandle(Tail.class, "tail", long.class);
                HEAD = MethodHandles.lookup().findVarHandle(Stripe.class, "head", long.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private final AtomicReferenceArray<E> slots = new AtomicReferenceArray<>(STRIPE_CAPACITY);
        @SuppressWarnings("unused") // accessed through HEAD; written by the drainer only
        private long head;

        int offer(E event) {
            long t = tail;
            if (t - (long) HEAD.getAcquire(this) >= STRIPE_CAPACITY) {
                return (refused++ & (DRAIN_PERIOD - 1)) == 0 ? DRAIN : DROPPED;
            }
            if (TAIL.compareAndSet(this, t, t + 1)) {
                slots.setRelease((int) t & SLOT_MASK, event);
            }
            return RECORDED;
        }

        void drainTo(Consumer<? super E> sink) {
            long h = (long) HEAD.getOpaque(this);
            long t = tail;
            while (h < t) {
                int index = (int) h & SLOT_MASK;
                E event = slots.getAcquire(index);
                if (event == null) {
                    return; // claimed but not yet stored: picked up by a later drain
                }
                slots.setPlain(index, null);
                h++;
                HEAD.setRelease(this, h); // before the sink runs, so that a throwing sink loses one event only
                sink.accept(event);
            }
        }
    }
}
