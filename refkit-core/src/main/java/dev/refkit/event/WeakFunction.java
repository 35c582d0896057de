package dev.refkit.event;

import java.lang.ref.Reference;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A method that returns a value, bound to an owner that is held weakly: {@link WeakMethod} for functions.
 *
 * <pre>{@code
 * WeakFunction<PriceBook, String, Price> quote = WeakFunction.of(book, PriceBook::priceOf);
 * Optional<Price> p = quote.apply("ACME");   // empty once book has been collected
 * }</pre>
 *
 * <p>Everything {@link WeakMethod} says holds here: the owner is held weakly, the function strongly (with
 * everything it captures), a function that captures the owner is rejected by {@link #of} under the rule that
 * {@link WeakMethod#of(Object, java.util.function.BiConsumer)} states, and equality is same owner (identity)
 * and equal functions with a hash code fixed at construction.
 *
 * <p><b>Warning:</b> {@link #apply} answers {@code Optional.empty()} both when the owner is gone and when the
 * method returned {@code null}. Where the difference matters, use {@link #bind()}: it is empty exactly when the
 * owner is gone, and the bound function returns whatever the method returns, {@code null} included.
 *
 * <p>Instances are immutable and thread-safe.
 *
 * @param <O> the owner's type
 * @param <A> the type of the argument the method takes
 * @param <R> the type of the value the method returns
 */
public final class WeakFunction<O, A, R> extends WeakBinding<O, BiFunction<? super O, ? super A, ? extends R>> {

    @SuppressWarnings("unchecked")
    private WeakFunction(O owner, BiFunction<? super O, ? super A, ? extends R> function,
                         Consumer<? super WeakFunction<O, A, R>> onDeath) {
        super(owner, function, onDeath == null ? null : dead -> onDeath.accept((WeakFunction<O, A, R>) dead));
    }

    /**
     * A method of {@code owner}, which is held weakly, given as a function that receives the owner:
     * {@code WeakFunction.of(book, PriceBook::priceOf)}. The function is checked for capturing the owner
     * exactly as {@link WeakMethod#of(Object, java.util.function.BiConsumer)} describes, with the same blind
     * spots.
     *
     * @param <O> the owner's type
     * @param <A> the method's argument type
     * @param <R> the method's result type
     * @param owner the object whose method it is, held weakly
     * @param function calls the method on the owner it is given; must not capture the owner
     * @return the method, held without its owner
     * @throws IllegalArgumentException if the function captures the owner, with a message that shows the
     *                                  non-capturing form
     * @throws NullPointerException     if an argument is null
     */
    public static <O, A, R> WeakFunction<O, A, R> of(O owner,
                                                     BiFunction<? super O, ? super A, ? extends R> function) {
        return create(owner, function, null);
    }

    /**
     * As {@link #of(Object, BiFunction)}, and calls {@code onDeath} with this {@code WeakFunction} shortly after
     * the owner has been collected, on the thread and under the conditions that
     * {@link WeakMethod#of(Object, java.util.function.BiConsumer, Consumer)} describes.
     *
     * @param <O> the owner's type
     * @param <A> the method's argument type
     * @param <R> the method's result type
     * @param owner the object whose method it is, held weakly
     * @param function calls the method on the owner it is given; must not capture the owner
     * @param onDeath called once the owner has been collected
     * @return the method, held without its owner
     * @throws IllegalArgumentException if the function or {@code onDeath} captures the owner
     * @throws NullPointerException     if an argument is null
     */
    public static <O, A, R> WeakFunction<O, A, R> of(O owner,
                                                     BiFunction<? super O, ? super A, ? extends R> function,
                                                     Consumer<? super WeakFunction<O, A, R>> onDeath) {
        return create(owner, function, Objects.requireNonNull(onDeath, "onDeath"));
    }

    private static <O, A, R> WeakFunction<O, A, R> create(O owner,
                                                          BiFunction<? super O, ? super A, ? extends R> function,
                                                          Consumer<? super WeakFunction<O, A, R>> onDeath) {
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(function, "function");
        requireNotCapturing("WeakFunction.of", owner, function, onDeath);
        try {
            return new WeakFunction<>(owner, function, onDeath);
        } finally {
            Reference.reachabilityFence(owner);
        }
    }

    /**
     * Calls the method on the owner with {@code argument}, if the owner has not been collected.
     *
     * @param argument passed to the method
     * @return the method's result; empty if the owner is gone (nothing ran) or if the method returned null
     */
    public Optional<R> apply(A argument) {
        O target = owner.get();
        if (target == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(function.apply(target, argument));
    }

    /**
     * The method bound to its owner; empty exactly when the owner has been collected.
     *
     * <p><b>Warning:</b> the returned function holds the owner strongly. Use it and drop it.
     *
     * @return the bound method, or empty once the owner is gone
     */
    public Optional<Function<A, R>> bind() {
        O target = owner.get();
        if (target == null) {
            return Optional.empty();
        }
        return Optional.of(argument -> function.apply(target, argument));
    }
}
