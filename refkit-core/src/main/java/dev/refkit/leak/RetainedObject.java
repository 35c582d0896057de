package dev.refkit.leak;

import java.time.Duration;
import java.util.Objects;

/**
 * An object given to {@link LeakWatcher#expectCollected(Object, String)} that is still strongly (or softly)
 * reachable after its grace period and after the watcher has asked the collector to run.
 *
 * @param key         the unique key of its {@link KeyedWeakReference}; a heap dump written now finds the
 *                    reference, and through it the object, by this key
 * @param description what the object is, in the words given to {@code expectCollected}
 * @param watchedFor  how long it has been watched, by the watcher's clock, when the check found it
 */
public record RetainedObject(String key, String description, Duration watchedFor) {

    /**
     * Checks that no component is null.
     *
     * @param key the key of the watched object's weak reference
     * @param description what the object is, in the words given to the watcher
     * @param watchedFor how long it had been watched when the check found it retained
     */
    public RetainedObject {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(watchedFor, "watchedFor");
    }

    @Override
    public String toString() {
        return description + " (key " + key + ", retained " + watchedFor.toMillis() + " ms after it was watched)";
    }
}
