package dev.refkit.heap.analysis;

import dev.refkit.heap.index.IntArray;
import dev.refkit.heap.index.LongArray;
import dev.refkit.heap.index.Storage;

/**
 * Immediate dominators and retained sizes of the strong graph under a virtual root joined to every GC root.
 *
 * <p>Implementation notes. The algorithm is semi-NCA (Georgiadis, Tarjan and Werneck's simplification of
 * Lengauer–Tarjan): semidominators are computed exactly as in Lengauer–Tarjan, with path compression; then
 * each vertex's immediate dominator is the nearest common ancestor, in the growing dominator tree, of its DFS
 * parent and its semidominator, found by climbing from the parent while the vertex number exceeds the
 * semidominator. All work is done in DFS preorder numbers, where 0 is the virtual root and every ancestor
 * has a smaller number than its descendants. Invariants:
 * <ul>
 *   <li>Nothing recurses. The DFS keeps an explicit stack of (vertex, next edge); path compression collects
 *       the path in an array and then updates it from the top down, which is the order the recursive
 *       formulation would unwind in. A 10-million-object chain therefore costs arrays, not stack.</li>
 *   <li>{@code ancestor[v] == -1} means v is not linked yet (a tree root of the link-eval forest);
 *       vertices are linked in decreasing number, so when w is processed every predecessor with a larger
 *       number is linked and every one with a smaller number evaluates to itself.</li>
 *   <li>{@code idom[w] < w} for every w &gt; 0, so sizes accumulate in one pass over decreasing numbers.</li>
 * </ul>
 * Only strong edges count: an object held only through a soft or weak referent is not retained by anything
 * and gets no dominator. Memory is about nine {@code int}s per reachable object plus one per strong edge.
 */
final class DominatorComputation {

    /** The dominator of objects that no single object dominates (the root's own children). */
    static final int VIRTUAL_ROOT = -1;
    /** Marks objects that the strong graph does not reach. */
    static final int NOT_REACHED = -2;

    final IntArray idom;
    final LongArray retained;
    /** The strongly reachable objects in DFS preorder: every dominator comes before what it dominates. */
    final IntArray order;
    /** The shallow bytes of all strongly reachable objects: what the virtual root retains. */
    final long reachableBytes;
    /**
     * Passes over the objects, for progress: depth-first numbering, predecessors (two), semidominators, immediate
     * dominators, shallow sizes, and the immediate dominators, retained sizes and order by object.
     */
    static final int PASSES = 7;

    private DominatorComputation(IntArray idom, LongArray retained, IntArray order, long reachableBytes) {
        this.idom = idom;
        this.retained = retained;
        this.order = order;
        this.reachableBytes = reachableBytes;
    }

    static DominatorComputation compute(ObjectGraph graph) {
        return compute(graph, PhaseProgress.NONE);
    }

    /** The same, telling how far it has come in {@value #PASSES} passes over the objects. */
    static DominatorComputation compute(ObjectGraph graph, PhaseProgress progress) {
        Storage storage = graph.storage();
        int n = graph.objectCount();
        // pre[o]: DFS number of object o (1-based; 0 = not reached). vertex[v]: object of number v.
        IntArray pre = storage.ints(n);
        IntArray vertex = storage.ints(n + 1L);
        IntArray parent = storage.ints(n + 1L);
        vertex.set(0, -1);
        int count = depthFirst(graph, storage, pre, vertex, parent, progress);

        LongArray predFirst = storage.longs(count + 1L);
        IntArray preds = predecessors(graph, storage, pre, count, predFirst, progress);
        Storage.free(pre);

        IntArray semi = storage.ints(count);
        IntArray label = storage.ints(count);
        IntArray ancestor = storage.ints(count);
        IntArray path = storage.ints(count);
        for (int v = 0; v < count; v++) {
            semi.set(v, v);
            label.set(v, v);
            ancestor.set(v, -1);
        }
        for (int w = count - 1; w > 0; w--) {
            if ((w & PhaseProgress.MASK) == 0) {
                progress.at(3, count - w);
            }
            int best = semi.get(w);
            for (long p = predFirst.get(w), end = predFirst.get(w + 1); p < end; p++) {
                int v = preds.get(p);
                int u = eval(v, ancestor, label, semi, path);
                if (semi.get(u) < best) {
                    best = semi.get(u);
                }
            }
            semi.set(w, best);
            ancestor.set(w, parent.get(w));
        }
        Storage.free(preds);
        Storage.free(predFirst);
        Storage.free(label);
        Storage.free(path);
        IntArray idomNumber = ancestor; // reused: the link-eval forest is no longer needed
        idomNumber.set(0, 0);
        for (int w = 1; w < count; w++) {
            if ((w & PhaseProgress.MASK) == 0) {
                progress.at(4, w);
            }
            int x = parent.get(w);
            int semidominator = semi.get(w);
            while (x > semidominator) {
                x = idomNumber.get(x);
            }
            idomNumber.set(w, x);
        }
        Storage.free(semi);
        Storage.free(parent);

        // shallow sizes in object order, the dump's own (in DFS order each was a jump into the dump and its index),
        // kept in 'retained' until the retained sizes replace them
        LongArray retained = storage.longs(n);
        for (int object = 0; object < n; object++) {
            if ((object & PhaseProgress.MASK) == 0) {
                progress.at(5, object);
            }
            retained.set(object, graph.shallowSize(object));
        }
        LongArray sizeByNumber = storage.longs(count);
        for (int w = count - 1; w > 0; w--) {
            long size = sizeByNumber.add(w, retained.get(vertex.get(w)));
            sizeByNumber.add(idomNumber.get(w), size);
        }
        retained.fill(0, n, 0L); // objects not strongly reachable retain nothing
        IntArray idom = storage.ints(n);
        idom.fill(0, n, NOT_REACHED);
        IntArray order = storage.ints(count - 1L);
        for (int w = 1; w < count; w++) {
            if ((w & PhaseProgress.MASK) == 0) {
                progress.at(6, w);
            }
            int object = vertex.get(w);
            int dominatorNumber = idomNumber.get(w);
            idom.set(object, dominatorNumber == 0 ? VIRTUAL_ROOT : vertex.get(dominatorNumber));
            retained.set(object, sizeByNumber.get(w));
            order.set(w - 1, object);
        }
        long reachable = sizeByNumber.get(0);
        Storage.free(sizeByNumber);
        Storage.free(idomNumber);
        Storage.free(vertex);
        progress.done();
        return new DominatorComputation(idom, retained, order, reachable);
    }

