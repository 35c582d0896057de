package dev.refkit.event;

import java.util.function.Consumer;

/**
 * What {@link WeakMethod} and {@link WeakFunction} share: an owner held weakly, a function that receives
 * it, and an identity (equality and hash code) that survives the owner.
 *
 * @param <O> the owner's type
 * @param <F> the function's type
 */
abstract class WeakBinding<O, F> {

    final OwnerReference<O> owner;
    final F function;
    private final int hash;

    /** @param onDeath called with this binding shortly after the owner has been collected, or null */
    WeakBinding(O owner, F function, Consumer<Object> onDeath) {
        this.owner = onDeath == null ? new OwnerReference<>(owner)
                : new OwnerReference<>(owner, () -> onDeath.accept(this));
        this.function = function;
        this.hash = 31 * System.identityHashCode(owner) + function.hashCode();
    }

    /**
     * Rejects a function or death callback that captures the owner (see {@link WeakMethod#of(Object,
     * java.util.function.BiConsumer)}), with the non-capturing form in the message.
     */
    static void requireNotCapturing(String factory, Object owner, Object function, Object onDeath) {
        String type = owner.getClass().getSimpleName();
        CaptureGuard.requireNotCapturing(factory, "function", owner, function,
                factory + "(owner, " + type + "::method) or " + factory + "(owner, (o, arg) -> o.method(arg))");
        if (onDeath != null) {
            CaptureGuard.requireNotCapturing(factory, "onDeath callback", owner, onDeath,
                    factory + "(owner, " + type + "::method, dead -> registry.remove(dead))");
        }
    }

    /**
     * Whether the owner has not been collected yet. A {@code true} answer may be out of date as soon as it is
     * given; calling and binding answer and act at once.
     *
     * @return whether the owner is still alive, as far as this moment knows
     */
    public boolean isAlive() {
        return !owner.refersTo(null);
    }

    /**
     * Same kind, same owner (identity) and equal functions, while the owner is alive; afterwards, only this
     * object itself.
     */
    @Override
    public boolean equals(Object other) {
        if (other == this) {
            return true;
        }
        if (other == null || other.getClass() != getClass()) {
            return false;
        }
        WeakBinding<?, ?> that = (WeakBinding<?, ?>) other;
        if (hash != that.hash || !function.equals(that.function)) {
            return false;
        }
        Object target = owner.get();
        return target != null && that.owner.get() == target;
    }

    /** Fixed at construction from the owner's identity and the function, so that it survives the owner. */
    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        Object target = owner.get();
        return getClass().getSimpleName() + "[" + (target == null ? "owner collected"
                : target.getClass().getName() + "@" + Integer.toHexString(System.identityHashCode(target)))
                + ", " + function + "]";
    }
}
