package dev.refkit.event;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Publishing from several threads while others subscribe and close. The default run is short; set the system
 * property {@code refkit.stress=true} for a run about fifty times longer.
 */
class ListenersConcurrencyTest {

    private static final int SCALE = Boolean.getBoolean("refkit.stress") ? 50 : 1;
    private static final int PUBLISHERS = 3;
    private static final int CHURNERS = 2;

    /** Daemon threads: should a test fail by deadlocking, its stuck threads must not keep the JVM alive. */
    private final ExecutorService pool = Executors.newFixedThreadPool(PUBLISHERS + CHURNERS + 2, task -> {
        Thread thread = new Thread(task, "listeners-concurrency-test");
        thread.setDaemon(true);
        return thread;
    });

    @AfterEach
    void stopThreads() throws InterruptedException {
        pool.shutdownNow();
        assertThat(pool.awaitTermination(60, SECONDS)).as("test threads stopped").isTrue();
    }

    /** An owner that notes a delivery arriving after its subscription's close() has returned. */
    static final class Probe {
        volatile boolean closeReturned;
        final AtomicInteger deliveries = new AtomicInteger();
        final AtomicInteger deliveriesAfterClose = new AtomicInteger();

        void receive(Long event) {
            if (closeReturned) {
                deliveriesAfterClose.incrementAndGet();
            }
            deliveries.incrementAndGet();
        }
    }

    @Test
    void nothingIsDeliveredAfterCloseReturns() throws Exception {
        Listeners<Long> listeners = Listeners.create(Listeners.ErrorHandler.rethrowing());
        AtomicBoolean stop = new AtomicBoolean();
        List<Future<?>> publishers = startPublishers(listeners, stop);
        AtomicLong violations = new AtomicLong();
        AtomicLong deliveredBeforeClose = new AtomicLong();

        List<Future<?>> churners = new ArrayList<>();
        for (int c = 0; c < CHURNERS; c++) {
            boolean weak = c % 2 == 0;
            churners.add(pool.submit(() -> {
                List<Probe> closed = new ArrayList<>();
                for (int i = 0; i < 2_000 * SCALE; i++) {
                    Probe probe = new Probe();
                    Subscription subscription = weak ? listeners.subscribe(probe, Probe::receive)
                            : listeners.subscribeStrongly(probe::receive);
                    for (int spin = 0; spin < 200 && probe.deliveries.get() == 0; spin++) {
                        Thread.onSpinWait(); // give the publishers a chance to be mid-delivery when we close
                    }
                    subscription.close();
                    probe.closeReturned = true;
                    deliveredBeforeClose.addAndGet(probe.deliveries.get());
                    closed.add(probe);
                }
                for (Probe probe : closed) {
                    violations.addAndGet(probe.deliveriesAfterClose.get());
                }
                return null;
            }));
        }
        for (Future<?> churner : churners) {
            churner.get(60, SECONDS);
        }
        stop.set(true);
        for (Future<?> publisher : publishers) {
            publisher.get(60, SECONDS);
        }

        assertThat(deliveredBeforeClose.get()).as("deliveries while subscribed (the race was exercised)")
                .isPositive();
        assertThat(violations.get()).as("deliveries that began after close() returned").isZero();
    }

    @Test
    void liveSubscribersReceiveEveryEventWhileOthersSubscribeAndClose() throws Exception {
        Listeners<Long> listeners = Listeners.create(Listeners.ErrorHandler.rethrowing());
        List<Probe> weaklyHeld = new ArrayList<>();
        List<AtomicInteger> stronglyHeld = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Probe probe = new Probe();
            weaklyHeld.add(probe);
            listeners.subscribe(probe, Probe::receive);
            AtomicInteger counter = new AtomicInteger();
            stronglyHeld.add(counter);
            listeners.subscribeStrongly(e -> counter.incrementAndGet());
        }
        int eventsPerPublisher = 5_000 * SCALE;
        AtomicBoolean stop = new AtomicBoolean();

