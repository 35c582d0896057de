package dev.refkit.leak;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;

/**
 * A stand-in, for this module's tests only, with the class name and fields that refkit-core's leak watcher
 * writes into heap dumps ({@code key}, {@code description}, {@code watchedAtNanos}); the analyzer recognises
 * it by name, so the tests need not depend on refkit-core.
 */
public final class KeyedWeakReference extends WeakReference<Object> {

    private final String key;
    private final String description;
    private final long watchedAtNanos;

    public KeyedWeakReference(Object referent, String key, String description, long watchedAtNanos,
                              ReferenceQueue<Object> queue) {
        super(referent, queue);
        this.key = key;
        this.description = description;
        this.watchedAtNanos = watchedAtNanos;
    }

    @Override
    public String toString() {
        return "KeyedWeakReference[" + key + ": " + description + " at " + watchedAtNanos + "]";
    }
}
