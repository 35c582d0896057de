package dev.refkit.leak;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.Objects;

/**
 * A weak reference to an object that is expected to be collected, carrying a unique key and a description.
 *
 * <p>The heap analyzer ({@code refkit-heap}) recognises instances of this class in a heap dump by its name
 * and its fields {@code key}, {@code description} and {@code watchedAtNanos}; renaming them is a change of
 * the dump format that the analyzer reads.
 */
public final class KeyedWeakReference extends WeakReference<Object> {

    private final String key;
    private final String description;
    private final long watchedAtNanos;

    /**
     * @param referent       the watched object
     * @param key            a key unique among the watcher's references
     * @param description    what the object is, in the user's words ("closed view", "request 42")
     * @param watchedAtNanos the watcher's clock ({@link System#nanoTime()} unless another was given) when
     *                       watching began
     * @param queue          where the reference is enqueued once its referent is collected
     */
    public KeyedWeakReference(Object referent, String key, String description, long watchedAtNanos,
                              ReferenceQueue<Object> queue) {
        super(Objects.requireNonNull(referent, "referent"), queue);
        this.key = Objects.requireNonNull(key, "key");
        this.description = Objects.requireNonNull(description, "description");
        this.watchedAtNanos = watchedAtNanos;
    }

    /** {@return the key unique among the watcher's references} */
    public String key() {
        return key;
    }

    /** {@return what the watched object is, in the user's words} */
    public String description() {
        return description;
    }

    /** {@return the watcher's clock, in nanoseconds, when watching began} */
    public long watchedAtNanos() {
        return watchedAtNanos;
    }

    @Override
    public String toString() {
        return "KeyedWeakReference[" + key + ": " + description + "]";
    }
}
