package dev.refkit.leak;

import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * Finds resources that became unreachable without being closed: connections, buffers, sessions,
 * anything with a {@code close()} that must be called.
 *
 * <p>A resource hands itself to {@link #track(Object)} when it is opened, keeps the returned {@link Tracked}
 * handle in a field, and closes the handle in its own {@code close()}:
 *
 * <pre>{@code
 * final class Connection implements AutoCloseable {
 *     private static final ResourceTracker<Connection> TRACKER = ResourceTracker.create("db-connections");
 *     private final Tracked tracked = TRACKER.track(this);
 *
 *     public void close() {
 *         tracked.close();
 *         socket.close();
 *     }
 * }
 * }</pre>
 *
 * <p>If the collector finds a tracked resource unreachable while its handle is open, the tracker reports
 * a {@link ResourceLeak}: its name, the resource's class and, at {@link Level#ALL_WITH_TRACES}, where the
 * resource was tracked and where it was used ({@link Tracked#record(Object)}). Reports with the same
 * allocation site (the same resource class, without traces) are made once per tracker. They go to the
 * listeners (by default a {@code System.Logger} warning under this class's name) and, when Java Flight
 * Recorder is recording, as a {@code dev.refkit.ResourceLeak} event.
 *
 * <p>Leaks are detected from the tracker's reference queue: on each tracked {@code track()} call, on
 * {@link #checkNow()}, and, when the builder asked for it, continuously on a daemon thread (for programs
 * that stop tracking new resources). A leak is seen only after the collector has found the resource
 * unreachable, which may be long after it was dropped.
 *
 * <p>Cost: at {@link Level#DISABLED}, and for resources {@link Level#SAMPLED} passes over, {@code track}
 * allocates nothing and returns a shared no-op handle. A tracked resource costs one handle object (a weak
 * reference) and two uncontended lock acquisitions (open and close) on one of several striped lists; traces
 * add a stack trace per {@code track} and per {@code record}.
 *
 * @param <T> the type of the tracked resources
 */
public final class ResourceTracker<T> {

    /**
     * The system property that chooses the level of trackers created without one: {@code DISABLED},
     * {@code SAMPLED}, {@code ALL} or {@code ALL_WITH_TRACES} (any case). Unset, they sample.
     */
    public static final String LEVEL_PROPERTY = "refkit.leak.level";

    /**
     * The system property that sets the sampling interval of trackers created without one; unset, it is
     * {@value #DEFAULT_SAMPLING_INTERVAL}.
     */
    public static final String SAMPLING_INTERVAL_PROPERTY = "refkit.leak.samplingInterval";

    /** At {@link Level#SAMPLED}, one resource in this many is tracked unless another interval is set. */
    public static final int DEFAULT_SAMPLING_INTERVAL = 128;

    /** How many uses a handle keeps, unless the builder sets another bound: the first and three recent. */
    public static final int DEFAULT_MAX_ACCESS_POINTS = 4;

    private static final System.Logger LOG = System.getLogger(ResourceTracker.class.getName());

    /** How much a tracker tracks, from nothing to everything with stack traces. */
    public enum Level {
        /** Tracks nothing: {@code track} returns a no-op handle and costs a branch. */
        DISABLED,
        /**
         * Tracks one resource in N, chosen at random (N is the sampling interval, 128 by default), without
         * traces. Cheap enough to leave on in production: a leak that happens often is found, one that
         * happens once may not be.
         */
        SAMPLED,
        /** Tracks every resource, without traces: reports name the resource class only. */
        ALL,
        /**
         * Tracks every resource with the stack trace of its allocation and of its recorded uses. For tests
         * and for hunting a leak that was reported; taking stack traces is expensive.
         */
        ALL_WITH_TRACES
    }

    private final String name;
    private final Level level;
    private final int samplingInterval;
    private final int maxAccessPoints;
    private final boolean disabled;
    private final boolean sampled;
    private final boolean traces;
    private final List<Consumer<? super ResourceLeak>> listeners;

    private final ReferenceQueue<Object> queue = new ReferenceQueue<>();
    private final LiveHandles live = new LiveHandles();
    /**
     * The allocation sites already reported (the resource class names, without traces). It grows with the
     * number of distinct sites that leak, which code bounds.
     */
    private final Set<String> reportedSites = ConcurrentHashMap.newKeySet();
    private volatile Thread backgroundCheck;

    private ResourceTracker(Builder builder) {
        this.name = builder.name;
        this.level = builder.level != null ? builder.level : levelFromProperty();
        this.samplingInterval = builder.samplingInterval > 0 ? builder.samplingInterval : samplingIntervalFromProperty();
        this.maxAccessPoints = builder.maxAccessPoints;
        this.disabled = level == Level.DISABLED;
        this.sampled = level == Level.SAMPLED && samplingInterval > 1;
        this.traces = level == Level.ALL_WITH_TRACES;
        this.listeners = List.copyOf(builder.listeners);
    }

    /**
     * A tracker at the level the system property {@value #LEVEL_PROPERTY} names ({@link Level#SAMPLED} when
     * it is unset). Libraries should create their trackers this way, so that the application chooses.
     *
     * @param <T> the type of the resources
     * @param name what the tracked resources are ("db-connections"); it heads every report
     * @return a new tracker
     * @throws IllegalStateException if the system property names no level
     */
    public static <T> ResourceTracker<T> create(String name) {
        return builder(name).build();
    }

    /**
     * A tracker at the given level, whatever the system property says.
     *
     * @param <T> the type of the resources
     * @param name what the tracked resources are ("db-connections"); it heads every report
     * @param level how much to track
     * @return a new tracker
     */
    public static <T> ResourceTracker<T> create(String name, Level level) {
        return builder(name).level(level).build();
    }

    /**
     * A builder for a tracker with other options.
     *
     * @param name what the tracked resources are; it heads every report
     * @return a new builder
     */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /**
     * Starts tracking {@code resource}, which must later be closed with the returned handle.
     *
     * <p>Unless the resource is passed over (level {@code DISABLED}, or not sampled), this also reports the
     * leaks that the collector has found since the last check, on this thread.
     *
     * @param resource the resource; not null
     * @return the handle to record uses and to close; a shared no-op handle when not tracking
     */
    public Tracked track(T resource) {
        Objects.requireNonNull(resource, "resource");
        if (disabled || (sampled && ThreadLocalRandom.current().nextInt(samplingInterval) != 0)) {
            return UntrackedResource.INSTANCE;
        }
        expungeLeaked();
        TrackedResource handle = new TrackedResource(resource, this, queue, live.stripeForCurrentThread(), traces);
        live.add(handle);
        return handle;
    }

    /**
     * Reports, on this thread, the leaks that the collector has found so far. It does not ask the collector
     * to run: a resource dropped since the last collection is found by a later check.
     *
     * @return how many leaked resources were found, including those whose report was a duplicate
     */
    public int checkNow() {
        return expungeLeaked();
    }

    /**
     * The resources tracked and not yet closed, as reports, whether or not they are still reachable;
     * resources already reported as leaked are not among them. For tests, which can demand that everything
     * they opened was closed.
     *
     * @return a report for each resource tracked and not closed
     */
    public List<ResourceLeak> unclosed() {
        List<ResourceLeak> unclosed = new ArrayList<>();
        for (TrackedResource handle : live.open()) {
            unclosed.add(handle.report());
        }
        return unclosed;
    }

    /** {@return the name that heads this tracker's reports} */
    public String name() {
        return name;
    }

    /** {@return the level this tracker runs at} */
    public Level level() {
        return level;
    }

    /** {@return the sampling interval: at {@link Level#SAMPLED}, one resource in this many is tracked} */
    public int samplingInterval() {
        return samplingInterval;
    }

    /** How many uses each handle keeps at most: the first and the most recent ones. */
    int maxAccessPoints() {
        return maxAccessPoints;
    }

    /**
     * Stops the daemon thread that the builder's {@link Builder#checkInBackground()} started, if any;
     * tracking goes on, and leaks are still found on {@code track} and {@link #checkNow()}.
     */
    public void stopBackgroundCheck() {
        Thread thread = backgroundCheck;
        if (thread != null) {
            backgroundCheck = null;
            thread.interrupt();
        }
    }

    @Override
    public String toString() {
        return "ResourceTracker[" + name + ", " + level
                + (level == Level.SAMPLED ? " 1 in " + samplingInterval : "") + "]";
    }

    void closed(TrackedResource handle) {
        live.remove(handle);
    }

    private int expungeLeaked() {
        int found = 0;
        Reference<?> ref;
        while ((ref = queue.poll()) != null) {
            if (leaked((TrackedResource) ref)) {
                found++;
            }
        }
        return found;
    }

    private boolean leaked(TrackedResource handle) {
        if (!handle.markLeaked()) {
            return false;
        }
        live.remove(handle);
        ResourceLeak leak = handle.report();
        String site = leak.allocationSite().isEmpty() ? leak.resourceClass().getName() : leak.allocationSite();
        if (reportedSites.add(site)) {
            announce(leak);
        }
        return true;
    }

    private void announce(ResourceLeak leak) {
        LeakEvents.resourceLeak(leak);
        if (listeners.isEmpty()) {
            LOG.log(System.Logger.Level.WARNING, leak.toString());
            return;
        }
        for (Consumer<? super ResourceLeak> listener : listeners) {
            try {
                listener.accept(leak);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "a ResourceTracker listener of " + name + " failed", e);
            }
        }
    }

    private void startBackgroundCheck() {
        Thread thread = new Thread(this::checkUntilStopped, "refkit-leak-check-" + name);
        thread.setDaemon(true);
        backgroundCheck = thread;
        thread.start();
    }

    private void checkUntilStopped() {
        Thread self = Thread.currentThread();
        while (backgroundCheck == self) {
            try {
                Reference<?> ref = queue.remove();
                leaked((TrackedResource) ref);
                expungeLeaked();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "the background leak check of " + name + " failed", e);
            }
        }
    }

    private static Level levelFromProperty() {
        String value = System.getProperty(LEVEL_PROPERTY);
        if (value == null || value.isBlank()) {
            return Level.SAMPLED;
        }
        try {
            return Level.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("system property " + LEVEL_PROPERTY + " is \"" + value
                    + "\"; set it to DISABLED, SAMPLED, ALL or ALL_WITH_TRACES, or leave it unset (SAMPLED)");
        }
    }

    private static int samplingIntervalFromProperty() {
        String value = System.getProperty(SAMPLING_INTERVAL_PROPERTY);
        if (value == null || value.isBlank()) {
            return DEFAULT_SAMPLING_INTERVAL;
        }
        try {
            int interval = Integer.parseInt(value.trim());
            if (interval >= 1) {
                return interval;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalStateException("system property " + SAMPLING_INTERVAL_PROPERTY + " is \"" + value
                + "\"; set it to a whole number from 1 (track every resource) up, or leave it unset ("
                + DEFAULT_SAMPLING_INTERVAL + ")");
    }

    /** Options of a {@link ResourceTracker}; every option has a default. */
    public static final class Builder {
        private final String name;
        private Level level;
        private int samplingInterval;
        private int maxAccessPoints = DEFAULT_MAX_ACCESS_POINTS;
        private boolean background;
        private final List<Consumer<? super ResourceLeak>> listeners = new ArrayList<>();

        private Builder(String name) {
            Objects.requireNonNull(name, "name");
            if (name.isBlank()) {
                throw new IllegalArgumentException("a tracker's name heads its reports; give a non-blank "
                        + "name that says what is tracked (\"db-connections\")");
            }
            this.name = name;
        }

        /**
         * The level; unset, the system property {@value ResourceTracker#LEVEL_PROPERTY} chooses it
         * ({@code SAMPLED} if unset).
         *
         * @param level how much to track
         * @return this builder
         */
        public Builder level(Level level) {
            this.level = Objects.requireNonNull(level, "level");
            return this;
        }

        /**
         * At {@link Level#SAMPLED}, track one resource in {@code interval}; unset, the system property
         * {@value ResourceTracker#SAMPLING_INTERVAL_PROPERTY} chooses it
         * ({@value ResourceTracker#DEFAULT_SAMPLING_INTERVAL} if unset).
         *
         * @param interval 1 or more
         * @return this builder
         */
        public Builder samplingInterval(int interval) {
            if (interval < 1) {
                throw new IllegalArgumentException("samplingInterval is " + interval
                        + "; give 1 (track every resource) or more (track one in that many)");
            }
            this.samplingInterval = interval;
            return this;
        }

        /**
         * How many recorded uses each handle keeps (default {@value ResourceTracker#DEFAULT_MAX_ACCESS_POINTS}): the first
         * one and the most recent ones; 0 keeps none.
         *
         * @param max zero or more
         * @return this builder
         */
        public Builder maxAccessPoints(int max) {
            if (max < 0) {
                throw new IllegalArgumentException("maxAccessPoints is " + max + "; give 0 or more");
            }
            this.maxAccessPoints = max;
            return this;
        }

        /**
         * Adds a listener for leak reports, called on the thread that finds the leak. With any listener the
         * default {@code System.Logger} warning is not written. A listener that throws is logged and does
         * not stop the others.
         *
         * @param listener told about each leak
         * @return this builder
         */
        public Builder listener(Consumer<? super ResourceLeak> listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * Also finds leaks on a daemon thread that waits on the tracker's reference queue, so that leaks
         * are reported when the program stops tracking new resources. The thread keeps the tracker
         * reachable until {@link ResourceTracker#stopBackgroundCheck()}.
         *
         * @return this builder
         */
        public Builder checkInBackground() {
            this.background = true;
            return this;
        }

        /**
         * A tracker with these options.
         *
         * @param <T> the type of the resources
         * @return a new tracker
         * @throws IllegalStateException if an option is left to a system property that holds no valid value
         */
        public <T> ResourceTracker<T> build() {
            ResourceTracker<T> tracker = new ResourceTracker<>(this);
            if (background && !tracker.disabled) {
                tracker.startBackgroundCheck();
            }
            return tracker;
        }
    }
}
