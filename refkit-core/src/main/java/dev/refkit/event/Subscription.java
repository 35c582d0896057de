package dev.refkit.event;

/**
 * A registration of a listener; closing it stops delivery.
 *
 * <p>{@link #close()} is idempotent and thread-safe; once it returns, the listener receives no further
 * event, not even later in a publish that is under way on another thread.
 */
public interface Subscription extends AutoCloseable {

    /** {@return whether events are still delivered: not closed, and the owner (if held weakly) not collected} */
    boolean isActive();

    /** Stops delivery. Closing twice has no further effect. */
    @Override
    void close();
}
