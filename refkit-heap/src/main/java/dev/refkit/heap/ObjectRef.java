package dev.refkit.heap;

/**
 * The value of a reference field read with {@link HeapGraph#fieldValue(int, String)}.
 *
 * @param id the object id written in the dump
 * @param object the object's index in the graph, or -1 when no object of the dump has that id (dangling)
 */
public record ObjectRef(long id, int object) {
}
