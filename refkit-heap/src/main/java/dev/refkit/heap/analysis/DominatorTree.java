package dev.refkit.heap.analysis;

import dev.refkit.heap.ProgressListener;
import dev.refkit.heap.index.IntArray;
import dev.refkit.heap.index.LongArray;
import dev.refkit.heap.index.Storage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The dominator tree of the strong reference graph, and the retained sizes it implies.
 *
 * <p>Object {@code d} dominates object {@code o} when every strong path from the GC roots to {@code o} passes
 * through {@code d}; the tree hangs every strongly reachable object under its immediate dominator, and under
 * a virtual root joined to all GC roots where no single object dominates it. An object's <em>retained
 * size</em> is the sum of the shallow sizes of the objects it dominates, itself included: what the collector
 * would free if that one object went away.
 *
 * <p><b>Warning:</b> only strong references count. An object reached only through soft, weak, finalizer or
 * phantom referents has no dominator and adds to nobody's retained size ({@link #isStronglyReachable}
 * tells), which is why the retained size of a cache of soft values is small even when its values are big.
 */
public final class DominatorTree {

    /** Returned by {@link #immediateDominator} for objects that no single object dominates. */
    public static final int VIRTUAL_ROOT = DominatorComputation.VIRTUAL_ROOT;
    /** Returned by {@link #immediateDominator} for objects that the strong graph does not reach. */
    public static final int NOT_STRONGLY_REACHABLE = DominatorComputation.NOT_REACHED;

    /**
     * One object and what it retains.
     *
     * @param object        its index in the heap graph
     * @param objectType    its class name ({@code "class X"} for a class object)
     * @param shallowSize   its own bytes
     * @param retainedSize  the bytes it dominates, itself included
     */
    public record Retainer(int object, String objectType, long shallowSize, long retainedSize) {
        /**
         * Checks that the type is given.
         *
         * @param object        its index in the heap graph
         * @param objectType    its class name ({@code "class X"} for a class object)
         * @param shallowSize   its own bytes
         * @param retainedSize  the bytes it dominates, itself included
         */
        public Retainer {
            Objects.requireNonNull(objectType, "objectType");
        }
    }

    /**
     * What the strongly reachable instances of one class retain together.
     *
     * @param className     the class name ({@code "<no class>"} for objects without one)
     * @param instances     how many strongly reachable instances
     * @param shallowBytes  their shallow bytes
     * @param retainedBytes the bytes they retain together: the sum over instances that no other instance of the
     *                      same class dominates, so that nested instances (a linked list's nodes) are not
     *                      counted twice
     */
    public record ClassRetained(String className, long instances, long shallowBytes, long retainedBytes) {
        /**
         * Checks that the class name is given.
         *
         * @param className     the class name ({@code "<no class>"} for objects without one)
         * @param instances     how many strongly reachable instances
         * @param shallowBytes  their shallow bytes
         * @param retainedBytes the bytes they retain together: the sum over instances that no other instance of the
         *     same class dominates, so that nested instances (a linked list's nodes) are not
         *     counted twice
         */
        public ClassRetained {
            Objects.requireNonNull(className, "className");
        }
    }

    private final ObjectGraph graph;
    private final IntArray idom;
    private final LongArray retained;
    private final IntArray order;
    private final long reachableBytes;
    // Children in CSR form, each list sorted by retained size, most first; built on first use.
    private IntArray childFirst;
    private IntArray children;
    private int[] topLevel;
    // Position of each object in a preorder walk of the dominator tree, and the end of its subtree.
    private IntArray treeIn;
    private IntArray treeOut;

    private DominatorTree(ObjectGraph graph, DominatorComputation computation) {
        this.graph = graph;
        this.idom = computation.idom;
        this.retained = computation.retained;
        this.order = computation.order;
        this.reachableBytes = computation.reachableBytes;
    }

    static DominatorTree of(ObjectGraph graph) {
        return of(graph, ProgressListener.NONE);
    }

    /** The dominator tree, telling {@code listener} how far its computation has come. */
    static DominatorTree of(ObjectGraph graph, ProgressListener listener) {
        return new DominatorTree(graph, DominatorComputation.compute(graph, PhaseProgress.of(listener, "dominators",
                DominatorComputation.PASSES, graph.objectCount())));
    }

