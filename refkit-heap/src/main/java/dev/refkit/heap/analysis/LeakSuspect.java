package dev.refkit.heap.analysis;

import java.util.List;
import java.util.Objects;

/**
 * One likely memory leak found in a heap dump, told the way a person would fix it: the reference to change
 * (the {@link Owner}), the {@link Container} where objects pile up, what piles up ({@link Accumulated}), the
 * path from a GC root to one of those objects, a hint for this {@link Kind} of leak and a fingerprint that is
 * the same in every dump of the same program.
 *
 * <p>Suspects are ranked: objects the program itself declared as garbage ({@link Kind#WATCHED_OBJECT_ALIVE})
 * come first, then all others by retained bytes, largest first. One leak is one suspect: accumulation points
 * with the same fingerprint (the same ThreadLocal in several pooled threads, the same static map reached
 * twice) are merged.
 *
 * @param kind          which kind of leak this looks like
 * @param summary       one line in the user's terms: who holds what, how many, how much
 * @param owner         the reference through which the leak is held
 * @param container     where the objects accumulate
 * @param accumulated   what accumulates, by class, most retained first
 * @param path          the shortest strong path from a GC root through the container to one representative
 *                      accumulated object (for a finalizer backlog: through the finalizer's referent); steps
 *                      before {@code ownerStep} are context (how the owner itself is reached)
 * @param ownerStep     the index in {@code path.steps()} of the owner's reference (a static field, the field),
 *                      or {@code -1} when the owner is the path's GC root itself (a thread's local variable)
 * @param containerStep the index in {@code path.steps()} of the step that reaches the container, or {@code -1}
 *                      when the container is the GC root object itself
 * @param hint          what usually fixes this kind of leak, in the terms of this one
 * @param fingerprint   16 hexadecimal digits from the class and field names along the owner → container path
 *                      (no addresses; array slots generalised; hidden-class suffixes dropped)
 * @param retainedBytes the bytes that would be freed if the owner let go (see each {@link Kind})
 * @param heapShare     {@code retainedBytes} over the bytes of all strongly reachable objects, 0 to 1
 */
