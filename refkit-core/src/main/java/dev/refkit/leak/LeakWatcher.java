package dev.refkit.leak;

import java.io.IOException;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Watches objects that should be collected soon and reports those that stay reachable.
 *
 * <p>Give an object to {@link #expectCollected(Object, String)} at the moment the program is done with it
 * (a view closed, a request finished, a plugin unloaded). The watcher holds it through a
 * {@link KeyedWeakReference} only, so watching never keeps anything alive. {@link #check()} later returns
 * the watched objects that are still reachable after their grace period and after the collector has been
 * asked to run: objects that something still holds although the program meant to let them go.
 *
 * <pre>{@code
 * LeakWatcher watcher = LeakWatcher.builder().gracePeriod(Duration.ofSeconds(5))
 *         .listener(retained -> log.warn("leak: " + retained)).build();
 * watcher.expectCollected(view, "closed settings view");
 * ...
 * List<RetainedObject> retained = watcher.check();
 * }</pre>
 *
 * <p><b>Warning:</b> {@link #check()} calls {@link System#gc()} (a full collection on most collectors)
 * when, and only when, a watched object is past its grace period and not yet collected. That is the price
 * of an answer; call {@code check()} when a pause is acceptable (end of a test, an idle moment, an admin
 * endpoint), not on every request. With {@code -XX:+DisableExplicitGC} the watcher cannot force a
 * collection and may report objects that the next collection would have freed.
 *
 * <p><b>Warning:</b> an object is "retained" if it is reachable from anywhere, including a local variable
 * of a frame still running on some thread and a field of the object that called {@code check()}. Watch
 * objects the caller itself no longer refers to.
 *
 * <p>A watcher is thread-safe. Checks are serialised; watching never waits for a check.
 */
public final class LeakWatcher {

    private static final System.Logger LOG = System.getLogger(LeakWatcher.class.getName());

    /** How many rounds of collect, wait, finalize a check runs at most before it calls an object retained. */
    private static final int COLLECTION_ROUNDS = 3;

    private final Duration gracePeriod;
    private final long gracePeriodNanos;
    private final LongSupplier clock;
    private final long collectionWaitMillis;
    private final List<Consumer<? super RetainedObject>> listeners;

    private final ReferenceQueue<Object> queue = new ReferenceQueue<>();
    /** Watched references by key, from {@code expectCollected} until they are found enqueued. */
    private final Map<String, KeyedWeakReference> watched = new ConcurrentHashMap<>();
    /** Keys already given to the listeners, so that each retained object is told once. */
    private final Set<String> reported = ConcurrentHashMap.newKeySet();
    private final Object checkLock = new Object();

    private LeakWatcher(Builder builder) {
        this.gracePeriod = builder.gracePeriod;
        this.gracePeriodNanos = saturatedNanos(builder.gracePeriod);
        this.clock = builder.clock;
        this.collectionWaitMillis = Math.max(1, builder.collectionWait.toMillis());
        this.listeners = List.copyOf(builder.listeners);
    }

    /** {@return a watcher with the defaults: a 5-second grace period, {@link System#nanoTime()}, no listener} */
    public static LeakWatcher create() {
        return builder().build();
    }

    /** {@return a builder for a watcher with other options} */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts watching {@code object}, which the program expects to be collected soon; returns at once.
     *
     * @param object      the object that should become unreachable
     * @param description what it is, in words that will make sense in a report ("closed view #3")
     * @return the key of the object's {@link KeyedWeakReference}, unique among this watcher's references;
     *         {@link RetainedObject#key()} and heap-dump analysis use it
     */
    public String expectCollected(Object object, String description) {
        Objects.requireNonNull(object, "object: pass the object the program is done with, not null");
        Objects.requireNonNull(description, "description: say what the object is, for the report");
        expungeCollected();
        String key = UUID.randomUUID().toString();
        watched.put(key, new KeyedWeakReference(object, key, description, clock.getAsLong(), queue));
        return key;
    }

    /**
     * Returns the watched objects that are still reachable past their grace period.
     *
     * <p>Collected objects are forgotten first. If any watched object is past its grace period, the
     * collector is asked to run, in at most a few bounded rounds ({@link System#gc()}, a wait of at most
     * the collection wait on the reference queue, {@link System#runFinalization()}), stopping as soon as
     * every overdue object is collected. Objects still reachable then are returned; the listeners hear of
     * each one the first time it is found. An object found retained stays watched: a later check returns
     * it again (without telling the listeners again) until it is collected.
     *
     * @return the retained objects, oldest first; empty when none is overdue or all overdue ones were
     *         collected
     */
    public List<RetainedObject> check() {
        synchronized (checkLock) {
            expungeCollected();
            List<KeyedWeakReference> overdue = overdue(clock.getAsLong());
            if (overdue.isEmpty()) {
                return List.of();
            }
            collectUntilCleared(overdue);
            expungeCollected();
            long now = clock.getAsLong();
            List<RetainedObject> retained = new ArrayList<>();
            for (KeyedWeakReference ref : overdue) {
                if (!ref.refersTo(null) && watched.containsKey(ref.key())) {
                    retained.add(new RetainedObject(ref.key(), ref.description(),
                            Duration.ofNanos(now - ref.watchedAtNanos())));
                }
            }
            for (RetainedObject object : retained) {
                if (reported.add(object.key())) {
                    announce(object);
                }
            }
            return List.copyOf(retained);
        }
    }

    /** {@return how many watched objects are not yet known to be collected (retained, or not yet checked)} */
    public int watchedCount() {
        expungeCollected();
        int count = 0;
        for (KeyedWeakReference ref : watched.values()) {
            if (!ref.refersTo(null)) {
                count++;
            }
        }
        return count;
    }

    /** {@return the grace period after which a watched object that is still reachable counts as retained} */
    public Duration gracePeriod() {
        return gracePeriod;
    }

    /**
     * Writes a heap dump of the live objects of this JVM, through HotSpot's
     * {@code HotSpotDiagnosticMXBean}. The dump contains this watcher's {@link KeyedWeakReference}s, so
     * that an analyzer can find each retained object by its key.
     *
     * <p><b>Warning:</b> dumping stops the JVM for a while (about a second per gigabyte of live heap) and
     * writes a file as large as the live heap.
     *
     * @param path where to write; the name must end with {@code .hprof} and the file must not exist
     * @throws IOException                   if the file cannot be written, or already exists
     * @throws UnsupportedOperationException if this JVM has no {@code HotSpotDiagnosticMXBean} (not
     *                                       HotSpot, or the {@code jdk.management} module is absent)
     */
    public void dumpHeap(Path path) throws IOException {
        HeapDumper.dumpLiveObjects(path);
    }

    /**
     * Whether {@link #explain(Path, Collection)} can run: whether {@code refkit-heap}'s analyzer is on the
     * class path (or module path).
     *
     * @return whether refkit-heap's analyzer can be reached
     */
    public static boolean canExplain() {
        return RetentionExplainer.isAvailable();
    }

    /**
     * Explains, from a heap dump written by {@link #dumpHeap(Path)} after the check that found them, why
     * the given objects are retained: for each, the shortest strong path from a GC root, as the heap
     * analyzer names it ({@code Class.staticField → Type.field → [index] → …}).
     *
     * <p>This needs {@code refkit-heap} on the class path; see {@link #canExplain()}.
     *
     * @param heapDump a dump written after the check that found the objects
     * @param retained the objects to explain, as a check returned them
     * @return the path of each object found in the dump, by {@link RetainedObject#key()}; an object that is
     *         not in the dump (collected before it was written) has no entry
     * @throws UnsupportedOperationException if {@code refkit-heap} is absent
     * @throws IOException                   if the dump cannot be read
     */
    public Map<String, String> explain(Path heapDump, Collection<RetainedObject> retained) throws IOException {
        Objects.requireNonNull(heapDump, "heapDump");
        Set<String> keys = new LinkedHashSet<>();
        for (RetainedObject object : retained) {
            keys.add(object.key());
        }
        return RetentionExplainer.shortestStrongPaths(heapDump, keys);
    }

    @Override
    public String toString() {
        return "LeakWatcher[watched=" + watched.size() + ", gracePeriod=" + gracePeriod + "]";
    }

    private List<KeyedWeakReference> overdue(long now) {
        List<KeyedWeakReference> overdue = new ArrayList<>();
        for (KeyedWeakReference ref : watched.values()) {
            if (now - ref.watchedAtNanos() >= gracePeriodNanos && !ref.refersTo(null)) {
                overdue.add(ref);
            }
        }
        overdue.sort((a, b) -> Long.compare(a.watchedAtNanos(), b.watchedAtNanos()));
        return overdue;
    }

    /*
     * A full collection clears the weak references of every unreachable object before System.gc() returns,
     * so after each System.gc() the references themselves tell whether their objects were collected; the
     * queue is waited on only to give the reference handler and finalizer threads time to run, since an
     * object reachable from a pending finalizer is freed only in a collection after that finalizer ran.
     * The wait returns as soon as anything is enqueued, so no time is spent when nothing is pending.
     */
    private void collectUntilCleared(List<KeyedWeakReference> overdue) {
        for (int round = 0; round < COLLECTION_ROUNDS; round++) {
            System.gc();
            if (allCleared(overdue)) {
                return;
            }
            try {
                Reference<?> enqueued = queue.remove(collectionWaitMillis);
                if (enqueued != null) {
                    forget(enqueued);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            System.runFinalization();
            if (allCleared(overdue)) {
                return;
            }
        }
    }

    private static boolean allCleared(List<KeyedWeakReference> refs) {
        for (KeyedWeakReference ref : refs) {
            if (!ref.refersTo(null)) {
                return false;
            }
        }
        return true;
    }

    /** Drains the reference queue: every enqueued reference is of a collected object. */
    private void expungeCollected() {
        Reference<?> ref;
        while ((ref = queue.poll()) != null) {
            forget(ref);
        }
    }

    private void forget(Reference<?> ref) {
        String key = ((KeyedWeakReference) ref).key();
        watched.remove(key);
        reported.remove(key);
    }

    private void announce(RetainedObject object) {
        LeakEvents.objectRetained(object);
        for (Consumer<? super RetainedObject> listener : listeners) {
            try {
                listener.accept(object);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "a LeakWatcher listener failed on " + object, e);
            }
        }
    }

    private static long saturatedNanos(Duration duration) {
        try {
            return duration.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    /** Options of a {@link LeakWatcher}; every option has a default. */
    public static final class Builder {
        private Duration gracePeriod = Duration.ofSeconds(5);
        private LongSupplier clock = System::nanoTime;
        private Duration collectionWait = Duration.ofMillis(100);
        private final List<Consumer<? super RetainedObject>> listeners = new ArrayList<>();

        private Builder() {
        }

        /**
         * How long a watched object may stay reachable before a check counts it as retained (default 5 s).
         * Zero makes every check look at every watched object; code that lets go of objects late (after
         * an animation, a pending task) needs a longer period.
         *
         * @param gracePeriod zero or more
         * @return this builder
         */
        public Builder gracePeriod(Duration gracePeriod) {
            Objects.requireNonNull(gracePeriod, "gracePeriod");
            if (gracePeriod.isNegative()) {
                throw new IllegalArgumentException("gracePeriod is " + gracePeriod
                        + "; give zero (check at once) or a positive duration");
            }
            this.gracePeriod = gracePeriod;
            return this;
        }

        /**
         * The clock, in nanoseconds with an arbitrary origin like {@link System#nanoTime()} (the default),
         * that dates watches and measures grace periods. Tests give a clock they advance themselves.
         *
         * @param nanoClock the time in nanoseconds
         * @return this builder
         */
        public Builder clock(LongSupplier nanoClock) {
            this.clock = Objects.requireNonNull(nanoClock, "nanoClock");
            return this;
        }

        /**
         * How long each round of a check waits on the reference queue for the reference handler and the
         * finalizers (default 100 ms). A check spends at most three such waits, and only on objects that
         * are really retained; the wait ends early as soon as a reference is enqueued.
         *
         * @param wait more than zero
         * @return this builder
         */
        public Builder collectionWait(Duration wait) {
            Objects.requireNonNull(wait, "wait");
            if (wait.isNegative() || wait.isZero()) {
                throw new IllegalArgumentException("collectionWait is " + wait + "; give a positive duration");
            }
            this.collectionWait = wait;
            return this;
        }

        /**
         * Adds a listener told once about each retained object, on the thread that runs the check that
         * finds it. A listener that throws is logged and does not stop the others.
         *
         * @param listener told about each retained object
         * @return this builder
         */
        public Builder listener(Consumer<? super RetainedObject> listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /** {@return a watcher with these options} */
        public LeakWatcher build() {
            return new LeakWatcher(this);
        }
    }
}
