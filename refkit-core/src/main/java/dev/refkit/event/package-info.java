/**
 * Callbacks and listener registries that hold their owners weakly ({@code WeakMethod}, {@code Listeners}),
 * so that a subscriber cannot leak through its publisher.
 */
package dev.refkit.event;