    /**
     * The object's immediate dominator: an object index, {@link #VIRTUAL_ROOT} when only the roots together
     * dominate it, or {@link #NOT_STRONGLY_REACHABLE}.
     *
     * @param object the object's index in the heap graph
     * @return its immediate dominator
     */
    public int immediateDominator(int object) {
        Objects.checkIndex(object, graph.objectCount());
        return idom.get(object);
    }

    /**
     * Whether the object is strongly reachable: in the dominator tree.
     *
     * @param object the object's index in the heap graph
     * @return whether it is strongly reachable
     */
    public boolean isStronglyReachable(int object) {
        return immediateDominator(object) != NOT_STRONGLY_REACHABLE;
    }

    /**
     * The bytes the object retains, itself included; 0 when it is not strongly reachable.
     *
     * @param object the object's index in the heap graph
     * @return its retained size in bytes
     */
    public long retainedSize(int object) {
        Objects.checkIndex(object, graph.objectCount());
        return retained.get(object);
    }

    /** {@return the shallow bytes of all strongly reachable objects: what the virtual root retains} */
    public long reachableBytes() {
        return reachableBytes;
    }

    /** {@return the number of strongly reachable objects} */
    public int reachableCount() {
        return (int) order.length();
    }

    /**
     * Whether {@code dominator} dominates {@code object} (every object dominates itself); O(1) after first use.
     *
     * @param dominator an object's index
     * @param object another's
     * @return whether every path from the roots to {@code object} passes through {@code dominator}
     */
    public boolean dominates(int dominator, int object) {
        if (!isStronglyReachable(dominator) || !isStronglyReachable(object)) {
            return false;
        }
        buildChildren();
        int in = treeIn.get(object);
        return treeIn.get(dominator) <= in && in < treeOut.get(dominator);
    }

    /**
     * The objects the given one immediately dominates, most retained first.
     *
     * @param object the object's index in the heap graph
     * @return the indexes of the objects it immediately dominates
     */
    public int[] children(int object) {
        Objects.checkIndex(object, graph.objectCount());
        buildChildren();
        int first = childFirst.get(object);
        int[] result = new int[childFirst.get(object + 1) - first];
        for (int i = 0; i < result.length; i++) {
            result[i] = children.get(first + i);
        }
        return result;
    }

    /** The position of the object's first child in {@link #childAt} order (children are sorted, most retained first). */
    int firstChild(int object) {
        buildChildren();
        return childFirst.get(object);
    }

    /** The position after the object's last child. */
    int endOfChildren(int object) {
        buildChildren();
        return childFirst.get(object + 1);
    }

    /** The child at a position between {@link #firstChild} and {@link #endOfChildren}. */
    int childAt(int position) {
        return children.get(position);
    }

    /** The child retaining the most, or -1 for a leaf. */
    int largestChild(int object) {
        buildChildren();
        int first = childFirst.get(object);
        return first < childFirst.get(object + 1) ? children.get(first) : -1;
    }

    /** The top-level objects, without copying. */
    int[] topLevelView() {
        buildChildren();
        return topLevel;
    }

    /** {@return the objects that only the GC roots together dominate (the virtual root's children), most retained first} */
    public int[] topLevel() {
        buildChildren();
        return topLevel.clone();
    }

