package dev.refkit.cache;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Bounded waits for conditions other threads bring about; generous limits, because the machine is shared. */
final class Await {
    static final Duration LIMIT = Duration.ofSeconds(60);

    private Await() {
    }

    /** Waits until {@code condition} holds, failing with {@code what} after {@link #LIMIT}. */
    static void until(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("gave up after " + LIMIT.toSeconds() + " s waiting until " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }

    /** Waits until every thread of {@code threads} is parked (waiting for something). */
    static void allWaiting(Iterable<Thread> threads) {
        until("the callers are all waiting", () -> {
            for (Thread t : threads) {
                Thread.State s = t.getState();
                if (s != Thread.State.WAITING && s != Thread.State.TIMED_WAITING) {
                    return false;
                }
            }
            return true;
        });
    }
}
