package dev.refkit.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.testing.GcFinalization;
import dev.refkit.LogCapture;
import java.io.IOException;
import java.lang.ref.WeakReference;
import java.lang.reflect.UndeclaredThrowableException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

class ListenersTest {

    private final Listeners<String> listeners = Listeners.create();
    private final List<String> log = new CopyOnWriteArrayList<>();

    @Test
    void publishDeliversToListenersInSubscriptionOrder() {
        Recorder owner = new Recorder();
        listeners.subscribeStrongly(e -> log.add("first " + e));
        listeners.subscribe(owner, (o, e) -> log.add("second " + e));
        listeners.subscribeStrongly(e -> log.add("third " + e));

        listeners.publish("x");

        assertThat(log).containsExactly("first x", "second x", "third x");
    }

    @Test
    void weakSubscriptionCallsTheHandlerWithItsOwner() {
        Recorder owner = new Recorder();
        listeners.subscribe(owner, Recorder::record);

        listeners.publish("x");

        assertThat(owner.received).containsExactly("x");
    }

    @Test
    void listenerSubscribedDuringAPublishDoesNotReceiveThatEvent() {
        listeners.subscribeStrongly(e -> {
            if (e.equals("first")) {
                listeners.subscribeStrongly(late -> log.add("late " + late));
            }
        });

        listeners.publish("first");
        listeners.publish("second");

        assertThat(log).containsExactly("late second");
    }

    @Test
    void listenerClosedDuringAPublishReceivesNothingLaterInThatPublish() {
        Subscription[] later = new Subscription[1];
        listeners.subscribeStrongly(e -> later[0].close());
        later[0] = listeners.subscribeStrongly(e -> log.add("later " + e));

        listeners.publish("x");

        assertThat(log).isEmpty();
    }

    @Test
    void listenerThatClosesItsOwnSubscriptionReceivesNoFurtherEvent() {
        Subscription[] own = new Subscription[1];
        own[0] = listeners.subscribeStrongly(e -> {
            log.add(e);
            own[0].close();
        });

        listeners.publish("once");
        listeners.publish("twice");

        assertThat(log).containsExactly("once");
    }

    @Test
    void closeIsIdempotentAndLeavesOtherSubscriptionsAlone() {
        Subscription closed = listeners.subscribeStrongly(e -> log.add("closed " + e));
        listeners.subscribeStrongly(e -> log.add("open " + e));

        closed.close();
        closed.close();
        listeners.publish("x");

        assertThat(listeners.size()).isEqualTo(1);
        assertThat(log).containsExactly("open x");
    }

    @Test
    void subscriptionIsActiveUntilClosed() {
        Subscription subscription = listeners.subscribeStrongly(log::add);
        assertThat(subscription.isActive()).isTrue();

        subscription.close();

        assertThat(subscription.isActive()).isFalse();
    }

    @Test
    void sameHandlerSubscribedTwiceReceivesEachEventTwice() {
        Recorder owner = new Recorder();
        listeners.subscribe(owner, Recorder::record);
        listeners.subscribe(owner, Recorder::record);

        listeners.publish("x");

        assertThat(owner.received).containsExactly("x", "x");
    }

    @Test
    void weakSubscriptionDoesNotKeepItsOwnerAlive() {
        WeakReference<Recorder> owner = subscribeTemporaryOwner();

        GcFinalization.awaitClear(owner);
    }

    @Test
    void weakSubscriptionIsInactiveOnceItsOwnerIsCollected() {
        Recorder[] holder = {new Recorder()};
        Subscription subscription = listeners.subscribe(holder[0], Recorder::record);
        WeakReference<Recorder> owner = new WeakReference<>(holder[0]);
        holder[0] = null;

        GcFinalization.awaitClear(owner);

        assertThat(subscription.isActive()).isFalse();
    }

    @Test
    void registryShrinksBackOnceTheOwnersAreCollected() {
        listeners.subscribeStrongly(log::add);
        for (int i = 0; i < 100; i++) {
            subscribeTemporaryOwner();
        }
        assertThat(listeners.size()).isEqualTo(101);

        GcFinalization.awaitDone(() -> listeners.size() == 1);

        listeners.publish("x");
        assertThat(log).containsExactly("x");
    }

    @Test
    void publishExpungesSubscriptionsOfCollectedOwners() {
        WeakReference<Recorder> owner = subscribeTemporaryOwner();
        GcFinalization.awaitClear(owner);

        GcFinalization.awaitDone(() -> {
            listeners.publish("x"); // the queue may be filled by the reference handler a moment after clearing
            return listeners.toString().equals("Listeners[0 subscriptions]");
        });
    }

    @Test
    void weakSubscriptionKeepsDeliveringAcrossCollectionsWhileItsOwnerLives() {
        Recorder owner = new Recorder();
        listeners.subscribe(owner, (o, e) -> o.record(e)); // nothing but the registry holds this lambda
        WeakReference<Object> sentinel = new WeakReference<>(new Object());

        GcFinalization.awaitClear(sentinel);
        listeners.publish("after gc");

        assertThat(owner.received).containsExactly("after gc");
    }

    @Test
    void strongSubscriptionKeepsItsListenerAcrossCollections() {
        List<String> target = new ArrayList<>();
        listeners.subscribeStrongly(e -> target.add(e));
        WeakReference<Object> sentinel = new WeakReference<>(new Object());

        GcFinalization.awaitClear(sentinel);
        listeners.publish("after gc");

        assertThat(target).containsExactly("after gc");
    }

