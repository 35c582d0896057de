package dev.refkit.heap.analysis;

import dev.refkit.heap.index.Storage;
import java.util.List;

/**
 * The view of a heap that the analyses work on: dense object indexes, outgoing references in CSR form,
 * GC roots, shallow sizes and classes, all answered from primitive arrays.
 *
 * <p>References of object {@code o} are the edges {@code firstEdge(o) .. firstEdge(o + 1) - 1}, so
 * {@code firstEdge(objectCount())} is the edge count. An edge's strength is the ordinal of the
 * {@link Reachability} it conveys ({@code STRONG} = 0 .. {@code PHANTOM} = 4). Names are decoded only
 * for the few edges and objects that a result shows.
 */
interface ObjectGraph {

    int objectCount();

    /** Where the analyses' per-object arrays are allocated: the dump's own storage (on the heap or in files). */
    default Storage storage() {
        return Storage.onHeap();
    }

    long firstEdge(int object);

    int edgeTarget(long edge);

    /** The object an edge comes from: the last whose first edge is at or before it. */
    int edgeSource(long edge);

    /** The {@link Reachability#ordinal()} of the edge, {@code STRONG} through {@code PHANTOM}. */
    int edgeStrength(long edge);

    /** The reference as the dump names it: {@code "next"}, {@code "static INSTANCE"}, {@code "[3]"}, {@code "<loader>"}. */
    String edgeName(long edge);

    /** The names of all of an object's edges, in edge order, read at once (for holders with many edges). */
    default String[] edgeNames(int object) {
        String[] names = new String[(int) (firstEdge(object + 1) - firstEdge(object))];
        for (int i = 0; i < names.length; i++) {
            names[i] = edgeName(firstEdge(object) + i);
        }
        return names;
    }

    /**
     * The target of the object's strong reference with this name, or {@code -1}: the object's names are read once
     * (not once per edge, which costs quadratically in an object with thousands of fields).
     */
    default int strongField(int object, String name) {
        String[] names = edgeNames(object);
        long first = firstEdge(object);
        for (int i = 0; i < names.length; i++) {
            if (edgeStrength(first + i) == 0 && name.equals(names[i])) {
                return edgeTarget(first + i);
            }
        }
        return -1;
    }

    /** Whether the edge is a static field of a class object (its name is {@code "static NAME"}). */
    boolean isStaticField(long edge);

    int rootCount();

    int rootObject(int root);

    /** The root's kind in the dump's terms, e.g. {@code "STICKY_CLASS"} or {@code "JAVA_FRAME"}. */
    String rootKind(int root);

    /** The thread that holds the root, or {@code null}. */
    String rootThread(int root);

    /** The stack frame that holds the root ({@code "Foo.bar(Foo.java:12)"}), or {@code null}. */
    String rootFrame(int root);

    /** The thread object whose stack or block holds the root, or {@code -1}. */
    int rootThreadObject(int root);

    /** The depth of the root's frame on its thread's stack (0 is the top), or {@code -1}. */
    int rootFrameDepth(int root);

    long shallowSize(int object);

    /** The class id of the object's class, or {@code -1} when the dump gives it none. */
    int classOf(int object);

    int classCount();

    String className(int classId);

    /** The superclass's id, or {@code -1}. */
    int superClassOf(int classId);

    /** For a class object, the id of the class it stands for; otherwise {@code -1}. */
    int classForObject(int object);

    /** The class object standing for the class, or {@code -1} when the dump has none. */
    int classObject(int classId);

    /** The class loader object that defined the class, or {@code -1} for the boot loader. */
    int classLoaderOf(int classId);

    /** The names of the instance fields of primitive type that the class itself declares (not inherited ones). */
    List<String> primitiveFieldNames(int classId);

    /** The text of a {@code String} held in the object's field, or {@code null} when absent or not a String. */
    String stringField(int object, String fieldName);

    /** The first {@code maxChars} characters of a {@code String} held in the object's field, only they read. */
    default String stringField(int object, String fieldName, int maxChars) {
        String text = stringField(object, fieldName);
        return text == null || text.length() <= maxChars ? text : text.substring(0, maxChars);
    }
}