    /** Numbers the strongly reachable objects in DFS preorder; returns how many numbers (incl. the root 0). */
    private static int depthFirst(ObjectGraph graph, Storage storage, IntArray pre, IntArray vertex, IntArray parent,
                                  PhaseProgress progress) {
        int n = graph.objectCount();
        WalkStack stack = new WalkStack(storage);
        int next = 1;
        for (int r = 0, roots = graph.rootCount(); r < roots; r++) {
            int root = graph.rootObject(r);
            if (root < 0 || root >= n || pre.get(root) != 0) {
                continue;
            }
            pre.set(root, next);
            vertex.set(next, root);
            parent.set(next, 0);
            next++;
            stack.push(root, graph.firstEdge(root));
            while (!stack.isEmpty()) {
                int object = stack.object();
                long e = stack.cursor();
                long end = graph.firstEdge(object + 1);
                while (e < end && (graph.edgeStrength(e) != 0 || pre.get(graph.edgeTarget(e)) != 0)) {
                    e++;
                }
                if (e == end) {
                    stack.pop();
                    continue;
                }
                stack.cursor(e + 1);
                int target = graph.edgeTarget(e);
                pre.set(target, next);
                vertex.set(next, target);
                parent.set(next, pre.get(object));
                if ((++next & PhaseProgress.MASK) == 0) {
                    progress.at(0, next);
                }
                stack.push(target, graph.firstEdge(target));
            }
        }
        stack.free();
        return next;
    }

    /**
     * Strong predecessors per DFS number, CSR; the virtual root precedes every GC root. The lists are filled from
     * their ends, so that {@code first} is both the cursor and, at the end, each list's start. Both passes go over
     * the objects in index order, the order of the references' CSR, which they then read sequentially (in DFS
     * order every object's references were a jump: a dump larger than memory paged on each): the order within a
     * list does not matter, as a semidominator is the least over the whole list.
     */
    private static IntArray predecessors(ObjectGraph graph, Storage storage, IntArray pre, int count,
                                     LongArray first, PhaseProgress progress) {
        int n = graph.objectCount();
        for (int r = 0, roots = graph.rootCount(); r < roots; r++) {
            int root = graph.rootObject(r);
            if (root >= 0 && root < n) {
                first.add(pre.get(root), 1);
            }
        }
        for (int object = 0; object < n; object++) {
            if ((object & PhaseProgress.MASK) == 0) {
                progress.at(1, object);
            }
            if (pre.get(object) == 0) {
                continue; // not strongly reachable: its references are no one's predecessors
            }
            for (long e = graph.firstEdge(object), end = graph.firstEdge(object + 1); e < end; e++) {
                if (graph.edgeStrength(e) == 0) {
                    first.add(pre.get(graph.edgeTarget(e)), 1);
                }
            }
        }
        // inclusive prefix sums: first[v] is where v's list ends
        long total = 0;
        for (int v = 0; v < count; v++) {
            total += first.get(v);
            first.set(v, total);
        }
        first.set(count, total);
        IntArray preds = storage.ints(total);
        for (int object = 0; object < n; object++) {
            if ((object & PhaseProgress.MASK) == 0) {
                progress.at(2, object);
            }
            int v = pre.get(object);
            if (v == 0) {
                continue;
            }
            for (long e = graph.firstEdge(object), end = graph.firstEdge(object + 1); e < end; e++) {
                if (graph.edgeStrength(e) == 0) {
                    preds.set(first.add(pre.get(graph.edgeTarget(e)), -1), v);
                }
            }
        }
        for (int r = 0, roots = graph.rootCount(); r < roots; r++) {
            int root = graph.rootObject(r);
            if (root >= 0 && root < n) {
                preds.set(first.add(pre.get(root), -1), 0);
            }
        }
        return preds;
    }

    /** The vertex of least semidominator on v's path to the root of its link-eval tree, compressing that path. */
    private static int eval(int v, IntArray ancestor, IntArray label, IntArray semi, IntArray path) {
        if (ancestor.get(v) < 0) {
            return v;
        }
        int size = 0;
        int x = v;
        while (ancestor.get(ancestor.get(x)) >= 0) {
            path.set(size++, x);
            x = ancestor.get(x);
        }
        while (size > 0) {
            int y = path.get(--size);
            int a = ancestor.get(y);
            if (semi.get(label.get(a)) < semi.get(label.get(y))) {
                label.set(y, label.get(a));
            }
            ancestor.set(y, ancestor.get(a));
        }
        return label.get(v);
    }
}
