package dev.refkit.heap.analysis;

import dev.refkit.heap.ProgressListener;
import dev.refkit.heap.index.IntArray;
import dev.refkit.heap.index.Storage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Shortest paths from the GC roots, by one breadth-first walk from all roots at once.
 *
 * <p>The walk leaves a parent per object (its predecessor on one shortest path), so any number of objects'
 * paths are read back in time proportional to their length. {@code parent.get(o)} is the predecessor object,
 * {@link #UNREACHED} when no path exists, or {@code -(root + 2)} when {@code o} is the GC root of index
 * {@code root}.
 */
final class ShortestPaths {

    static final int UNREACHED = -1;

    private final ObjectGraph graph;
    private final boolean includeNonStrong;
    private final IntArray parent;

    ShortestPaths(ObjectGraph graph, boolean includeNonStrong) {
        this(graph, includeNonStrong, ProgressListener.NONE);
    }

    /** The shortest-path tree, telling {@code listener} how many objects the walk has reached. */
    ShortestPaths(ObjectGraph graph, boolean includeNonStrong, ProgressListener listener) {
        this.graph = graph;
        this.includeNonStrong = includeNonStrong;
        this.parent = walk(graph, includeNonStrong, PhaseProgress.of(listener,
                includeNonStrong ? "paths (all kinds)" : "shortest paths", 1, graph.objectCount()));
    }

    private static IntArray walk(ObjectGraph graph, boolean includeNonStrong, PhaseProgress progress) {
        int n = graph.objectCount();
        Storage storage = graph.storage();
        IntArray parent = storage.ints(n);
        parent.fill(0, n, UNREACHED);
        IntArray queue = storage.ints(n);
        int tail = 0;
        for (int r = 0, roots = graph.rootCount(); r < roots; r++) {
            int root = graph.rootObject(r);
            if (root >= 0 && root < n && parent.get(root) == UNREACHED) {
                parent.set(root, -(r + 2));
                queue.set(tail++, root);
            }
        }
        for (int head = 0; head < tail; head++) {
            if ((head & PhaseProgress.MASK) == 0) {
                progress.at(0, head);
            }
            int object = queue.get(head);
            for (long e = graph.firstEdge(object), end = graph.firstEdge(object + 1); e < end; e++) {
                int target = graph.edgeTarget(e);
                if (parent.get(target) == UNREACHED && (includeNonStrong || graph.edgeStrength(e) == 0)) {
                    parent.set(target, object);
                    queue.set(tail++, target);
                }
            }
        }
        Storage.free(queue);
        progress.done();
        return parent;
    }

    /** The object's predecessor on its shortest path, or -1 for a GC root or an object not reached. */
    int parentOf(int object) {
        return Math.max(-1, parent.get(object));
    }

    boolean isReached(int object) {
        return parent.get(object) != UNREACHED;
    }

    /** Up to {@code maxPaths} paths to the object, shortest first; empty when it has none. */
    List<GcRootPath> pathsTo(int object, int maxPaths) {
        if (!isReached(object)) {
            return List.of();
        }
        List<GcRootPath> paths = new ArrayList<>();
        paths.add(pathTo(object));
        if (maxPaths > 1) {
            // Further paths arrive through other holders: each reached holder's own shortest path, plus the edge.
            List<Integer> holders = new ArrayList<>();
            for (int source = 0, n = graph.objectCount(); source < n; source++) {
                if (source == parent.get(object) || !isReached(source)) {
                    continue;
                }
                for (long e = graph.firstEdge(source), end = graph.firstEdge(source + 1); e < end; e++) {
                    if (graph.edgeTarget(e) == object && (includeNonStrong || graph.edgeStrength(e) == 0)) {
                        if (!onPath(source, object)) {
                            holders.add(source);
                        }
                        break;
                    }
                }
            }
            holders.sort(Comparator.comparingInt(this::depth));
            for (int i = 0; i < holders.size() && paths.size() < maxPaths; i++) {
                int holder = holders.get(i);
                List<GcRootPath.Step> steps = new ArrayList<>(pathTo(holder).steps());
                steps.add(step(holder, object));
                paths.add(new GcRootPath(root(rootAncestor(holder)), steps));
            }
        }
        return paths;
    }

    /** The shortest path to a reached object. */
    GcRootPath pathTo(int object) {
        int[] chain = chain(object);
        List<GcRootPath.Step> steps = new ArrayList<>(chain.length - 1);
        for (int i = 1; i < chain.length; i++) {
            steps.add(step(chain[i - 1], chain[i]));
        }
        return new GcRootPath(root(chain[0]), steps);
    }

    /**
     * The objects' shortest paths merged where they pass through the same object.
     *
     * <p>Implementation notes. The merged tree is the set of the targets' ancestors in the parent tree. Each target
     * walks up only until it meets an object already taken, so the tree is built in time proportional to its size
     * (not to the sum of the targets' depths, which is quadratic for a chain whose every link is a target). The
     * counts (targets at or below each node) are then summed leaves first, each node once its children are done
     * (Kahn's order over the parent links). Records are built bottom-up with an explicit stack, runs of one
     * reference folded into one node: nothing recurses, so a chain ten million deep is a loop, and one node.
     * Reference names come from each holder's record read once ({@link NamedEdges}), so the elements of an array
     * of a million cost one read of the array, not a million.
     */
    PathTree mergedPaths(int[] objects) {
        int n = graph.objectCount();
        IntArray slotOf = graph.storage().ints(n);
        slotOf.fill(0, n, -1);
        IntStack nodes = new IntStack(Math.min(objects.length * 2 + 16, 1 << 20));
        IntStack parents = new IntStack(Math.min(objects.length * 2 + 16, 1 << 20));
        int reached = 0;
        int unreached = 0;
        int[] targetCount = new int[16];
        for (int object : objects) {
            if (!isReached(object)) {
                unreached++;
                continue;
            }
            reached++;
            int first = (int) nodes.size();
            int current = object;
            while (current >= 0 && slotOf.get(current) < 0) {
                slotOf.set(current, (int) nodes.size());
                nodes.push(current);
                parents.push(-1);
                current = parent.get(current);
            }
            for (int s = first; s < nodes.size(); s++) {
                int up = parent.get(nodes.get(s));
                parents.set(s, up >= 0 ? slotOf.get(up) : -1);
            }
            int slot = slotOf.get(object);
            if (slot >= targetCount.length) {
                targetCount = Arrays.copyOf(targetCount, Math.max(slot + 1, targetCount.length * 2));
            }
            targetCount[slot]++;
        }
        Storage.free(slotOf);
        int size = (int) nodes.size();
        targetCount = Arrays.copyOf(targetCount, size);
        // children in CSR form, and the counts summed leaves first
        int[] childFirst = new int[size + 1];
        for (int s = 0; s < size; s++) {
            if (parents.get(s) >= 0) {
                childFirst[parents.get(s) + 1]++;
            }
        }
        for (int s = 0; s < size; s++) {
            childFirst[s + 1] += childFirst[s];
        }
        int[] children = new int[childFirst[size]];
        int[] fill = Arrays.copyOf(childFirst, size);
        for (int s = 0; s < size; s++) {
            if (parents.get(s) >= 0) {
                children[fill[parents.get(s)]++] = s;
            }
        }
        long[] count = new long[size];
        int[] pending = new int[size];
        IntStack ready = new IntStack(64);
        for (int s = 0; s < size; s++) {
            count[s] = targetCount[s];
            pending[s] = childFirst[s + 1] - childFirst[s];
            if (pending[s] == 0) {
                ready.push(s);
            }
        }
        while (!ready.isEmpty()) {
            int s = ready.pop();
            int p = parents.get(s);
            if (p >= 0) {
                count[p] += count[s];
                if (--pending[p] == 0) {
                    ready.push(p);
                }
            }
        }
        String[] names = new String[size];
        NamedEdges named = new NamedEdges();
        for (int s = 0; s < size; s++) {
            int p = parents.get(s);
            names[s] = p < 0 ? null : named.name(nodes.get(p), nodes.get(s));
        }
        List<PathTree.Node> roots = build(nodes, parents, childFirst, children, count, targetCount, names);
        return new PathTree(roots, reached, unreached);
    }

    /** The records, bottom-up with an explicit stack; a node continues its parent's run when it is its only child alike. */
    private List<PathTree.Node> build(IntStack nodes, IntStack parents, int[] childFirst, int[] children, long[] count,
                                      int[] targetCount, String[] names) {
        int size = (int) nodes.size();
        Comparator<PathTree.Node> mostFirst = Comparator.comparingInt(PathTree.Node::count).reversed()
                .thenComparingInt(PathTree.Node::object);
        PathTree.Node[] built = new PathTree.Node[size];
        IntStack stack = new IntStack(64);
        List<PathTree.Node> roots = new ArrayList<>();
        for (int top = 0; top < size; top++) {
            if (parents.get(top) >= 0) {
                continue;
            }
            stack.push(top);
            while (!stack.isEmpty()) {
                int head = stack.get(stack.size() - 1);
                int last = head;
                int run = 1;
                while (childFirst[last + 1] - childFirst[last] == 1
                        && continuesRun(nodes, last, children[childFirst[last]], targetCount, names)) {
                    last = children[childFirst[last]];
                    run++;
                }
                boolean ready = true;
                for (int i = childFirst[last]; i < childFirst[last + 1]; i++) {
                    if (built[children[i]] == null) {
                        stack.push(children[i]);
                        ready = false;
                    }
                }
                if (!ready) {
                    continue;
                }
                stack.pop();
                List<PathTree.Node> kids = new ArrayList<>(childFirst[last + 1] - childFirst[last]);
                for (int i = childFirst[last]; i < childFirst[last + 1]; i++) {
                    kids.add(built[children[i]]);
                    built[children[i]] = DONE;
                }
                kids.sort(mostFirst);
                int object = nodes.get(head);
                String reference = names[head] == null ? root(object).toString() : names[head];
                built[head] = new PathTree.Node(object, Names.objectType(graph, object), reference,
                        (int) Math.min(Integer.MAX_VALUE, count[head]), targetCount[head] > 0, run, kids);
            }
            roots.add(built[top]);
        }
        roots.sort(mostFirst);
        return Collections.unmodifiableList(roots);
    }

    /** Marks a record taken into its parent's children, so that its slot can be told from one not built yet. */
    private static final PathTree.Node DONE = new PathTree.Node(-1, "", "", 0, false, 1, List.of());

    private boolean continuesRun(IntStack nodes, int parent, int child, int[] targetCount, String[] names) {
        int parentObject = nodes.get(parent);
        int childObject = nodes.get(child);
        return names[parent] != null && graph.classOf(parentObject) == graph.classOf(childObject)
                && graph.classForObject(parentObject) < 0 && graph.classForObject(childObject) < 0
                && (targetCount[parent] > 0) == (targetCount[child] > 0)
                && generalised(names[parent]).equals(generalised(names[child]));
    }

    private static String generalised(String reference) {
        int bracket = reference.lastIndexOf('[');
        return bracket >= 0 && reference.endsWith("]") && reference.indexOf('.', bracket) < 0
                ? reference.substring(0, bracket) + "[*]" : reference;
    }

    /**
     * Names the references holders use, reading each holder's record once: the name of the strongest edge from a
     * holder to a target, as {@link GcRootPath.Step#referenceText()} gives it.
     */
    private final class NamedEdges {
        private int holder = -1;
        /**
         * Open addressing: target object → its strongest edge from the holder, counted from the holder's first (keys
         * + 1, so that 0 is free).
         */
        private int[] targets;
        private int[] positions;
        private String[] names;

        String name(int holder, int target) {
            long first = graph.firstEdge(holder);
            int count = (int) (graph.firstEdge(holder + 1) - first);
            if (count <= 16) {
                return step(holder, target).referenceText();
            }
            if (holder != this.holder) {
                index(holder, first, count);
            }
            int mask = targets.length - 1;
            int slot = mix(target) & mask;
            while (targets[slot] != target + 1) {
                slot = (slot + 1) & mask;
            }
            int position = positions[slot];
            return new GcRootPath.Step(target, Names.objectType(graph, target), Names.holderType(graph, holder),
                    names[position], Reachability.ofOrdinal(graph.edgeStrength(first + position))).referenceText();
        }

        private void index(int holder, long first, int count) {
            this.holder = holder;
            names = graph.edgeNames(holder);
            int capacity = Integer.highestOneBit(Math.max(4, count) * 2 - 1) << 1;
            targets = new int[capacity];
            positions = new int[capacity];
            int mask = capacity - 1;
            for (int i = 0; i < count; i++) {
                long e = first + i;
                if (!includeNonStrong && graph.edgeStrength(e) != 0) {
                    continue;
                }
                int target = graph.edgeTarget(e);
                int slot = mix(target) & mask;
                while (targets[slot] != 0 && targets[slot] != target + 1) {
                    slot = (slot + 1) & mask;
                }
                if (targets[slot] == 0 || graph.edgeStrength(e) < graph.edgeStrength(first + positions[slot])) {
                    targets[slot] = target + 1;
                    positions[slot] = i;
                }
            }
        }

        private int mix(int value) {
            int h = value * 0x9E3779B9;
            return h ^ (h >>> 16);
        }
    }

    private int[] chain(int object) {
        int length = depth(object) + 1;
        int[] chain = new int[length];
        for (int i = length - 1, current = object; i >= 0; i--, current = parent.get(current)) {
            chain[i] = current;
        }
        return chain;
    }

    /** The number of references on the object's shortest path (it must be reached). */
    int depth(int object) {
        int depth = 0;
        for (int current = object; parent.get(current) >= 0; current = parent.get(current)) {
            depth++;
        }
        return depth;
    }

    private boolean onPath(int object, int candidate) {
        for (int current = object; current >= 0; current = parent.get(current)) {
            if (current == candidate) {
                return true;
            }
        }
        return false;
    }

    private int rootAncestor(int object) {
        int current = object;
        while (parent.get(current) >= 0) {
            current = parent.get(current);
        }
        return current;
    }

    /** The GC root an object is, when it is one (its parent is a root); see {@link #parentOf}. */
    GcRootPath.Root rootOf(int object) {
        return root(object);
    }

    private GcRootPath.Root root(int object) {
        int root = -(parent.get(object) + 2);
        String thread = graph.rootThread(root);
        String frame = graph.rootFrame(root);
        return new GcRootPath.Root(object, Names.objectType(graph, object), graph.rootKind(root), thread, frame);
    }

    private GcRootPath.Step step(int holder, int object) {
        long chosen = -1;
        for (long e = graph.firstEdge(holder), end = graph.firstEdge(holder + 1); e < end; e++) {
            if (graph.edgeTarget(e) == object && (includeNonStrong || graph.edgeStrength(e) == 0)) {
                if (chosen < 0 || graph.edgeStrength(e) < graph.edgeStrength(chosen)) {
                    chosen = e;
                }
            }
        }
        String holderType = Names.holderType(graph, holder);
        return new GcRootPath.Step(object, Names.objectType(graph, object), holderType, graph.edgeName(chosen),
                Reachability.ofOrdinal(graph.edgeStrength(chosen)));
    }
}
