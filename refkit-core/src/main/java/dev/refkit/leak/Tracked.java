package dev.refkit.leak;

/**
 * The handle of one resource given to {@link ResourceTracker#track(Object)}. The resource keeps it (in a
 * field) and closes it when the resource itself is closed; a resource that becomes unreachable while its
 * handle is open is reported as a leak.
 *
 * <p>When the tracker does not track a resource (level {@code DISABLED}, or not sampled) the handle is a
 * shared no-op: every method returns at once.
 */
public interface Tracked {

    /**
     * Records a use of the resource, with the current stack trace, when the tracker records traces; a leak
     * report lists the first and the most recent uses. Does nothing otherwise.
     *
     * @param hint what the use was ("read 4096 bytes"); its {@code toString()} is taken now
     */
    void record(Object hint);

    /** Records a use of the resource without a hint; see {@link #record(Object)}. */
    void record();

    /**
     * Marks the resource closed: it will not be reported. Idempotent and thread-safe.
     *
     * <p>The resource stays reachable until this method returns, so a collection that runs while the
     * resource's own {@code close()} is calling this cannot report it as leaked. <b>Warning:</b> that
     * guarantee starts when this method is entered; call it from the resource's {@code close()}, not from
     * code that runs after the last reference to the resource has been dropped.
     *
     * @return {@code true} if this call closed the handle; {@code false} if it was closed before or the
     *         resource is not tracked
     */
    boolean close();

    /** {@return whether this handle tracks its resource ({@code false} for the no-op handle)} */
    boolean isTracking();
}
