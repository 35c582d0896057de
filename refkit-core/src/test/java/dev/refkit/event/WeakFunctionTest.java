package dev.refkit.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.testing.GcFinalization;
import java.lang.ref.WeakReference;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class WeakFunctionTest {

    @Test
    void applyReturnsTheMethodsResult() {
        Recorder recorder = new Recorder();

        assertThat(WeakFunction.of(recorder, Recorder::echo).apply("a")).contains("echo:a");
    }

    @Test
    void applyIsEmptyOnceTheOwnerIsCollected() {
        Recorder[] holder = {new Recorder()};
        WeakFunction<Recorder, String, String> echo = WeakFunction.of(holder[0], Recorder::echo);
        WeakReference<Recorder> owner = new WeakReference<>(holder[0]);
        holder[0] = null;

        GcFinalization.awaitClear(owner);

        assertThat(echo.apply("a")).isEmpty();
        assertThat(echo.isAlive()).isFalse();
    }

    @Test
    void bindTellsANullResultFromACollectedOwner() {
        Recorder recorder = new Recorder();
        Optional<Function<String, String>> bound = WeakFunction.of(recorder, Recorder::nothing).bind();

        assertThat(bound).isPresent();
        assertThat(bound.get().apply("a")).isNull();
    }

    @Test
    void bindIsEmptyOnceTheOwnerIsCollected() {
        Recorder[] holder = {new Recorder()};
        WeakFunction<Recorder, String, String> echo = WeakFunction.of(holder[0], Recorder::echo);
        WeakReference<Recorder> owner = new WeakReference<>(holder[0]);
        holder[0] = null;

        GcFinalization.awaitClear(owner);

        assertThat(echo.bind()).isEmpty();
    }

    @Test
    void sameOwnerAndSameFunctionAreEqualWithEqualHashCodes() {
        Recorder recorder = new Recorder();
        BiFunction<Recorder, String, String> function = Recorder::echo;

        assertThat(WeakFunction.of(recorder, function)).isEqualTo(WeakFunction.of(recorder, function))
                .hasSameHashCodeAs(WeakFunction.of(recorder, function));
    }

    @Test
    void onDeathIsCalledAfterTheOwnerIsCollected() {
        CountDownLatch died = new CountDownLatch(1);
        Recorder[] holder = {new Recorder()};
        WeakFunction<Recorder, String, String> echo =
                WeakFunction.of(holder[0], Recorder::echo, dead -> died.countDown());
        holder[0] = null;

        GcFinalization.await(died);

        assertThat(echo.isAlive()).isFalse();
    }

    @Test
    void rejectsAFunctionThatCapturesTheOwner() {
        Recorder recorder = new Recorder();

        assertThatThrownBy(() -> WeakFunction.of(recorder, (Recorder r, String s) -> recorder.echo(s)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("captures its owner")
                .hasMessageContaining("WeakFunction.of(owner, Recorder::method)");
    }
}
