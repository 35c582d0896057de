package dev.refkit.leak;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;

/**
 * The handle of a tracked resource: a weak reference to it, enqueued on the tracker's queue if the resource
 * is collected while the handle is open.
 *
 * <p>Implementation notes. A handle is in one of three states, and moves only forward, by compare-and-set:
 * OPEN → CLOSED ({@link #close()}) or OPEN → LEAKED ({@link #markLeaked()}, when the reference is dequeued);
 * the one that wins decides whether the resource is reported, so a resource is reported at most once and
 * never after a successful close.
 *
 * <p>The handle must stay strongly reachable for as long as its resource is, or the collector would drop
 * the reference with the resource and the leak would go unseen: an open handle is therefore linked into the
 * tracker's {@link LiveHandles}, and unlinked when it is closed or dequeued. Its links ({@link #prev},
 * {@link #next}) are guarded by the lock of its {@link #stripe}.
 *
 * <p>{@link #close()} first takes a strong reference to the resource with {@link #get()} and fences it to
 * the end: a weak reference is cleared atomically for all its holders, so if {@code get()} returned the
 * resource, the reference cannot be cleared (nor enqueued) before the state is CLOSED. Closing also
 * {@linkplain #clear() clears} the reference, which then is never enqueued: a closed resource costs the
 * collector nothing more. If {@code get()} returned null the resource was already unreachable when close
 * began (nothing kept it alive up to its close): then close and the dequeuing race on the state, and the
 * resource is reported only if the dequeuing wins.
 *
 * <p>Without traces a handle allocates nothing but itself. With traces it keeps its allocation as a
 * {@link Trace} and the recorded uses in an {@link AccessLog} guarded by the handle's own lock.
 */
final class TrackedResource extends WeakReference<Object> implements Tracked {

    private static final int OPEN = 0;
    private static final int CLOSED = 1;
    private static final int LEAKED = 2;
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(TrackedResource.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final ResourceTracker<?> tracker;
    private final Class<?> resourceClass;
    /** Where the resource was tracked; null unless the tracker records traces. */
    private final Trace allocation;
    @SuppressWarnings("unused") // written through STATE
    private volatile int state;

    final LiveHandles.Stripe stripe;
    TrackedResource prev;
    TrackedResource next;

    /** The recorded uses; null until the first. Guarded by {@code this}. */
    private AccessLog accessLog;

    TrackedResource(Object resource, ResourceTracker<?> tracker, ReferenceQueue<Object> queue,
                    LiveHandles.Stripe stripe, boolean traces) {
        super(resource, queue);
        this.tracker = tracker;
        this.resourceClass = resource.getClass();
        this.stripe = stripe;
        this.allocation = traces ? new Trace(null) : null;
    }

    @Override
    public void record(Object hint) {
        if (allocation == null || tracker.maxAccessPoints() == 0 || (int) STATE.getOpaque(this) != OPEN) {
            return;
        }
        Trace use = new Trace(String.valueOf(hint));
        synchronized (this) {
            if (accessLog == null) {
                accessLog = new AccessLog(use, tracker.maxAccessPoints() - 1);
            } else {
                accessLog.add(use);
            }
        }
    }

    @Override
    public void record() {
        record("(no hint)");
    }

    @Override
    public boolean close() {
        Object resource = get();
        try {
            if (!STATE.compareAndSet(this, OPEN, CLOSED)) {
                return false;
            }
            tracker.closed(this);
            clear();
            return true;
        } finally {
            Reference.reachabilityFence(resource);
        }
    }

    @Override
    public boolean isTracking() {
        return true;
    }

    /** Whether the handle is still open (neither closed nor reported). */
    boolean isOpen() {
        return (int) STATE.getVolatile(this) == OPEN;
    }

    /** Moves an open handle to LEAKED; false if it was closed (or reported) first. */
    boolean markLeaked() {
        return STATE.compareAndSet(this, OPEN, LEAKED);
    }

    ResourceLeak report() {
        String allocationSite = allocation == null ? "" : render(allocation);
        List<String> accessPoints = new ArrayList<>();
        long omitted = 0;
        synchronized (this) {
            if (accessLog != null) {
                for (Trace use : accessLog.inOrder()) {
                    accessPoints.add(use.getMessage() + "\n" + render(use));
                }
                omitted = accessLog.omitted;
            }
        }
        return new ResourceLeak(tracker.name(), resourceClass, allocationSite, accessPoints, omitted);
    }

    @Override
    public String toString() {
        return "Tracked[" + resourceClass.getName() + " in " + tracker.name() + ", "
                + switch ((int) STATE.getVolatile(this)) {
                    case OPEN -> "open";
                    case CLOSED -> "closed";
                    default -> "leaked";
                } + "]";
    }

    private static final int MAX_RENDERED_FRAMES = 40;

    /** The trace's frames below the tracker's own, one {@code "\tat frame"} line each. */
    static String render(Trace trace) {
        StackTraceElement[] frames = trace.getStackTrace();
        int first = 0;
        while (first < frames.length && isTrackerFrame(frames[first])) {
            first++;
        }
        StringBuilder text = new StringBuilder();
        int last = Math.min(frames.length, first + MAX_RENDERED_FRAMES);
        for (int i = first; i < last; i++) {
            if (i > first) {
                text.append('\n');
            }
            text.append("\tat ").append(frames[i]);
        }
        if (last < frames.length) {
            text.append("\n\t... ").append(frames.length - last).append(" more");
        }
        return text.toString();
    }

    private static boolean isTrackerFrame(StackTraceElement frame) {
        String type = frame.getClassName();
        return type.equals(TrackedResource.class.getName()) || type.equals(ResourceTracker.class.getName());
    }

    /** A captured stack trace with an optional hint; never thrown. */
    static final class Trace extends Throwable {
        private static final long serialVersionUID = 1L;

        Trace(String hint) {
            super(hint, null, false, true);
        }
    }

    /** The first recorded use and a ring of the most recent ones. */
    private static final class AccessLog {
        final Trace first;
        final Trace[] recent;
        int nextSlot;
        int size;
        long omitted;

        AccessLog(Trace first, int recentCapacity) {
            this.first = first;
            this.recent = new Trace[recentCapacity];
        }

        void add(Trace use) {
            if (recent.length == 0) {
                omitted++;
                return;
            }
            if (size == recent.length) {
                omitted++;
            } else {
                size++;
            }
            recent[nextSlot] = use;
            nextSlot = (nextSlot + 1) % recent.length;
        }

        List<Trace> inOrder() {
            List<Trace> uses = new ArrayList<>(size + 1);
            uses.add(first);
            int oldest = (nextSlot - size + recent.length) % Math.max(1, recent.length);
            for (int i = 0; i < size; i++) {
                uses.add(recent[(oldest + i) % recent.length]);
            }
            return uses;
        }
    }
}
