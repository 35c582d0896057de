package dev.refkit.bench;

import com.google.common.eventbus.EventBus;
import com.google.common.eventbus.Subscribe;
import dev.refkit.event.Listeners;
import dev.refkit.event.Subscription;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Publishing to 1, 10 and 100 subscribers, and subscribing then closing one subscription among that many:
 * {@link Listeners} (weak owners, and strong listeners) against the strong baseline, a
 * {@code CopyOnWriteArrayList<Consumer<E>>} walked in a loop, and Guava's {@link EventBus}.
 *
 * <p>Every subscriber does the same work, handing the event to a {@link Blackhole}. Scores are per publish
 * (or per subscribe and close); divide a publish score by {@code subscribers} for the cost per delivery. The
 * target for {@code Listeners}: a cost per delivery no more than 1.5 times the baseline's.
 *
 * <pre>
 * mvn -B -pl refkit-bench -am package -DskipTests
 * java -jar refkit-bench/target/benchmarks.jar ListenersBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ListenersBenchmark {

    /** The event type; one instance is published again and again. */
    public static final class Event {
        final long value;

        Event(long value) {
            this.value = value;
        }
    }

    /** A subscriber object, as an application would have; it owns its subscriptions. */
    public static final class Subscriber {
        private final Blackhole sink;

        Subscriber(Blackhole sink) {
            this.sink = sink;
        }

        void onEvent(Event event) {
            sink.consume(event);
        }

        @Subscribe
        public void onBusEvent(Event event) {
            sink.consume(event);
        }
    }

    @Param({"1", "10", "100"})
    public int subscribers;

    private final Event event = new Event(42);
    private final List<Subscriber> owners = new ArrayList<>(); // keeps the weakly held owners alive
    private Listeners<Event> weakListeners;
    private Listeners<Event> strongListeners;
    private CopyOnWriteArrayList<Consumer<Event>> copyOnWrite;
    private EventBus eventBus;
    private Subscriber extra;

    @Setup(Level.Trial)
    public void setUp(Blackhole sink) {
        weakListeners = Listeners.create();
        strongListeners = Listeners.create();
        copyOnWrite = new CopyOnWriteArrayList<>();
        eventBus = new EventBus("benchmark");
        for (int i = 0; i < subscribers; i++) {
            Subscriber owner = new Subscriber(sink);
            owners.add(owner);
            weakListeners.subscribe(owner, Subscriber::onEvent);
            strongListeners.subscribeStrongly(owner::onEvent);
            copyOnWrite.add(owner::onEvent);
            eventBus.register(owner);
        }
        extra = new Subscriber(sink);
    }

    @Benchmark
    public void publishListenersWeak() {
        weakListeners.publish(event);
    }

    @Benchmark
    public void publishListenersStrong() {
        strongListeners.publish(event);
    }

    @Benchmark
    public void publishCopyOnWriteArrayList() {
        for (Consumer<Event> listener : copyOnWrite) {
            listener.accept(event);
        }
    }

    /** Two threads publishing to one registry at once: each has its own slot, so they share no written line. */
    @Benchmark
    @Threads(2)
    public void publishListenersStrongFromTwoThreads() {
        strongListeners.publish(event);
    }

    @Benchmark
    @Threads(2)
    public void publishCopyOnWriteArrayListFromTwoThreads() {
        for (Consumer<Event> listener : copyOnWrite) {
            listener.accept(event);
        }
    }

    @Benchmark
    public void publishEventBus() {
        eventBus.post(event);
    }

    @Benchmark
    public void subscribeAndCloseListenersWeak() {
        Subscription subscription = weakListeners.subscribe(extra, Subscriber::onEvent);
        subscription.close();
    }

    @Benchmark
    public void subscribeAndCloseListenersStrong() {
        Subscription subscription = strongListeners.subscribeStrongly(extra::onEvent);
        subscription.close();
    }

    @Benchmark
    public void subscribeAndRemoveCopyOnWriteArrayList() {
        Consumer<Event> listener = extra::onEvent;
        copyOnWrite.add(listener);
        copyOnWrite.remove(listener);
    }

    @Benchmark
    public void registerAndUnregisterEventBus() {
        eventBus.register(extra);
        eventBus.unregister(extra);
    }
}
