package dev.refkit.heap;

/**
 * A garbage-collection root: an object the JVM held directly when the dump was written.
 *
 * <p>An object may be a root several times, for different reasons; each is its own {@code GcRoot}.
 *
 * @param object the object's index in the {@link HeapGraph}
 * @param kind why the JVM held it
 * @param thread index of the thread object whose stack or block holds it, or -1 when none is known
 * @param frameDepth depth of the frame on that thread's stack (0 is the top), or -1 when not a frame root
 * @param frame the frame holding it (method and line), or {@code null} when the dump does not say
 */
public record GcRoot(int object, GcRootKind kind, int thread, int frameDepth, StackFrame frame) {
}