        List<Future<?>> churners = new ArrayList<>();
        for (int c = 0; c < CHURNERS; c++) {
            churners.add(pool.submit(() -> {
                while (!stop.get()) {
                    Probe transient_ = new Probe();
                    listeners.subscribe(transient_, Probe::receive).close();
                    listeners.subscribeStrongly(transient_::receive).close();
                }
                return null;
            }));
        }
        List<Future<?>> publishers = new ArrayList<>();
        for (int p = 0; p < PUBLISHERS; p++) {
            publishers.add(pool.submit(() -> {
                for (long e = 0; e < eventsPerPublisher; e++) {
                    listeners.publish(e);
                }
                return null;
            }));
        }
        for (Future<?> publisher : publishers) {
            publisher.get(60, SECONDS);
        }
        stop.set(true);
        for (Future<?> churner : churners) {
            churner.get(60, SECONDS);
        }

        int expected = PUBLISHERS * eventsPerPublisher;
        assertThat(weaklyHeld).allSatisfy(probe -> assertThat(probe.deliveries.get()).isEqualTo(expected));
        assertThat(stronglyHeld).allSatisfy(counter -> assertThat(counter.get()).isEqualTo(expected));
        assertThat(listeners.size()).isEqualTo(8);
    }

    @Test
    void listenersClosingSubscriptionsFromTwoThreadsAtOnceDoNotDeadlock() throws Exception {
        Listeners<String> listeners = Listeners.create(Listeners.ErrorHandler.rethrowing());
        CyclicBarrier bothInsidePublish = new CyclicBarrier(2);
        Subscription[] targets = new Subscription[2];
        AtomicInteger closingThread = new AtomicInteger();
        listeners.subscribeStrongly(event -> {
            try {
                bothInsidePublish.await(60, SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("the other publisher did not arrive", e);
            }
            // each thread closes a different subscription while the other thread is inside its own publish
            targets[closingThread.getAndIncrement()].close();
        });
        targets[0] = listeners.subscribeStrongly(event -> { });
        targets[1] = listeners.subscribeStrongly(event -> { });

        Future<?> first = pool.submit(() -> listeners.publish("one"));
        Future<?> second = pool.submit(() -> listeners.publish("two"));

        first.get(60, SECONDS);
        second.get(60, SECONDS);
        assertThat(targets).noneMatch(Subscription::isActive);
    }

    @Test
    void selfClosingListenersWithConcurrentPublishersDoNotDeadlock() throws Exception {
        Listeners<Long> listeners = Listeners.create(Listeners.ErrorHandler.rethrowing());
        AtomicBoolean stop = new AtomicBoolean();
        List<Future<?>> publishers = startPublishers(listeners, stop);
        AtomicInteger fired = new AtomicInteger();

        for (int i = 0; i < 500 * SCALE; i++) {
            Subscription[] own = new Subscription[1];
            AtomicBoolean subscribed = new AtomicBoolean();
            own[0] = listeners.subscribeStrongly(event -> {
                if (subscribed.get()) {
                    own[0].close(); // a one-shot listener, possibly running on several publishers at once
                    fired.incrementAndGet();
                }
            });
            subscribed.set(true);
        }
        stop.set(true);
        for (Future<?> publisher : publishers) {
            publisher.get(60, SECONDS);
        }

        listeners.publish(0L);
        assertThat(listeners.size()).isZero();
        assertThat(fired.get()).isGreaterThanOrEqualTo(500 * SCALE);
    }

    private List<Future<?>> startPublishers(Listeners<Long> listeners, AtomicBoolean stop) {
        List<Future<?>> publishers = new ArrayList<>();
        for (int p = 0; p < PUBLISHERS; p++) {
            publishers.add(pool.submit(() -> {
                for (long e = 0; !stop.get(); e++) {
                    listeners.publish(e);
                }
                return null;
            }));
        }
        return publishers;
    }
}
