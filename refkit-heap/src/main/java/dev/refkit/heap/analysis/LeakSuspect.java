package dev.refkit.heap.analysis;

import java.util.List;
import java.util.Objects;

/**
 * One likely memory leak found in a heap dump, with the evidence a person needs to act on it.
 *
 * <p>Suspects are ranked: objects the program itself declared as garbage ({@link Kind#WATCHED_OBJECT_ALIVE})
 * come first, then all others by retained bytes, largest first.
 *
 * @param kind              which heuristic found it
 * @param summary           one line in the user's terms: what holds what, how many, how much
 * @param object            the suspect object's index in the heap graph (for a class suspect: its largest
 *                          instance; for a weak-keyed entry: one example entry)
 * @param objectType        that object's class name ({@code "class X"} for a class object)
 * @param instances         how many objects the suspect stands for (1 for a single object)
 * @param retainedBytes     the bytes the suspect keeps alive (see each {@link Kind})
 * @param heapShare         {@code retainedBytes} over the bytes of all strongly reachable objects, 0 to 1
 * @param accumulationPoint the object whose dominated children hold the bulk of the retained bytes, or
 *                          {@code -1} when the heuristic does not name one
 * @param path              the shortest strong path from a GC root to {@code object}, or none when it has no
 *                          strong path
 */
public record LeakSuspect(Kind kind, String summary, int object, String objectType, int instances,
                          long retainedBytes, double heapShare, int accumulationPoint, List<GcRootPath> path) {

    public LeakSuspect {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(summary, "summary");
        Objects.requireNonNull(objectType, "objectType");
        path = List.copyOf(path);
    }

    /** The heuristics, each with what it looks for. */
    public enum Kind {
        /**
         * A single object retains at least the threshold share (10% by default) of the strongly reachable
         * heap. Only objects that no other object dominates are considered, so nested retainers are not
         * reported twice; the accumulation point is found by descending the dominator tree into the
         * largest child while that child retains at least 80% of its parent.
         */
        LARGE_RETAINER,
        /**
         * Instances of one class, none dominated by another object, retain together at least the threshold
         * share; {@code object} is the largest of them and {@code instances} their count. Class objects are
         * not grouped (together they are the loaded program).
         */
        LARGE_CLASS,
        /**
         * The referent of a {@code dev.refkit.leak.KeyedWeakReference} (an object a leak watcher expected to
         * be collected) is still strongly reachable. {@code object} is the watched object, the path is why
         * it is alive, {@code retainedBytes} what it retains. The summary quotes the reference's description
         * and key.
         */
        WATCHED_OBJECT_ALIVE,
        /**
         * Weak-keyed entries whose value strongly reaches the entry's own key, so that the key can never be
         * collected: Java has no ephemerons, and a weak key is only weak as long as the value does not hold
         * it. Found among strongly reachable instances of {@code WeakReference} subclasses that also hold a
         * field named {@code value} ({@code java.util.WeakHashMap$Entry},
         * {@code ThreadLocal$ThreadLocalMap$Entry}, refkit's own entries and similar). One suspect per entry
         * class and key class; {@code object} is an example entry, {@code instances} the number of such
         * entries and {@code retainedBytes} what their values retain. The search from each value is bounded
         * (a budget of visited objects per entry and in total), so a key reached only beyond it is missed.
         */
        VALUE_REACHES_WEAK_KEY,
        /**
         * Listener-style accumulation: an object array (the storage of a list or set of listeners) of at
         * least 20 elements, most of them of one listener-like application class (not a JDK class; a name containing {@code Listener},
         * {@code Callback}, {@code Handler}, {@code Observer}, {@code Subscriber} or {@code Subscription},
         * a lambda, or a nested class), where the elements hold, through one reference each, at least 20
         * distinct objects of one class that the array dominates: objects that nothing but the registration
         * keeps alive, typically the owners a listener was meant to outlive. {@code object} is the array,
         * {@code instances} the number of such owners, {@code retainedBytes} what the array retains.
         */
        LISTENER_ACCUMULATION
    }
}
