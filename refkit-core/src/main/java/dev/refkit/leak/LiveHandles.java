package dev.refkit.leak;

import java.util.ArrayList;
import java.util.List;

/**
 * The open handles of one tracker, kept strongly reachable so that each outlives its resource.
 *
 * <p>Implementation notes. The set is striped: a handle is linked into an intrusive doubly-linked list
 * (its own {@code prev} / {@code next} fields, so linking allocates nothing) of one stripe, chosen by the
 * tracking thread, and every change to a stripe holds that stripe's lock only. Threads that track at the
 * same time mostly take different locks; closing on another thread takes the lock of the handle's stripe,
 * which the handle remembers. A handle is linked iff it is the head of its stripe or has a {@code prev}.
 */
final class LiveHandles {

    private final Stripe[] stripes;
    private final int mask;

    LiveHandles() {
        int wanted = Math.max(4, Math.min(64, Runtime.getRuntime().availableProcessors() * 4));
        int count = Integer.highestOneBit(wanted - 1) << 1; // the power of two at or above wanted
        stripes = new Stripe[count];
        for (int i = 0; i < count; i++) {
            stripes[i] = new Stripe();
        }
        mask = count - 1;
    }

    /** The stripe of the current thread, for a handle about to be created. */
    Stripe stripeForCurrentThread() {
        return stripes[(int) Thread.currentThread().getId() & mask];
    }

    void add(TrackedResource handle) {
        Stripe stripe = handle.stripe;
        synchronized (stripe) {
            TrackedResource head = stripe.head;
            handle.next = head;
            if (head != null) {
                head.prev = handle;
            }
            stripe.head = handle;
        }
    }

    void remove(TrackedResource handle) {
        Stripe stripe = handle.stripe;
        synchronized (stripe) {
            if (handle.prev == null && stripe.head != handle) {
                return;
            }
            TrackedResource prev = handle.prev;
            TrackedResource next = handle.next;
            if (prev == null) {
                stripe.head = next;
            } else {
                prev.next = next;
            }
            if (next != null) {
                next.prev = prev;
            }
            handle.prev = null;
            handle.next = null;
        }
    }

    /** The open handles at some moment during the call. */
    List<TrackedResource> open() {
        List<TrackedResource> open = new ArrayList<>();
        for (Stripe stripe : stripes) {
            synchronized (stripe) {
                for (TrackedResource handle = stripe.head; handle != null; handle = handle.next) {
                    if (handle.isOpen()) {
                        open.add(handle);
                    }
                }
            }
        }
        return open;
    }

    /** One list of handles and its lock. */
    static final class Stripe {
        TrackedResource head;
    }
}
