package dev.refkit.event;

import java.lang.ref.Reference;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * A method bound to an owner that is held weakly: the Java counterpart of Python's {@code weakref.WeakMethod}.
 *
 * <pre>{@code
 * WeakMethod<Printer, String> print = WeakMethod.of(printer, Printer::print);
 * print.invoke("hi");        // true: printer.print("hi") ran
 * // ... once printer has been collected:
 * print.invoke("hi");        // false: nothing ran
 * }</pre>
 *
 * <p>Java's two usual attempts both fail. A {@link java.lang.ref.WeakReference} to a lambda or a method
 * reference is cleared at the next collection, because nothing else refers to the lambda object; and a lambda
 * that captures the owner, held strongly, keeps the owner alive for as long as the lambda is held. A
 * {@code WeakMethod} separates the two: the <em>owner</em> is held weakly, and the <em>function</em>, which
 * receives the owner as its first argument and must not capture it, is held strongly.
 *
 * <p><b>Warning:</b> the function is held strongly, and so is everything it captures. {@link #of} rejects a
 * function that captures the owner itself (see there for the exact rule and what it cannot see), but a
 * function that captures another object which in turn refers to the owner keeps the owner alive all the same.
 *
 * <p>Two {@code WeakMethod}s are equal when they refer to the same owner (by identity, whatever the owner's
 * {@code equals}) and to equal functions; note that a method reference written twice may yield two distinct,
 * unequal function objects, while a non-capturing lambda or method reference evaluated twice at the same place
 * in the source yields the same one. The hash code is computed at construction and does not change when the
 * owner is collected; after that, a {@code WeakMethod} is equal only to itself.
 *
 * <p>Instances are immutable and thread-safe.
 *
 * @param <O> the owner's type
 * @param <A> the type of the argument the method takes
 * @see WeakFunction for a method that returns a value
 */
public final class WeakMethod<O, A> extends WeakBinding<O, BiConsumer<? super O, ? super A>> {

    @SuppressWarnings("unchecked")
    private WeakMethod(O owner, BiConsumer<? super O, ? super A> method,
                       Consumer<? super WeakMethod<O, A>> onDeath) {
        super(owner, method, onDeath == null ? null : dead -> onDeath.accept((WeakMethod<O, A>) dead));
    }

    /**
     * A method of {@code owner}, which is held weakly, given as a function that receives the owner:
     * {@code WeakMethod.of(printer, Printer::print)} or {@code WeakMethod.of(printer, (p, s) -> p.print(s))}.
     *
     * <p>The function is checked for capturing the owner, and rejected if it does: it is rejected when it is
     * the owner itself, or when an instance field of its class (whoever made the class, the JDK included) or of
     * a superclass outside the JDK refers to the owner. That covers a lambda that uses {@code this} or the
     * owner's variable, a bound method reference {@code owner::print}, an inner or anonymous class whose
     * enclosing instance ({@code this$0}) is the owner, and a composite such as {@code owner.andThen(...)}. A
     * field that holds another function object (a lambda, a method reference, an anonymous, local or inner
     * class: the parts of {@code f.andThen(g)} or {@code Comparator.comparing(f)}, a captured callback) is
     * checked the same way, up to four levels below the function. Each field is read, and compared with the
     * owner by identity, when reflection may read it: always for code on the class path, and in a named module
     * when the function's package is open to {@code dev.refkit.core}. The fields of the lambdas the JDK makes
     * ({@code andThen}, {@code compose}, ...) can never be read that way; for the serializable ones (the
     * {@link java.util.Comparator} composites) serialization tells what they captured. Where nothing tells, the
     * field's declared type decides: a field declared as a type of the owner (its class, a superclass or an
     * interface it implements, but not {@code Object}) is taken to hold the owner.
     *
     * <p><b>Warning:</b> the check follows function objects only. It cannot see a capture of the owner through
     * any other object (a captured list that contains the owner, a field of a captured object), nor through the
     * parts of a JDK composite that is not serializable ({@code f.andThen(owner::print)} holds the owner where
     * the check cannot look, unless the owner is itself of the composite's parameter type), nor, in a module
     * that does not open its package, a capture through a variable declared as {@code Object} or as a type
     * variable. Conversely, where a field cannot be read, a function that captures a <em>different</em> object
     * of the owner's type is rejected; open the package to {@code dev.refkit.core} (for the JDK's own
     * packages, {@code --add-opens}) to have it accepted.
     *
     * @param <O> the owner's type
     * @param <A> the method's argument type
     * @param owner the object whose method it is, held weakly
     * @param method calls the method on the owner it is given; must not capture the owner
     * @return the method, held without its owner
     * @throws IllegalArgumentException if the function captures the owner, with a message that shows the
     *                                  non-capturing form
     * @throws NullPointerException     if an argument is null
     */
    public static <O, A> WeakMethod<O, A> of(O owner, BiConsumer<? super O, ? super A> method) {
        return create(owner, method, null);
    }

    /**
     * As {@link #of(Object, BiConsumer)}, and calls {@code onDeath} with this {@code WeakMethod} shortly after
     * the owner has been collected, for instance to remove it from the collection that holds it.
     *
     * <p>{@code onDeath} runs on a daemon thread shared by the JVM, started the first time a death callback is
     * asked for; it must be short and must not block. It runs only if this {@code WeakMethod} is still
     * reachable when the owner is collected. An exception it throws is logged ({@link System.Logger}, level
     * {@code WARNING}) and does not stop other callbacks. {@code onDeath} is held strongly and checked for
     * capturing the owner like the function.
     *
     * @param <O> the owner's type
     * @param <A> the method's argument type
     * @param owner the object whose method it is, held weakly
     * @param method calls the method on the owner it is given; must not capture the owner
     * @param onDeath called once the owner has been collected
     * @return the method, held without its owner
     * @throws IllegalArgumentException if the function or {@code onDeath} captures the owner
     * @throws NullPointerException     if an argument is null
     */
    public static <O, A> WeakMethod<O, A> of(O owner, BiConsumer<? super O, ? super A> method,
                                             Consumer<? super WeakMethod<O, A>> onDeath) {
        return create(owner, method, Objects.requireNonNull(onDeath, "onDeath"));
    }

    private static <O, A> WeakMethod<O, A> create(O owner, BiConsumer<? super O, ? super A> method,
                                                  Consumer<? super WeakMethod<O, A>> onDeath) {
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(method, "method");
        requireNotCapturing("WeakMethod.of", owner, method, onDeath);
        try {
            return new WeakMethod<>(owner, method, onDeath);
        } finally {
            Reference.reachabilityFence(owner); // the owner must not die while its reference is being made
        }
    }

    /**
     * Calls the method on the owner with {@code argument}, if the owner has not been collected.
     *
     * @param argument passed to the method
     * @return true if the method ran, false if the owner is gone (and nothing ran)
     */
    public boolean invoke(A argument) {
        O target = owner.get();
        if (target == null) {
            return false;
        }
        function.accept(target, argument);
        return true;
    }

    /**
     * The method bound to its owner, as Python's {@code weak_method()} returns the bound method; empty once the
     * owner has been collected.
     *
     * <p><b>Warning:</b> the returned consumer holds the owner strongly. Use it and drop it; storing it
     * re-creates the leak that this class avoids.
     *
     * @return the bound method, or empty once the owner is gone
     */
    public Optional<Consumer<A>> bind() {
        O target = owner.get();
        if (target == null) {
            return Optional.empty();
        }
        return Optional.of(argument -> function.accept(target, argument));
    }
}