    /**
     * The {@code limit} objects with the largest retained sizes, largest first.
     *
     * <p>Dominators and the objects they dominate can both appear (a map and its table); use
     * {@link #topLevel()} for disjoint retainers.
     *
     * @param limit how many, zero or more
     * @return the retainers, largest first
     */
    public List<Retainer> topRetainers(int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit is " + limit + "; ask for zero or more retainers");
        }
        // a min-heap of the best so far, in primitive ints: boxing every object of a large heap to compare it
        // would cost a collection or two
        int[] heap = new int[(int) Math.min(limit, order.length())];
        int size = 0;
        for (long i = 0, reachable = order.length(); i < reachable; i++) {
            int object = order.get(i);
            if (size < heap.length) {
                heap[size] = object;
                siftUp(heap, size++);
            } else if (size > 0 && ranksBelow(heap[0], object)) {
                heap[0] = object;
                siftDown(heap, size);
            }
        }
        List<Integer> top = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            top.add(heap[i]);
        }
        top.sort((x, y) -> ranksBelow(x, y) ? 1 : ranksBelow(y, x) ? -1 : 0);
        List<Retainer> result = new ArrayList<>(top.size());
        for (int object : top) {
            result.add(retainer(object));
        }
        return Collections.unmodifiableList(result);
    }

    /** Whether {@code a} comes after {@code b} among the retainers: it retains less, or as much with a larger index. */
    private boolean ranksBelow(int a, int b) {
        long ra = retained.get(a);
        long rb = retained.get(b);
        return ra < rb || ra == rb && a > b;
    }

    private void siftUp(int[] heap, int i) {
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (!ranksBelow(heap[i], heap[parent])) {
                return;
            }
            int t = heap[i];
            heap[i] = heap[parent];
            heap[parent] = t;
            i = parent;
        }
    }

    private void siftDown(int[] heap, int size) {
        int i = 0;
        while (true) {
            int least = i;
            int left = 2 * i + 1;
            int right = left + 1;
            if (left < size && ranksBelow(heap[left], heap[least])) {
                least = left;
            }
            if (right < size && ranksBelow(heap[right], heap[least])) {
                least = right;
            }
            if (least == i) {
                return;
            }
            int t = heap[i];
            heap[i] = heap[least];
            heap[least] = t;
            i = least;
        }
    }

    /** {@return per class, what its strongly reachable instances retain together; most retained first} */
    public List<ClassRetained> retainedByClass() {
        buildChildren();
        int classes = graph.classCount();
        long[] instances = new long[classes + 1];
        long[] shallow = new long[classes + 1];
        long[] retainedBytes = new long[classes + 1];
        // Walk the dominator tree depth first, counting for each class how many of its instances are on the
        // current tree path; an instance adds its retained size only when none of its dominators shares its class.
        int[] active = new int[classes + 1];
        WalkStack stack = new WalkStack(graph.storage());
        for (int top : topLevel) {
            stack.push(top, childFirst.get(top));
            enter(top, classes, active, instances, shallow, retainedBytes);
            while (!stack.isEmpty()) {
                int object = stack.object();
                int at = (int) stack.cursor();
                if (at < childFirst.get(object + 1)) {
                    stack.cursor(at + 1);
                    int child = children.get(at);
                    enter(child, classes, active, instances, shallow, retainedBytes);
                    stack.push(child, childFirst.get(child));
                } else {
                    active[classIndex(object, classes)]--;
                    stack.pop();
                }
            }
        }
        stack.free();
        List<ClassRetained> rows = new ArrayList<>();
        for (int c = 0; c <= classes; c++) {
            if (instances[c] > 0) {
                String name = c == classes ? ReachabilityCensus.NO_CLASS : graph.className(c);
                rows.add(new ClassRetained(name, instances[c], shallow[c], retainedBytes[c]));
            }
        }
        rows.sort(Comparator.comparingLong(ClassRetained::retainedBytes).reversed()
                .thenComparing(ClassRetained::className));
        return Collections.unmodifiableList(rows);
    }

    private void enter(int object, int classes, int[] active, long[] instances, long[] shallow, long[] retainedBytes) {
        int c = classIndex(object, classes);
        instances[c]++;
        shallow[c] += graph.shallowSize(object);
        if (active[c] == 0) {
            retainedBytes[c] += retained.get(object);
        }
        active[c]++;
    }

    private int classIndex(int object, int classes) {
        int c = graph.classOf(object);
        return c < 0 || c >= classes ? classes : c;
    }

    Retainer retainer(int object) {
        return new Retainer(object, Names.objectType(graph, object), graph.shallowSize(object), retained.get(object));
    }

    private void buildChildren() {
        if (childFirst != null) {
            return;
        }
        Storage storage = graph.storage();
        int n = graph.objectCount();
        IntArray first = storage.ints(n + 1L);
        int tops = 0;
        // both passes go in object order, reading idom sequentially: the lists are sorted afterwards, ties by index
        for (int o = 0; o < n; o++) {
            int d = idom.get(o);
            if (d == VIRTUAL_ROOT) {
                tops++;
            } else if (d != NOT_STRONGLY_REACHABLE) {
                first.add(d, 1);
            }
        }
        // inclusive prefix sums (where each list ends), then the lists filled from their ends: first[] ends up
        // as their starts
        int total = 0;
        for (int o = 0; o < n; o++) {
            total += first.get(o);
            first.set(o, total);
        }
        first.set(n, total);
        IntArray list = storage.ints(total);
        int[] top = new int[tops];
        int t = tops;
        for (int object = n - 1; object >= 0; object--) {
            int d = idom.get(object);
            if (d == VIRTUAL_ROOT) {
                top[--t] = object;
            } else if (d != NOT_STRONGLY_REACHABLE) {
                list.set(first.add(d, -1), object);
            }
        }
        sortByRetained(top);
        for (int o = 0; o < n; o++) {
            int from = first.get(o);
            int to = first.get(o + 1);
            if (to - from > 1) {
                sortByRetained(list, from, to);
            }
        }
        IntArray in = storage.ints(n);
        IntArray out = storage.ints(n);
        int clock = 0;
        WalkStack stack = new WalkStack(storage);
        for (int root : top) {
            stack.push(root, first.get(root));
            in.set(root, clock++);
            while (!stack.isEmpty()) {
                int object = stack.object();
                int at = (int) stack.cursor();
                if (at < first.get(object + 1)) {
                    stack.cursor(at + 1);
                    int child = list.get(at);
                    in.set(child, clock++);
                    stack.push(child, first.get(child));
                } else {
                    out.set(object, clock);
                    stack.pop();
                }
            }
        }
        stack.free();
        this.children = list;
        this.topLevel = top;
        this.treeIn = in;
        this.treeOut = out;
        this.childFirst = first;
    }

    /** {@link #sortByRetained(IntArray, int, int)} of a Java array. */
    private void sortByRetained(int[] objects) {
        IntArray view = Storage.onHeap().ints(objects.length);
        for (int i = 0; i < objects.length; i++) {
            view.set(i, objects[i]);
        }
        sortByRetained(view, 0, objects.length);
        for (int i = 0; i < objects.length; i++) {
            objects[i] = view.get(i);
        }
    }

    /**
     * Sort of a range by retained size, most first (ties: smaller index first); no boxing, no recursion. Short
     * ranges (most objects have a child or two) by insertion, long ones by heap sort: the same order either way,
     * since the order is total.
     */
    private void sortByRetained(IntArray objects, int from, int to) {
        if (to - from <= 16) {
            for (int i = from + 1; i < to; i++) {
                int object = objects.get(i);
                int j = i - 1;
                while (j >= from && after(objects.get(j), object)) {
                    objects.set(j + 1, objects.get(j));
                    j--;
                }
                objects.set(j + 1, object);
            }
            return;
        }
        int size = to - from;
        for (int i = size / 2 - 1; i >= 0; i--) {
            siftDown(objects, from, i, size);
        }
        for (int end = size - 1; end > 0; end--) {
            int first = objects.get(from);
            objects.set(from, objects.get(from + end));
            objects.set(from + end, first);
            siftDown(objects, from, 0, end);
        }
    }

    /** Sifts within a heap whose top is the object that sorts last, so the range ends up most retained first. */
    private void siftDown(IntArray objects, int base, int i, int size) {
        while (true) {
            int child = 2 * i + 1;
            if (child >= size) {
                return;
            }
            if (child + 1 < size && after(objects.get(base + child + 1), objects.get(base + child))) {
                child++;
            }
            if (!after(objects.get(base + child), objects.get(base + i))) {
                return;
            }
            int t = objects.get(base + i);
            objects.set(base + i, objects.get(base + child));
            objects.set(base + child, t);
            i = child;
        }
    }

    /** Whether {@code a} sorts after {@code b} in "most retained first" order. */
    private boolean after(int a, int b) {
        long ra = retained.get(a);
        long rb = retained.get(b);
        return ra != rb ? ra < rb : a > b;
    }
}
