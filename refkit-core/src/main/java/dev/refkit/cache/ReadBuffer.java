package dev.refkit.cache;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicReferenceArray;
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
 */
final class ReadBuffer<E> {
    static final int STRIPE_CAPACITY = 32;
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
     * Records {@code event}, or drops it under contention.
     *
     * @return {@code false} if the caller's stripe is full and should be drained
     */
    boolean offer(E event) {
        @SuppressWarnings("deprecation") // Thread.threadId() arrives in Java 19
        long id = Thread.currentThread().getId();
        return stripes[((int) id * 0x9E3779B9) & stripeMask].offer(event);
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

        boolean offer(E event) {
            long t = tail;
            if (t - (long) HEAD.getAcquire(this) >= STRIPE_CAPACITY) {
                return false;
            }
            if (TAIL.compareAndSet(this, t, t + 1)) {
                slots.setRelease((int) t & SLOT_MASK, event);
            }
            return true;
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
