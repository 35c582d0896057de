package dev.refkit.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.testing.GcFinalization;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class WeakMethodTest {

    @Test
    void invokeCallsTheMethodOnTheOwner() {
        Recorder recorder = new Recorder();
        WeakMethod<Recorder, String> method = WeakMethod.of(recorder, Recorder::record);

        assertThat(method.invoke("hi")).isTrue();

        assertThat(recorder.received).containsExactly("hi");
    }

    @Test
    void plainWeakReferenceToAMethodReferenceIsClearedWhileItsOwnerLives() {
        Recorder recorder = new Recorder();
        WeakReference<Consumer<String>> plain = new WeakReference<>(recorder::record);

        GcFinalization.awaitClear(plain); // the pitfall: nothing but the weak reference held the bound method

        assertThat(recorder).isNotNull();
    }

    @Test
    void plainWeakReferenceToALambdaDiesAtOnceWhileTheWeakMethodKeepsWorking() {
        Recorder recorder = new Recorder();
        WeakReference<Consumer<String>> plain = new WeakReference<>(s -> recorder.record(s));
        WeakMethod<Recorder, String> ours = WeakMethod.of(recorder, Recorder::record);

        GcFinalization.awaitClear(plain);

        assertThat(ours.invoke("still here")).isTrue();
        assertThat(recorder.received).containsExactly("still here");
    }

    @Test
    void weakMethodSurvivesCollectionsWhileItsOwnerLives() {
        Recorder recorder = new Recorder();
        WeakMethod<Recorder, String> method = WeakMethod.of(recorder, Recorder::record);
        WeakReference<Object> sentinel = new WeakReference<>(new Object());

        GcFinalization.awaitClear(sentinel); // at least one collection has run

        assertThat(method.invoke("after gc")).isTrue();
        assertThat(recorder.received).containsExactly("after gc");
    }

    @Test
    void invokeReturnsFalseOnceTheOwnerIsCollected() {
        List<String> sink = new ArrayList<>();
        Recorder[] holder = {new Recorder()};
        WeakMethod<Recorder, String> method = WeakMethod.of(holder[0], (r, s) -> sink.add(s));
        WeakReference<Recorder> owner = new WeakReference<>(holder[0]);
        holder[0] = null;

        GcFinalization.awaitClear(owner);

        assertThat(method.invoke("lost")).isFalse();
        assertThat(sink).isEmpty();
    }

    @Test
    void weakMethodDoesNotKeepItsOwnerAlive() {
        Recorder[] holder = {new Recorder()};
        WeakMethod<Recorder, String> method = WeakMethod.of(holder[0], Recorder::record);
        WeakReference<Recorder> owner = new WeakReference<>(holder[0]);
        holder[0] = null;

        GcFinalization.awaitClear(owner);

        assertThat(method.isAlive()).isFalse();
    }

    @Test
    void isAliveWhileTheOwnerIsReachable() {
        Recorder recorder = new Recorder();

        assertThat(WeakMethod.of(recorder, Recorder::record).isAlive()).isTrue();
    }

    @Test
    void bindReturnsTheMethodBoundToTheOwner() {
        Recorder recorder = new Recorder();
        Optional<Consumer<String>> bound = WeakMethod.of(recorder, Recorder::record).bind();

        assertThat(bound).isPresent();
        bound.get().accept("bound");
        assertThat(recorder.received).containsExactly("bound");
    }

    @Test
    void bindIsEmptyOnceTheOwnerIsCollected() {
        Recorder[] holder = {new Recorder()};
        WeakMethod<Recorder, String> method = WeakMethod.of(holder[0], Recorder::record);
        WeakReference<Recorder> owner = new WeakReference<>(holder[0]);
        holder[0] = null;

        GcFinalization.awaitClear(owner);

        assertThat(method.bind()).isEmpty();
    }

    @Test
    void sameOwnerAndSameFunctionAreEqualWithEqualHashCodes() {
        Recorder recorder = new Recorder();
        BiConsumer<Recorder, String> function = Recorder::record;

        WeakMethod<Recorder, String> first = WeakMethod.of(recorder, function);
        WeakMethod<Recorder, String> second = WeakMethod.of(recorder, function);

        assertThat(first).isEqualTo(second);
        assertThat(first.hashCode()).isEqualTo(second.hashCode());
    }

    @Test
    void differentOwnersAreNotEqualEvenWhenTheOwnersAreEqual() {
        BiConsumer<String, String> function = String::concat;

        assertThat(WeakMethod.of(new String("same"), function))
                .isNotEqualTo(WeakMethod.of(new String("same"), function));
    }

    @Test
    void differentFunctionsOfOneOwnerAreNotEqual() {
        Recorder recorder = new Recorder();
        BiConsumer<Recorder, String> record = Recorder::record;
        BiConsumer<Recorder, String> echo = Recorder::echo;

        assertThat(WeakMethod.of(recorder, record)).isNotEqualTo(WeakMethod.of(recorder, echo));
    }

    @Test
    void hashCodeStaysTheSameAfterTheOwnerIsCollected() {
        Recorder[] holder = {new Recorder()};
        WeakMethod<Recorder, String> method = WeakMethod.of(holder[0], Recorder::record);
        int before = method.hashCode();
        WeakReference<Recorder> owner = new WeakReference<>(holder[0]);
        holder[0] = null;

        GcFinalization.awaitClear(owner);

        assertThat(method.hashCode()).isEqualTo(before);
    }

    @Test
    void afterTheOwnerIsCollectedAWeakMethodIsEqualOnlyToItself() {
        BiConsumer<Recorder, String> function = Recorder::record;
        Recorder[] holder = {new Recorder()};
        WeakMethod<Recorder, String> first = WeakMethod.of(holder[0], function);
        WeakMethod<Recorder, String> second = WeakMethod.of(holder[0], function);
        WeakReference<Recorder> owner = new WeakReference<>(holder[0]);
        holder[0] = null;

        GcFinalization.awaitClear(owner);

        assertThat(first).isEqualTo(first).isNotEqualTo(second);
    }

    @Test
    void onDeathIsCalledWithTheWeakMethodAfterTheOwnerIsCollected() {
        CountDownLatch died = new CountDownLatch(1);
        AtomicReference<WeakMethod<Recorder, String>> reported = new AtomicReference<>();
        Recorder[] holder = {new Recorder()};
        WeakMethod<Recorder, String> method = WeakMethod.of(holder[0], Recorder::record, dead -> {
            reported.set(dead);
            died.countDown();
        });
        holder[0] = null;

        GcFinalization.await(died);

        assertThat(reported.get()).isSameAs(method);
    }

    @Test
    void onDeathIsNotCalledWhileTheOwnerLives() {
        CountDownLatch died = new CountDownLatch(1);
        Recorder recorder = new Recorder();
        WeakMethod<Recorder, String> method = WeakMethod.of(recorder, Recorder::record, dead -> died.countDown());
        WeakReference<Object> sentinel = new WeakReference<>(new Object());

        GcFinalization.awaitClear(sentinel);

        assertThat(died.getCount()).isEqualTo(1);
        assertThat(method.isAlive()).isTrue();
    }

    // ---- the capture guard: each form that holds the owner strongly is rejected

    @Test
    void rejectsALambdaThatCapturesTheOwner() {
        Recorder recorder = new Recorder();

        assertThatThrownBy(() -> WeakMethod.of(recorder, (Recorder r, String s) -> recorder.record(s)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("captures its owner")
                .hasMessageContaining("WeakMethod.of(owner, Recorder::method)");
    }

    @Test
    void rejectsABoundMethodReferenceOfTheOwner() {
        Recorder recorder = new Recorder();

        assertThatThrownBy(() -> WeakMethod.of(recorder, recorder::handle))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("refers to the owner")
                .hasMessageContaining("owner::method");
    }

    @Test
    void rejectsAnAnonymousClassOfTheOwner() {
        SelfSubscriber owner = new SelfSubscriber();

        assertThatThrownBy(owner::weakMethodFromAnonymousClass)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("this$0");
    }

    @Test
    void rejectsAnInnerClassOfTheOwner() {
        SelfSubscriber owner = new SelfSubscriber();

        assertThatThrownBy(owner::weakMethodFromInnerClass)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("this$0");
    }

    @Test
    void rejectsALambdaThatUsesThis() {
        SelfSubscriber owner = new SelfSubscriber();

        assertThatThrownBy(owner::weakMethodFromLambdaUsingThis)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("arg$1");
    }

    @Test
    void rejectsAFunctionThatIsTheOwnerItself() {
        SelfSubscriber owner = new SelfSubscriber();

        assertThatThrownBy(() -> WeakMethod.of(owner, owner))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is the owner itself");
    }

    @Test
    void rejectsAnOnDeathCallbackThatCapturesTheOwner() {
        Recorder recorder = new Recorder();

        assertThatThrownBy(() -> WeakMethod.of(recorder, Recorder::record, dead -> recorder.record("dead")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("onDeath callback captures its owner");
    }

    @Test
    void rejectsAFunctionThatTheJdkComposedFromTheOwner() {
        SelfSubscriber owner = new SelfSubscriber();

        assertThatThrownBy(() -> WeakMethod.of(owner, owner.andThen((self, value) -> { })))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("captures its owner")
                .hasMessageContaining("arg$1 of java.util.function.BiConsumer$$Lambda");
    }

    @Test
    void rejectsAFunctionThatReachesTheOwnerThroughACapturedLambda() {
        Recorder recorder = new Recorder();
        Consumer<String> toOwner = recorder::record;

        assertThatThrownBy(() -> WeakMethod.of(recorder, (Recorder r, String s) -> toOwner.accept(s)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("captures its owner")
                .hasMessageContaining("arg$1");
    }

    @Test
    void rejectsAFunctionThatReachesTheOwnerThroughAJdkComparator() {
        Recorder recorder = new Recorder();
        Comparator<String> byEcho = Comparator.comparing(s -> recorder.echo(s));

        assertThatThrownBy(() -> WeakMethod.of(recorder, (Recorder r, String s) -> r.record(s + byEcho.compare(s, s))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("captures its owner")
                .hasMessageContaining("java.util.Comparator$$Lambda");
    }

    @Test
    void acceptsAJdkCompositeOfFunctionsThatDoNotHoldTheOwner() {
        Recorder recorder = new Recorder();
        List<String> elsewhere = new ArrayList<>();
        BiConsumer<Recorder, String> record = Recorder::record;

        WeakMethod<Recorder, String> method = WeakMethod.of(recorder, record.andThen((r, s) -> elsewhere.add(s)));

        assertThat(method.invoke("x")).isTrue();
        assertThat(recorder.received).containsExactly("x");
        assertThat(elsewhere).containsExactly("x");
    }

    @Test
    void acceptsAFunctionThatCapturesOtherObjects() {
        Recorder recorder = new Recorder();
        List<String> elsewhere = new ArrayList<>();

        WeakMethod<Recorder, String> method = WeakMethod.of(recorder, (r, s) -> elsewhere.add(s));

        assertThat(method.invoke("x")).isTrue();
        assertThat(elsewhere).containsExactly("x");
    }

    @Test
    void acceptsAFunctionThatCapturesAnotherObjectOfTheOwnersType() {
        Recorder recorder = new Recorder();
        Recorder other = new Recorder();

        WeakMethod<Recorder, String> method = WeakMethod.of(recorder, (r, s) -> other.record(s));

        assertThat(method.invoke("to other")).isTrue();
        assertThat(other.received).containsExactly("to other");
    }

    @Test
    void rejectsNullArgumentsByName() {
        assertThatThrownBy(() -> WeakMethod.of(null, Recorder::record)).hasMessage("owner");
        assertThatThrownBy(() -> WeakMethod.of(new Recorder(), null)).hasMessage("method");
    }

    /** An owner whose own code builds the capturing forms. */
    static final class SelfSubscriber implements BiConsumer<SelfSubscriber, String> {
        final List<String> received = new ArrayList<>();

        @Override
        public void accept(SelfSubscriber self, String value) {
            received.add(value);
        }

        WeakMethod<SelfSubscriber, String> weakMethodFromAnonymousClass() {
            return WeakMethod.of(this, new BiConsumer<SelfSubscriber, String>() {
                @Override
                public void accept(SelfSubscriber self, String value) {
                    received.add(value);
                }
            });
        }

        WeakMethod<SelfSubscriber, String> weakMethodFromInnerClass() {
            return WeakMethod.of(this, new Inner());
        }

        WeakMethod<SelfSubscriber, String> weakMethodFromLambdaUsingThis() {
            return WeakMethod.of(this, (self, value) -> received.add(value));
        }

        final class Inner implements BiConsumer<SelfSubscriber, String> {
            @Override
            public void accept(SelfSubscriber self, String value) {
                received.add(value);
            }
        }
    }
}
