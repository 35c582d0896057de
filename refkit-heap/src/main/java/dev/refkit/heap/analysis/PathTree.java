package dev.refkit.heap.analysis;

import java.util.List;
import java.util.Objects;

/**
 * The shortest paths from GC roots to many objects merged into one tree, with counts: which holders keep
 * how many of the objects alive (a "merge shortest paths" view).
 *
 * <p>The tree's top level holds one node per GC root object; a node's children are the objects it holds on
 * some object's path. Paths are merged where they pass through the same object. A chain of objects that each
 * hold only the next, by the same reference, of the same class (a linked list's nodes) is one node with a
 * {@link Node#run()} above 1, so that a chain of millions is one node, not millions nested.
 *
 * @param roots     the GC root nodes, most objects first
 * @param reached   how many of the objects asked about have a path
 * @param unreached how many have no path under the options (for strong-only paths: not strongly reachable)
 */
public record PathTree(List<Node> roots, int reached, int unreached) {

    /**
     * Copies the roots.
     *
     * @param roots     the GC root nodes, most objects first
     * @param reached   how many of the objects asked about have a path
     * @param unreached how many have no path under the options (for strong-only paths: not strongly reachable)
     */
    public PathTree {
        roots = List.copyOf(roots);
    }

    /**
     * One object on the merged paths.
     *
     * @param object     its index in the heap graph
     * @param objectType its class name ({@code "class X"} for a class object)
     * @param reference  how its parent holds it ({@link GcRootPath.Step#referenceText()}), or, at the top
     *                   level, the GC root's description
     * @param count      how many of the objects asked about have their path through this node
     * @param isTarget   whether this object is itself one of the objects asked about (for a run: each is)
     * @param run        how many objects in a chain this node stands for: 1, or the length of a run of objects of
     *                   one class, each the only child of the one before by the same reference ({@code next});
     *                   {@code object} is the first of them, {@code children} are the last one's
     * @param children   the next objects on those paths, most objects first
     */
    public record Node(int object, String objectType, String reference, int count, boolean isTarget, int run,
                       List<Node> children) {
        /**
         * Checks the components and copies the children.
         *
         * @param object     its index in the heap graph
         * @param objectType its class name ({@code "class X"} for a class object)
         * @param reference  how its parent holds it ({@link GcRootPath.Step#referenceText()}), or, at the top
         *     level, the GC root's description
         * @param count      how many of the objects asked about have their path through this node
         * @param isTarget   whether this object is itself one of the objects asked about (for a run: each is)
         * @param run        how many objects in a chain this node stands for: 1, or the length of a run of objects of
         *     one class, each the only child of the one before by the same reference ({@code next});
         *     {@code object} is the first of them, {@code children} are the last one's
         * @param children   the next objects on those paths, most objects first
         */
        public Node {
            Objects.requireNonNull(objectType, "objectType");
            Objects.requireNonNull(reference, "reference");
            if (run < 1) {
                throw new IllegalArgumentException("run is " + run + "; a node stands for at least one object");
            }
            children = List.copyOf(children);
        }
    }
}