    private WeakReference<Recorder> subscribeTemporaryOwner() {
        Recorder owner = new Recorder();
        listeners.subscribe(owner, Recorder::record);
        return new WeakReference<>(owner);
    }

    // ---- failures

    @Test
    void oneListenersExceptionDoesNotStopTheOthers() {
        List<Throwable> handled = new ArrayList<>();
        Listeners<String> registry = Listeners.create((event, failures) -> handled.addAll(failures));
        registry.subscribeStrongly(e -> log.add("before"));
        registry.subscribeStrongly(e -> {
            throw new IllegalStateException("boom");
        });
        registry.subscribeStrongly(e -> log.add("after"));

        registry.publish("x");

        assertThat(log).containsExactly("before", "after");
        assertThat(handled).extracting(Throwable::getMessage).containsExactly("boom");
    }

    @Test
    void errorHandlerIsCalledOncePerPublishWithEveryFailureInDeliveryOrder() {
        List<List<Throwable>> calls = new ArrayList<>();
        Listeners<String> registry = Listeners.create((event, failures) -> calls.add(List.copyOf(failures)));
        registry.subscribeStrongly(e -> {
            throw new IllegalStateException("one");
        });
        registry.subscribeStrongly(e -> {
            throw new IllegalArgumentException("two");
        });

        registry.publish("x");

        assertThat(calls).singleElement().satisfies(failures ->
                assertThat(failures).extracting(Throwable::getMessage).containsExactly("one", "two"));
    }

    @Test
    void defaultErrorHandlerLogsAWarningWithTheException() {
        List<LogRecord> records = LogCapture.during(Listeners.class, () -> {
            listeners.subscribeStrongly(e -> {
                throw new IllegalStateException("logged");
            });
            listeners.subscribeStrongly(log::add);

            listeners.publish("x");
        });

        assertThat(log).containsExactly("x");
        assertThat(records).singleElement().satisfies(record -> {
            assertThat(record.getLevel()).isEqualTo(java.util.logging.Level.WARNING);
            assertThat(record.getThrown()).hasMessage("logged");
        });
    }

    @Test
    void rethrowingHandlerThrowsTheFirstFailureAfterAllDeliveriesWithTheRestSuppressed() {
        Listeners<String> registry = Listeners.create(Listeners.ErrorHandler.rethrowing());
        registry.subscribeStrongly(e -> {
            throw new IllegalStateException("first");
        });
        registry.subscribeStrongly(e -> {
            throw new IllegalArgumentException("second");
        });
        registry.subscribeStrongly(e -> log.add("delivered"));

        assertThatThrownBy(() -> registry.publish("x"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("first")
                .satisfies(e -> assertThat(e.getSuppressed()).extracting(Throwable::getMessage)
                        .containsExactly("second"));
        assertThat(log).containsExactly("delivered");
    }

    @Test
    void rethrowingHandlerWrapsACheckedException() {
        Listeners<String> registry = Listeners.create(Listeners.ErrorHandler.rethrowing());
        registry.subscribeStrongly(e -> sneakyThrow(new IOException("disk")));

        assertThatThrownBy(() -> registry.publish("x"))
                .isInstanceOf(UndeclaredThrowableException.class)
                .hasCauseInstanceOf(IOException.class);
    }

    @Test
    void virtualMachineErrorIsNotIsolated() {
        listeners.subscribeStrongly(e -> {
            throw new StackOverflowError("deep");
        });
        listeners.subscribeStrongly(log::add);

        assertThatThrownBy(() -> listeners.publish("x")).isInstanceOf(StackOverflowError.class);
        assertThat(log).isEmpty();
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> void sneakyThrow(Throwable t) throws T {
        throw (T) t;
    }

    // ---- arguments

    @Test
    void subscribeRejectsAHandlerThatCapturesTheOwner() {
        Recorder owner = new Recorder();

        assertThatThrownBy(() -> listeners.subscribe(owner, (o, e) -> owner.record(e)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Listeners.subscribe: the handler captures its owner")
                .hasMessageContaining("listeners.subscribe(owner, (self, event) -> self.onEvent(event))");
        assertThat(listeners.size()).isZero();
    }

    @Test
    void subscribeRejectsAHandlerComposedByTheJdkFromTheOwner() {
        View view = new View();

        assertThatThrownBy(() -> listeners.subscribe(view, view.andThen((v, e) -> { })))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the handler captures its owner")
                .hasMessageContaining("arg$1 of java.util.function.BiConsumer$$Lambda");
        assertThat(listeners.size()).isZero();
    }

    /** An owner that is itself a handler, so that {@code view.andThen(...)} makes a JDK lambda holding it. */
    static final class View implements BiConsumer<View, String> {
        final byte[] pixels = new byte[1 << 20];
        final List<String> shown = new ArrayList<>();

        @Override
        public void accept(View self, String event) {
            shown.add(event);
        }
    }

    @Test
    void subscribeAcceptsAHandlerThatCapturesOtherObjects() {
        Recorder owner = new Recorder();
        listeners.subscribe(owner, (o, e) -> log.add(e));

        listeners.publish("x");

        assertThat(log).containsExactly("x");
    }

    @Test
    void publishRejectsANullEvent() {
        assertThatThrownBy(() -> listeners.publish(null))
                .isInstanceOf(NullPointerException.class).hasMessage("event");
    }

    @Test
    void listenerMayPublishToTheSameRegistry() {
        listeners.subscribeStrongly(e -> {
            log.add(e);
            if (e.equals("outer")) {
                listeners.publish("inner");
            }
        });

        listeners.publish("outer");

        assertThat(log).containsExactly("outer", "inner");
    }
}
