package dev.refkit.cache;

import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * One load of one key in progress: the caller that registered it runs the loader, every other caller of
 * the key waits here for the outcome (a value, {@code null}, or the loader's failure).
 *
 * <p>{@link #discardResult()} and the installation of the loaded value are serialised on this object, so
 * that an {@code invalidate} that overlaps a load either removes the installed value afterwards or
 * prevents its installation: a load never resurrects a value the user invalidated while it ran.
 */
final class Flight<V> {
    private final Thread owner = Thread.currentThread();
    private final CountDownLatch done = new CountDownLatch(1);
    private V value;
    private Throwable failure;
    private boolean discarded;
    /** Whether a loader runs for this flight; written and read by the owner thread only. */
    private boolean loading;
    /** The keys of the bulk load that runs for this flight, or null; for the owner thread only. */
    private List<?> batch;

    /** Whether the calling thread registered this flight, and so is the one to load it. */
    boolean isOwnedByThisThread() {
        return owner == Thread.currentThread();
    }

    /** Marks that the owner runs a loader for this flight now: a single load, or a bulk load of {@code batch}. */
    void startLoading(List<?> batch) {
        assert isOwnedByThisThread();
        this.loading = true;
        this.batch = batch;
    }

    /** Marks that the bulk load ended without loading (it had no bulk form). */
    void stopLoading() {
        assert isOwnedByThisThread();
        this.loading = false;
        this.batch = null;
    }

    /** Whether a loader runs for this flight; meaningful on the owner thread only. */
    boolean isLoading() {
        return loading && !isDone();
    }

    /** The keys of the bulk load running for this flight, or null for a single load. */
    List<?> batch() {
        return batch;
    }

    boolean isDone() {
        return done.getCount() == 0;
    }

    synchronized void discardResult() {
        discarded = true;
    }

    /** Whether the loaded value may still be cached; call while holding this object's monitor. */
    boolean resultWanted() {
        assert Thread.holdsLock(this);
        return !discarded;
    }

    void complete(V result) {
        value = result;
        done.countDown();
    }

    void fail(Throwable cause) {
        failure = cause;
        done.countDown();
    }

    /** Fails the flight with {@code cause} unless it already has an outcome, so that no waiter hangs. */
    void failIfPending(Throwable cause) {
        if (!isDone()) {
            fail(cause);
        }
    }

    /**
     * Waits, without giving up on interruption (the interrupt status is restored afterwards), for the
     * outcome of the load.
     *
     * @throws CacheLoadException if the loader failed
     */
    V await(Object key) {
        awaitOutcome();
        if (failure != null) {
            throw ReferenceCache.loadFailure(key, failure);
        }
        return value;
    }

    /** Waits for the load to have an outcome, whichever it is; an interrupt is kept for afterwards. */
    void awaitOutcome() {
        boolean interrupted = false;
        while (true) {
            try {
                done.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
