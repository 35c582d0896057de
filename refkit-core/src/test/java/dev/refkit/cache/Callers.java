package dev.refkit.cache;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Threads that call the cache at the same moment (released together by a gate) and keep their outcomes. */
final class Callers<T> {
    private final List<Thread> threads = new ArrayList<>();
    private final List<Object> outcomes = new ArrayList<>();
    private final CountDownLatch gate = new CountDownLatch(1);

    Callers(int count, Callable<T> call) {
        for (int i = 0; i < count; i++) {
            outcomes.add(null);
            int index = i;
            Thread t = new Thread(() -> {
                Object outcome;
                try {
                    gate.await();
                    outcome = call.call();
                } catch (Throwable e) {
                    outcome = e;
                }
                synchronized (outcomes) {
                    outcomes.set(index, outcome);
                }
            }, "cache-caller-" + i);
            t.setDaemon(true);
            threads.add(t);
        }
        threads.forEach(Thread::start);
    }

    /** Lets every caller go. */
    void release() {
        gate.countDown();
    }

    List<Thread> threads() {
        return threads;
    }

    /** Waits (bounded) for every caller to finish; returns each one's result or thrown exception. */
    List<Object> outcomes() throws InterruptedException {
        long deadline = System.nanoTime() + Await.LIMIT.toNanos();
        for (Thread t : threads) {
            TimeUnit.NANOSECONDS.timedJoin(t, Math.max(1, deadline - System.nanoTime()));
            if (t.isAlive()) {
                throw new AssertionError(t.getName() + " did not finish within " + Await.LIMIT.toSeconds()
                        + " s; its stack: " + List.of(t.getStackTrace()));
            }
        }
        synchronized (outcomes) {
            return new ArrayList<>(outcomes);
        }
    }
}
