/**
 * Callbacks and listener registries that hold their owners weakly, so that a subscriber cannot leak through
 * its publisher.
 *
 * <ul>
 *   <li>{@link dev.refkit.event.WeakMethod} (and {@link dev.refkit.event.WeakFunction} for methods that return
 *       a value): one method bound to an owner held weakly, Python's {@code weakref.WeakMethod} for Java.</li>
 *   <li>{@link dev.refkit.event.Listeners}: a thread-safe registry that delivers events to owners held weakly
 *       (or to listeners held strongly, on request), each registration a
 *       {@link dev.refkit.event.Subscription}.</li>
 * </ul>
 *
 * <p>In each, the owner is held weakly and the code to run strongly, so the code must not capture the owner:
 * write {@code (owner, event) -> owner.onEvent(event)} or {@code Owner::onEvent}, never
 * {@code owner::onEvent} or a lambda that uses {@code this}. Callbacks that capture their owner are rejected
 * with an {@link java.lang.IllegalArgumentException} that shows the right form.
 */
package dev.refkit.event;