public record LeakSuspect(Kind kind, String summary, Owner owner, Container container, List<Accumulated> accumulated,
                          GcRootPath path, int ownerStep, int containerStep, String hint, String fingerprint,
                          long retainedBytes, double heapShare) {

    /**
     * Checks the components (the steps must index the path) and copies the list.
     *
     * @param kind          which kind of leak this looks like
     * @param summary       one line in the user's terms: who holds what, how many, how much
     * @param owner         the reference through which the leak is held
     * @param container     where the objects accumulate
     * @param accumulated   what accumulates, by class, most retained first
     * @param path          the shortest strong path from a GC root through the container to one representative
     *     accumulated object (for a finalizer backlog: through the finalizer's referent); steps
     *     before {@code ownerStep} are context (how the owner itself is reached)
     * @param ownerStep     the index in {@code path.steps()} of the owner's reference (a static field, the field),
     *     or {@code -1} when the owner is the path's GC root itself (a thread's local variable)
     * @param containerStep the index in {@code path.steps()} of the step that reaches the container, or {@code -1}
     *     when the container is the GC root object itself
     * @param hint          what usually fixes this kind of leak, in the terms of this one
     * @param fingerprint   16 hexadecimal digits from the class and field names along the owner → container path
     *     (no addresses; array slots generalised; hidden-class suffixes dropped)
     * @param retainedBytes the bytes that would be freed if the owner let go (see each {@link Kind})
     * @param heapShare     {@code retainedBytes} over the bytes of all strongly reachable objects, 0 to 1
     */
    public LeakSuspect {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(summary, "summary");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(container, "container");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(hint, "hint");
        Objects.requireNonNull(fingerprint, "fingerprint");
        accumulated = List.copyOf(accumulated);
        if (ownerStep < -1 || ownerStep >= Math.max(1, path.steps().size())
                || containerStep < -1 || containerStep >= Math.max(1, path.steps().size())) {
            throw new IllegalArgumentException("ownerStep " + ownerStep + " and containerStep " + containerStep
                    + " must index the path's " + path.steps().size() + " steps (or be -1)");
        }
    }

    /** {@return the objects that accumulate, all classes together} */
    public long instances() {
        long count = 0;
        for (Accumulated a : accumulated) {
            count += a.count();
        }
        return count;
    }

    /**
     * The path told owner-first, one reference a line: the owner's reference (or the GC root) first, each later
     * reference read from the object on the line before, runs of one reference folded ({@code (×4,998)}), the
     * container and the representative accumulated object marked.
     *
     * @return the path's lines, owner first
     */
    public List<String> pathLines() {
        long count = accumulated.isEmpty() ? 0 : accumulated.get(0).count();
        return PathText.lines(path, ownerStep, containerStep, count > 1
                ? String.format(java.util.Locale.ROOT, " one of %,d", count) : "");
    }

    /** {@return the path's steps from the owner's reference on: the part a reader acts on} */
    public List<GcRootPath.Step> stepsFromOwner() {
        List<GcRootPath.Step> steps = path.steps();
        return steps.subList(Math.max(0, ownerStep), steps.size());
    }

    /**
     * The reference through which a leak is held, as a person would name it in code.
     *
     * @param type        what kind of reference
     * @param description the owner in one phrase: {@code static field app.ReportCache.RENDERED},
     *                    {@code thread "ingest-worker" at app.Ingest.run(Ingest.java:42), a local variable}, ...
     * @param className   the class declaring the field (static or instance, or the ThreadLocal's field), the
     *                    stale loader's class, or {@code null} for a thread's stack and the finalizer queue
     * @param field       the field's name, or {@code null} when the owner is not a field
     * @param threads     the names of the threads that hold the leak (their stack, their ThreadLocal values, the
     *                    finalizer thread), or none
     * @param frame       the stack frame holding it ({@code app.Ingest.run(Ingest.java:42)}), or {@code null}
     * @param context     how the owner itself is reached, in one phrase: {@code "ReportCache loaded by app"},
     *                    {@code "held by static field app.Market.FEED"}, the GC root; never {@code null}
     */
    public record Owner(Type type, String description, String className, String field, List<String> threads,
                        String frame, String context) {
        /**
         * Checks the components and copies the threads.
         *
         * @param type        what kind of reference
         * @param description the owner in one phrase: {@code static field app.ReportCache.RENDERED},
         *     {@code thread "ingest-worker" at app.Ingest.run(Ingest.java:42), a local variable}, ...
         * @param className   the class declaring the field (static or instance, or the ThreadLocal's field), the
         *     stale loader's class, or {@code null} for a thread's stack and the finalizer queue
         * @param field       the field's name, or {@code null} when the owner is not a field
         * @param threads     the names of the threads that hold the leak (their stack, their ThreadLocal values, the
         *     finalizer thread), or none
         * @param frame       the stack frame holding it ({@code app.Ingest.run(Ingest.java:42)}), or {@code null}
         * @param context     how the owner itself is reached, in one phrase: {@code "ReportCache loaded by app"},
         *     {@code "held by static field app.Market.FEED"}, the GC root; never {@code null}
         */
        public Owner {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(description, "description");
            Objects.requireNonNull(context, "context");
            threads = List.copyOf(threads);
        }

        /** The kinds of owner. */
        public enum Type {
            /** A static field: {@code className.field}. */
            STATIC_FIELD,
            /** An instance field of an object that something else keeps alive ({@link Owner#context()} says what). */
            INSTANCE_FIELD,
            /** A local variable of a running thread's frame (the dump does not name locals). */
            THREAD_STACK,
            /** The values a {@code ThreadLocal} (held by {@code className.field} when known) has in some threads. */
            THREAD_LOCAL,
            /** A class loader kept by one reference from outside it; {@link Owner#context()} names that reference. */
            STALE_CLASS_LOADER,
            /** The JVM's queue of objects awaiting {@code finalize()}, and the finalizer thread. */
            FINALIZER_QUEUE,
            /** A GC root that is none of the above (a JNI global reference, a monitor, a VM-internal root). */
            GC_ROOT
        }
    }

    /**
     * Where objects accumulate.
     *
     * @param object        the container's index in the heap graph
     * @param type          its class name: a collection or map, an array, a queue, or the head of a linked
     *                      structure taken as one
     * @param description   the container in one phrase ({@code "java.util.HashMap of 2,000 entries"},
     *                      {@code "a linked chain of 5,000 java.util.concurrent.LinkedBlockingQueue$Node"})
     * @param retainedBytes what the container retains
     */
    public record Container(int object, String type, String description, long retainedBytes) {
        /**
         * Checks that the components are given.
         *
         * @param object        the container's index in the heap graph
         * @param type          its class name: a collection or map, an array, a queue, or the head of a linked
         *     structure taken as one
         * @param description   the container in one phrase ({@code "java.util.HashMap of 2,000 entries"},
         *     {@code "a linked chain of 5,000 java.util.concurrent.LinkedBlockingQueue$Node"})
         * @param retainedBytes what the container retains
         */
        public Container {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(description, "description");
        }
    }

    /**
     * Objects of one class accumulating in the container.
     *
     * @param className     the class of the accumulated objects, as they matter to the reader: the object a
     *                      lambda, an inner class or a map entry holds rather than the holder
     * @param count         how many
     * @param retainedBytes what they retain together, the holders included
     * @param via           how each element holds them, e.g. {@code "$$Lambda.arg$1"} or
     *                      {@code "HashMap$Node.value"}; empty when the elements are these objects themselves
     */
    public record Accumulated(String className, long count, long retainedBytes, String via) {
        /**
         * Checks that the components are given.
         *
         * @param className     the class of the accumulated objects, as they matter to the reader: the object a
         *     lambda, an inner class or a map entry holds rather than the holder
         * @param count         how many
         * @param retainedBytes what they retain together, the holders included
         * @param via           how each element holds them, e.g. {@code "$$Lambda.arg$1"} or
         *     {@code "HashMap$Node.value"}; empty when the elements are these objects themselves
         */
        public Accumulated {
            Objects.requireNonNull(className, "className");
            Objects.requireNonNull(via, "via");
        }
    }

    /** The kinds of leak recognised, each with what it looks for. */
    public enum Kind {
        /**
         * The referent of a {@code dev.refkit.leak.KeyedWeakReference} (an object a leak watcher expected to be
         * collected) is still strongly reachable. Reported whatever its size; the summary quotes the
         * reference's description and key.
         */
        WATCHED_OBJECT_ALIVE,
        /**
         * Listeners (lambdas, method references, anonymous and {@code *Listener} classes) accumulate in a
         * list or set and keep the objects that registered them alive.
         */
        LISTENERS,
        /** Objects accumulate in a collection, map or array that a static field holds and nothing shrinks. */
        STATIC_COLLECTION,
        /** Objects accumulate in a collection held by an instance field of a long-lived object. */
        FIELD_COLLECTION,
        /** Values of a {@code ThreadLocal} never removed, held by long-lived (pooled) threads. */
        THREAD_LOCAL,
        /** A large batch held by a local variable of a running thread. */
        THREAD_STACK,
        /** Tasks (which often capture an outer object) wait in a queue that nobody drains. */
        QUEUED_TASKS,
        /** Tasks accumulate in the work queue of an executor whose workers are all busy or blocked. */
        STUCK_EXECUTOR,
        /**
         * Weak-keyed entries whose value strongly reaches the entry's own key, so that the key can never be
         * collected: Java has no ephemerons, and a weak key is only weak as long as the value does not hold it.
         */
        VALUE_REACHES_WEAK_KEY,
        /**
         * A class loader that nothing should use any more (its application was undeployed or reloaded) is kept
         * by one reference from outside it; its classes' statics are the bulk.
         */
        STALE_CLASS_LOADER,
        /** Objects with a {@code finalize()} method pile up faster than the finalizer thread runs them. */
        FINALIZER_BACKLOG,
        /** A single object (or a structure without a collection in it) retains the bytes. */
        LARGE_OBJECT
    }
}
