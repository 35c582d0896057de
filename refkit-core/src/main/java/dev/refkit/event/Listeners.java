package dev.refkit.event;

import java.lang.System.Logger.Level;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.lang.reflect.UndeclaredThrowableException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * A thread-safe registry of listeners for events of type {@code E}, which cannot keep its subscribers alive.
 *
 * <pre>{@code
 * Listeners<PriceChanged> priceListeners = Listeners.create();
 *
 * // in the subscriber: the owner is held weakly, the handler receives it
 * subscription = priceListeners.subscribe(this, (self, event) -> self.onPrice(event));
 * // or: priceListeners.subscribe(this, Ticker::onPrice);
 *
 * priceListeners.publish(new PriceChanged("ACME", 42));
 * }</pre>
 *
 * <p>{@link #subscribe(Object, BiConsumer)} holds the <em>owner</em> weakly and the <em>handler</em> strongly;
 * once the owner is collected, its subscription stops and is removed from the registry. Handlers that capture
 * the owner are rejected, because they would hold it strongly (see {@link WeakMethod#of} for the exact rule
 * and its blind spots). {@link #subscribeStrongly(Consumer)} is for listeners that have no owner to outlive
 * them; they stay until their subscription is closed.
 *
 * <p><b>Delivery.</b> {@link #publish} delivers an event synchronously, on the calling thread, to the listeners
 * subscribed when it starts, in the order they subscribed. A listener subscribed during a publish does not
 * receive that event; a listener whose subscription is closed during a publish receives nothing more, not
 * even later in that same publish; a listener whose owner has been collected receives nothing. Publishes on
 * different threads run concurrently. A publish allocates nothing unless a listener throws; it walks an array
 * snapshot and pays, once per publish, one fenced store that lets {@link Subscription#close()} keep its
 * promise.
 *
 * <p><b>Failures.</b> An exception thrown by one listener does not stop delivery to the others. After all
 * deliveries, the exceptions of that publish go to the {@link ErrorHandler}: by default one
 * {@link System.Logger} warning each ({@link ErrorHandler#logging()}); with {@link ErrorHandler#rethrowing()},
 * the first is rethrown from {@code publish} with the others as suppressed exceptions. A
 * {@link VirtualMachineError} ({@code OutOfMemoryError}, {@code StackOverflowError}) is not isolated: it
 * propagates at once.
 *
 * <p><b>Warning:</b> {@link Subscription#close()} keeps its promise that no delivery follows it by waiting
 * for publishes in progress on other threads to finish. Never close a subscription while holding a lock that
 * a listener of the same registry may need, or while a listener waits for the closing thread. Closes made
 * from inside listeners are safe: the wait skips threads that are themselves closing a subscription, so two
 * listeners closing each other's subscriptions from two threads do not deadlock.
 *
 * <p>Stale subscriptions (owner collected) are found through a {@link ReferenceQueue} and removed on
 * {@link #subscribe}, {@link #publish} and {@link #size()}; no background thread is involved.
 *
 * @param <E> the type of the events
 */
public final class Listeners<E> {

    /*
     * Implementation notes.
     *
     * Registrations live in a copy-on-write array, replaced under `lock` by subscribe, close and expunging;
     * publish reads it once (the snapshot) and walks it without allocating. Each registration is itself the
     * WeakReference to its owner, registered with `collected`; expungeStale() runs only when that queue is
     * not empty, so finding dead subscriptions never scans the array.
     *
     * The hard promise is Subscription's: once close() returns, the listener receives no further event, not
     * even from a publish already under way on another thread. A publisher checks `closed` and then calls the
     * listener; a close that merely set `closed` could return between the two. So close() also waits until
     * every publish that might have passed the check has finished. To know which, each thread that publishes
     * has a Publisher slot in `publishers`, whose `seq` is odd while that thread is inside publish():
     *
     *   publisher: seq = odd (volatile store) ... read closed (volatile) ... call ... seq = even (release)
     *   closer:    closed = true (CAS)        ... read seq (volatile) and wait while odd and unchanged
     *
     * Volatile accesses are totally ordered, so either the publisher reads closed == true, or the closer's
     * read of seq comes after the publisher's odd store and the closer waits for the even one, which
     * happens-after the call. `seq` counts up, so a closer never waits for a later publish (no starvation),
     * and a publish costs one fenced store and one release store whatever the number of listeners.
     *
     * Waiting could deadlock when the publisher is itself closing a subscription from inside a listener and
     * waiting for the closer's thread. Every thread that closes sets its CloseState.closing (volatile, before
     * it reads any seq); a closer does not wait for a thread whose flag is set. That is safe: such a thread is
     * inside a listener call, not between a check and a call, and its later checks happen-after this closer's
     * CAS (it cleared its flag after this closer saw it set). Its own listener call may still be running when
     * close() returns; no new one starts. A thread never waits for itself.
     *
     * A Publisher does not refer to its Listeners (it is a ThreadLocal value), and slots of ended threads are
     * pruned when a new thread registers. `recentPublisher` caches the slot of the first thread that
     * published, read racily through its final `thread` field: it spares that thread the ThreadLocal lookup.
     * It is written once, not on every miss, so that threads publishing at once do not keep writing the
     * cache line that holds `registrations`.
     */

    private static final System.Logger LOG = System.getLogger(Listeners.class.getName());
    private static final Registration<?>[] NO_REGISTRATIONS = new Registration<?>[0];
    private static final Publisher[] NO_PUBLISHERS = new Publisher[0];
    private static final ThreadLocal<CloseState> CLOSE_STATE = ThreadLocal.withInitial(CloseState::new);

    private final ErrorHandler<? super E> errorHandler;
    private final Object lock = new Object();
    private final ReferenceQueue<Object> collected = new ReferenceQueue<>();
    private final ThreadLocal<Publisher> publisherOfThread = new ThreadLocal<>();
    private volatile Registration<E>[] registrations = emptyRegistrations();
    private volatile Publisher[] publishers = NO_PUBLISHERS;
    private Publisher recentPublisher;

    private Listeners(ErrorHandler<? super E> errorHandler) {
        this.errorHandler = errorHandler;
    }

    /**
     * An empty registry whose listener failures are logged ({@link ErrorHandler#logging()}).
     *
     * @param <E> the type of events
     * @return a new registry
     */
    public static <E> Listeners<E> create() {
        return new Listeners<>(ErrorHandler.logging());
    }

    /**
     * An empty registry whose listener failures go to {@code errorHandler}, once per publish that had any.
     *
     * @param <E> the type of events
     * @param errorHandler receives the failures of each publish
     * @return a new registry
     * @throws NullPointerException if {@code errorHandler} is null
     */
    public static <E> Listeners<E> create(ErrorHandler<? super E> errorHandler) {
        return new Listeners<>(Objects.requireNonNull(errorHandler, "errorHandler"));
    }

    /**
     * Subscribes {@code handler}, called with the owner and each event, for as long as {@code owner} is alive
     * and the subscription is open: {@code subscribe(this, (self, event) -> self.onEvent(event))} or
     * {@code subscribe(this, Owner::onEvent)}.
     *
     * <p>The owner is held weakly: this registry never keeps it alive. The handler is held strongly, with
     * everything it captures, until the subscription is closed or the owner collected; it must not capture the
     * owner, and is rejected if it does by the rule that {@link WeakMethod#of} states (in short: a lambda using
     * {@code this} or the owner's variable, a bound {@code owner::onEvent}, an inner or anonymous class of the
     * owner's, a composite such as {@code owner.andThen(...)}, or a callback that reaches the owner through the
     * lambdas it captures). The same handler may be subscribed more than once, and then receives each event
     * once per subscription.
     *
     * <p><b>Warning:</b> keep the owner reachable from something else for as long as events should arrive; an
     * owner that is referred to only by the code that subscribed it is collected, and its subscription ends
     * silently.
     *
     * @param <O> the owner's type
     * @param owner the object the subscription belongs to, held weakly
     * @param handler called with the owner and each event; must not capture the owner
     * @return the subscription; it need not be kept, since the owner's collection ends it
     * @throws IllegalArgumentException if the handler captures the owner
     * @throws NullPointerException     if an argument is null
     */
    public <O> Subscription subscribe(O owner, BiConsumer<? super O, ? super E> handler) {
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(handler, "handler");
        String name = owner.getClass().getSimpleName();
        CaptureGuard.requireNotCapturing("Listeners.subscribe", "handler", owner, handler,
                "listeners.subscribe(owner, (self, event) -> self.onEvent(event)) or listeners.subscribe(owner, "
                        + (name.isEmpty() ? "Owner" : name) + "::onEvent)");
        @SuppressWarnings("unchecked")
        BiConsumer<Object, ? super E> untyped = (BiConsumer<Object, ? super E>) handler;
        try {
            return add(new Registration<>(this, owner, untyped, collected));
        } finally {
            Reference.reachabilityFence(owner);
        }
    }

    /**
     * Subscribes {@code listener}, held strongly, until the returned subscription is closed.
     *
     * <p><b>Warning:</b> the listener, and everything it captures, stays reachable from this registry until
     * {@link Subscription#close()}; a listener that captures an object keeps that object alive. For a listener
     * that belongs to an object, use {@link #subscribe(Object, BiConsumer)}.
     *
     * @param listener called with each event
     * @return the subscription, to close
     * @throws NullPointerException if {@code listener} is null
     */
    public Subscription subscribeStrongly(Consumer<? super E> listener) {
        return add(new Registration<>(this, Objects.requireNonNull(listener, "listener")));
    }

    /**
     * Delivers {@code event} to every listener subscribed now, in subscription order, on the calling thread;
     * see the class documentation for what a listener that is closed, collected or failing receives.
     *
     * @param event the event; not null
     * @throws NullPointerException if {@code event} is null
     * @throws RuntimeException     or {@link Error}: whatever the error handler throws, after all deliveries
     */
    public void publish(E event) {
        Objects.requireNonNull(event, "event");
        expungeStale();
        Registration<E>[] snapshot = registrations;
        if (snapshot.length == 0) {
            return;
        }
        Publisher publisher = publisher();
        List<Throwable> failures = null;
        publisher.enter();
        try {
            for (Registration<E> registration : snapshot) {
                if (registration.closed) {
                    continue;
                }
                try {
                    registration.deliver(event);
                } catch (VirtualMachineError e) {
                    throw e;
                } catch (Throwable e) {
                    if (failures == null) {
                        failures = new ArrayList<>(2);
                    }
                    failures.add(e);
                }
            }
        } finally {
            publisher.exit();
        }
        if (failures != null) {
            errorHandler.handle(event, Collections.unmodifiableList(failures));
        }
    }

    /**
     * The number of subscriptions not yet closed and not yet found stale. Subscriptions whose owner has been
     * collected are removed first, as far as the collector has reported them; an owner that was collected a
     * moment ago may still be counted.
     *
     * @return the number of open subscriptions, perhaps counting some whose owner was just collected
     */
    public int size() {
        expungeStale();
        return registrations.length;
    }

    @Override
    public String toString() {
        return "Listeners[" + registrations.length + " subscriptions]";
    }

    private Subscription add(Registration<E> registration) {
        expungeStale();
        synchronized (lock) {
            Registration<E>[] current = registrations;
            Registration<E>[] grown = Arrays.copyOf(current, current.length + 1);
            grown[current.length] = registration;
            registrations = grown;
        }
        return registration;
    }

    private void remove(Registration<E> registration) {
        synchronized (lock) {
            Registration<E>[] current = registrations;
            for (int i = 0; i < current.length; i++) {
                if (current[i] == registration) {
                    Registration<E>[] shrunk = Arrays.copyOf(current, current.length - 1);
                    System.arraycopy(current, i + 1, shrunk, i, current.length - i - 1);
                    registrations = shrunk;
                    return;
                }
            }
        }
    }

    /** Removes the subscriptions whose owner the collector has reported collected. */
    private void expungeStale() {
        if (collected.poll() == null) {
            return;
        }
        synchronized (lock) {
            while (collected.poll() != null) {
                // drained: every reported registration has a cleared referent, which the filter below removes
            }
            Registration<E>[] current = registrations;
            Registration<E>[] kept = emptyRegistrations(current.length);
            int count = 0;
            for (Registration<E> registration : current) {
                if (!registration.isStale()) {
                    kept[count++] = registration;
                }
            }
            if (count != current.length) {
                registrations = Arrays.copyOf(kept, count);
            }
        }
    }

    private Publisher publisher() {
        Thread current = Thread.currentThread();
        Publisher publisher = recentPublisher;
        if (publisher != null && publisher.thread == current) {
            return publisher;
        }
        publisher = publisherOfThread.get();
        if (publisher == null) {
            publisher = new Publisher(current, CLOSE_STATE.get());
            synchronized (lock) {
                List<Publisher> live = new ArrayList<>(publishers.length + 1);
                for (Publisher other : publishers) {
                    if (other.thread.isAlive()) {
                        live.add(other);
                    }
                }
                live.add(publisher);
                publishers = live.toArray(NO_PUBLISHERS);
            }
            publisherOfThread.set(publisher);
            if (recentPublisher == null) {
                recentPublisher = publisher;
            }
        }
        return publisher;
    }

    /** Waits until no other thread can still deliver to a subscription this thread has just closed. */
    private void awaitPublishesInProgress() {
        Publisher[] current = publishers;
        if (current.length == 0) {
            return;
        }
        Thread self = Thread.currentThread();
        CloseState mine = CLOSE_STATE.get();
        boolean wasClosing = mine.closing;
        boolean interrupted = false;
        mine.closing = true;
        try {
            for (Publisher publisher : current) {
                if (publisher.thread == self) {
                    continue;
                }
                long seq = publisher.seq;
                for (int attempt = 0; (seq & 1) != 0 && publisher.seq == seq && !publisher.closeState.closing;
                        attempt++) {
                    if (attempt < 100) {
                        Thread.onSpinWait();
                    } else if (attempt < 200) {
                        Thread.yield();
                    } else {
                        LockSupport.parkNanos(Math.min(1_000_000L, 1_000L << Math.min(attempt - 200, 10)));
                        interrupted |= Thread.interrupted(); // an interrupt would make parkNanos return at once
                    }
                }
            }
        } finally {
            mine.closing = wasClosing;
            if (interrupted) {
                self.interrupt();
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static <E> Registration<E>[] emptyRegistrations() {
        return (Registration<E>[]) NO_REGISTRATIONS;
    }

    @SuppressWarnings("unchecked")
    private static <E> Registration<E>[] emptyRegistrations(int length) {
        return (Registration<E>[]) new Registration<?>[length];
    }

    /**
     * What a registry does with the exceptions its listeners threw during one publish.
     *
     * @param <E> the type of the events
     */
    @FunctionalInterface
    public interface ErrorHandler<E> {

        /**
         * Called once per publish in which any listener threw, after every listener has had the event, on the
         * publishing thread. What this method throws propagates from {@link Listeners#publish}.
         *
         * @param event    the event being published
         * @param failures what the listeners threw, in delivery order; never empty, not modifiable
         */
        void handle(E event, List<Throwable> failures);

        /**
         * Logs each failure as a {@link System.Logger} warning (logger {@code dev.refkit.event.Listeners}).
         *
         * @param <E> the type of events
         * @return the handler that logs
         */
        @SuppressWarnings("unchecked")
        static <E> ErrorHandler<E> logging() {
            return (ErrorHandler<E>) Handlers.LOGGING;
        }

        /**
         * Rethrows the first failure after all deliveries, with the others added to it as suppressed
         * exceptions. A checked exception (thrown by a listener that hid it from the compiler) is wrapped in an
         * {@link UndeclaredThrowableException}.
         *
         * @param <E> the type of events
         * @return the handler that rethrows
         */
        @SuppressWarnings("unchecked")
        static <E> ErrorHandler<E> rethrowing() {
            return (ErrorHandler<E>) Handlers.RETHROWING;
        }
    }

    /** The two standard error handlers, shared by all registries. */
    private static final class Handlers {
        static final ErrorHandler<Object> LOGGING = (event, failures) -> {
            for (Throwable failure : failures) {
                LOG.log(Level.WARNING, () -> "A listener threw on event " + event
                        + "; the other listeners received the event", failure);
            }
        };

        static final ErrorHandler<Object> RETHROWING = (event, failures) -> {
            Throwable first = failures.get(0);
            for (Throwable other : failures.subList(1, failures.size())) {
                if (other != first) {
                    first.addSuppressed(other);
                }
            }
            if (first instanceof RuntimeException e) {
                throw e;
            }
            if (first instanceof Error e) {
                throw e;
            }
            throw new UndeclaredThrowableException(first, "A listener threw a checked exception on event " + event);
        };
    }

    /** One subscription: the weak reference to its owner (none for a strong one) and the code to call. */
    private static final class Registration<E> extends WeakReference<Object> implements Subscription {
        private static final VarHandle CLOSED;

        static {
            try {
                CLOSED = MethodHandles.lookup().findVarHandle(Registration.class, "closed", boolean.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private final Listeners<E> registry;
        private final BiConsumer<Object, ? super E> handler;
        private final Consumer<? super E> listener;
        volatile boolean closed;

        Registration(Listeners<E> registry, Object owner, BiConsumer<Object, ? super E> handler,
                     ReferenceQueue<Object> collected) {
            super(owner, collected);
            this.registry = registry;
            this.handler = handler;
            this.listener = null;
        }

        Registration(Listeners<E> registry, Consumer<? super E> listener) {
            super(null);
            this.registry = registry;
            this.handler = null;
            this.listener = listener;
        }

        void deliver(E event) {
            Consumer<? super E> strong = listener;
            if (strong != null) {
                strong.accept(event);
                return;
            }
            Object owner = get();
            if (owner != null) {
                handler.accept(owner, event);
            }
        }

        boolean isStale() {
            return listener == null && refersTo(null);
        }

        @Override
        public boolean isActive() {
            return !closed && !isStale();
        }

        @Override
        public void close() {
            if (CLOSED.compareAndSet(this, false, true)) {
                registry.remove(this);
                clear(); // a closed subscription has nothing left to report to the queue
            }
            registry.awaitPublishesInProgress();
        }

        @Override
        public String toString() {
            String state = closed ? "closed" : isStale() ? "owner collected" : "active";
            if (listener != null) {
                return "Subscription[strong " + listener + ", " + state + "]";
            }
            Object owner = get();
            return "Subscription[weak owner " + (owner == null ? "-" : owner.getClass().getName() + "@"
                    + Integer.toHexString(System.identityHashCode(owner))) + ", " + state + "]";
        }
    }

    /** A thread's slot in one registry; see the implementation notes. */
    private static final class Publisher {
        private static final VarHandle SEQ;

        static {
            try {
                SEQ = MethodHandles.lookup().findVarHandle(Publisher.class, "seq", long.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        final Thread thread;
        final CloseState closeState;
        volatile long seq;
        private int depth; // nesting of publishes on this registry; touched by `thread` only

        Publisher(Thread thread, CloseState closeState) {
            this.thread = thread;
            this.closeState = closeState;
        }

        void enter() {
            if (depth++ == 0) {
                seq = seq + 1; // odd; a volatile store, ordered before the loads of `closed` that follow
            }
        }

        void exit() {
            if (--depth == 0) {
                SEQ.setRelease(this, seq + 1); // even; everything delivered happens-before it
            }
        }
    }

    /** Whether a thread is inside {@link Registration#close()}; one per thread, shared by all registries. */
    private static final class CloseState {
        volatile boolean closing;
    }
}
