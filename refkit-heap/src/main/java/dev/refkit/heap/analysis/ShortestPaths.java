package dev.refkit.heap.analysis;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Shortest paths from the GC roots, by one breadth-first walk from all roots at once.
 *
 * <p>The walk leaves a parent per object (its predecessor on one shortest path), so any number of objects'
 * paths are read back in time proportional to their length. {@code parent[o]} is the predecessor object,
 * {@link #UNREACHED} when no path exists, or {@code -(root + 2)} when {@code o} is the GC root of index
 * {@code root}.
 */
final class ShortestPaths {

    static final int UNREACHED = -1;

    private final ObjectGraph graph;
    private final boolean includeNonStrong;
    private final int[] parent;

    ShortestPaths(ObjectGraph graph, boolean includeNonStrong) {
        this.graph = graph;
        this.includeNonStrong = includeNonStrong;
        this.parent = walk(graph, includeNonStrong);
    }

    private static int[] walk(ObjectGraph graph, boolean includeNonStrong) {
        int n = graph.objectCount();
        int[] parent = new int[n];
        Arrays.fill(parent, UNREACHED);
        int[] queue = new int[n];
        int tail = 0;
        for (int r = 0, roots = graph.rootCount(); r < roots; r++) {
            int root = graph.rootObject(r);
            if (root >= 0 && root < n && parent[root] == UNREACHED) {
                parent[root] = -(r + 2);
                queue[tail++] = root;
            }
        }
        for (int head = 0; head < tail; head++) {
            int object = queue[head];
            for (int e = graph.firstEdge(object), end = graph.firstEdge(object + 1); e < end; e++) {
                int target = graph.edgeTarget(e);
                if (parent[target] == UNREACHED && (includeNonStrong || graph.edgeStrength(e) == 0)) {
                    parent[target] = object;
                    queue[tail++] = target;
                }
            }
        }
        return parent;
    }

    /** The object's predecessor on its shortest path, or -1 for a GC root or an object not reached. */
    int parentOf(int object) {
        return Math.max(-1, parent[object]);
    }

    boolean isReached(int object) {
        return parent[object] != UNREACHED;
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
                if (source == parent[object] || !isReached(source)) {
                    continue;
                }
                for (int e = graph.firstEdge(source), end = graph.firstEdge(source + 1); e < end; e++) {
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

    /** The objects' shortest paths merged where they pass through the same object. */
    PathTree mergedPaths(int[] objects) {
        Map<Integer, MutableNode> top = new LinkedHashMap<>();
        Map<Integer, MutableNode> all = new HashMap<>();
        int reached = 0;
        int unreached = 0;
        for (int object : objects) {
            if (!isReached(object)) {
                unreached++;
                continue;
            }
            reached++;
            int[] chain = chain(object);
            Map<Integer, MutableNode> level = top;
            MutableNode node = null;
            for (int i = 0; i < chain.length; i++) {
                int current = chain[i];
                // An object has a single shortest-path parent, so it appears once in the merged tree.
                node = all.get(current);
                if (node == null) {
                    String reference = i == 0 ? root(current).toString() : step(chain[i - 1], current).referenceText();
                    node = new MutableNode(current, reference);
                    all.put(current, node);
                    level.put(current, node);
                }
                node.count++;
                level = node.children;
            }
            node.isTarget = true;
        }
        List<PathTree.Node> roots = freeze(top.values());
        return new PathTree(roots, reached, unreached);
    }

    private List<PathTree.Node> freeze(Iterable<MutableNode> nodes) {
        // Iterative post-order, so that a deep chain of holders cannot overflow the stack.
        List<MutableNode> order = new ArrayList<>();
        List<MutableNode> pending = new ArrayList<>();
        nodes.forEach(pending::add);
        while (!pending.isEmpty()) {
            MutableNode node = pending.remove(pending.size() - 1);
            order.add(node);
            pending.addAll(node.children.values());
        }
        Map<MutableNode, PathTree.Node> frozen = new HashMap<>();
        Comparator<PathTree.Node> mostFirst = Comparator.comparingInt(PathTree.Node::count).reversed()
                .thenComparingInt(PathTree.Node::object);
        for (int i = order.size() - 1; i >= 0; i--) {
            MutableNode node = order.get(i);
            List<PathTree.Node> children = new ArrayList<>();
            for (MutableNode child : node.children.values()) {
                children.add(frozen.remove(child));
            }
            children.sort(mostFirst);
            frozen.put(node, new PathTree.Node(node.object, Names.objectType(graph, node.object), node.reference,
                    node.count, node.isTarget, children));
        }
        List<PathTree.Node> result = new ArrayList<>();
        nodes.forEach(node -> result.add(frozen.get(node)));
        result.sort(mostFirst);
        return Collections.unmodifiableList(result);
    }

    private static final class MutableNode {
        final int object;
        final String reference;
        final Map<Integer, MutableNode> children = new LinkedHashMap<>();
        int count;
        boolean isTarget;

        MutableNode(int object, String reference) {
            this.object = object;
            this.reference = reference;
        }
    }

    private int[] chain(int object) {
        int length = depth(object) + 1;
        int[] chain = new int[length];
        for (int i = length - 1, current = object; i >= 0; i--, current = parent[current]) {
            chain[i] = current;
        }
        return chain;
    }

    /** The number of references on the object's shortest path (it must be reached). */
    int depth(int object) {
        int depth = 0;
        for (int current = object; parent[current] >= 0; current = parent[current]) {
            depth++;
        }
        return depth;
    }

    private boolean onPath(int object, int candidate) {
        for (int current = object; current >= 0; current = parent[current]) {
            if (current == candidate) {
                return true;
            }
        }
        return false;
    }

    private int rootAncestor(int object) {
        int current = object;
        while (parent[current] >= 0) {
            current = parent[current];
        }
        return current;
    }

    private GcRootPath.Root root(int object) {
        int root = -(parent[object] + 2);
        String thread = graph.rootThread(root);
        String frame = graph.rootFrame(root);
        return new GcRootPath.Root(object, Names.objectType(graph, object), graph.rootKind(root), thread, frame);
    }

    private GcRootPath.Step step(int holder, int object) {
        int chosen = -1;
        for (int e = graph.firstEdge(holder), end = graph.firstEdge(holder + 1); e < end; e++) {
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
