package dev.refkit.heap.analysis;

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

    final int[] idom;
    final long[] retained;
    /** The strongly reachable objects in DFS preorder: every dominator comes before what it dominates. */
    final int[] order;
    /** The shallow bytes of all strongly reachable objects: what the virtual root retains. */
    final long reachableBytes;

    private DominatorComputation(int[] idom, long[] retained, int[] order, long reachableBytes) {
        this.idom = idom;
        this.retained = retained;
        this.order = order;
        this.reachableBytes = reachableBytes;
    }

    static DominatorComputation compute(ObjectGraph graph) {
        int n = graph.objectCount();
        // pre[o]: DFS number of object o (1-based; 0 = not reached). vertex[v]: object of number v.
        int[] pre = new int[n];
        int[] vertex = new int[n + 1];
        int[] parent = new int[n + 1];
        vertex[0] = -1;
        int count = depthFirst(graph, pre, vertex, parent);

        int[] predFirst = new int[count + 1];
        int[] preds = predecessors(graph, pre, vertex, count, predFirst);

        int[] semi = new int[count];
        int[] label = new int[count];
        int[] ancestor = new int[count];
        int[] path = new int[count];
        for (int v = 0; v < count; v++) {
            semi[v] = v;
            label[v] = v;
            ancestor[v] = -1;
        }
        for (int w = count - 1; w > 0; w--) {
            int best = semi[w];
            for (int p = predFirst[w], end = predFirst[w + 1]; p < end; p++) {
                int v = preds[p];
                int u = eval(v, ancestor, label, semi, path);
                if (semi[u] < best) {
                    best = semi[u];
                }
            }
            semi[w] = best;
            ancestor[w] = parent[w];
        }
        preds = null;
        label = null;
        path = null;
        int[] idomNumber = ancestor; // reused: the link-eval forest is no longer needed
        idomNumber[0] = 0;
        for (int w = 1; w < count; w++) {
            int x = parent[w];
            while (x > semi[w]) {
                x = idomNumber[x];
            }
            idomNumber[w] = x;
        }

        long[] retained = new long[n];
        long[] sizeByNumber = new long[count];
        for (int w = count - 1; w > 0; w--) {
            sizeByNumber[w] += graph.shallowSize(vertex[w]);
            sizeByNumber[idomNumber[w]] += sizeByNumber[w];
        }
        int[] idom = new int[n];
        java.util.Arrays.fill(idom, NOT_REACHED);
        int[] order = new int[count - 1];
        for (int w = 1; w < count; w++) {
            int object = vertex[w];
            idom[object] = idomNumber[w] == 0 ? VIRTUAL_ROOT : vertex[idomNumber[w]];
            retained[object] = sizeByNumber[w];
            order[w - 1] = object;
        }
        return new DominatorComputation(idom, retained, order, sizeByNumber[0]);
    }

    /** Numbers the strongly reachable objects in DFS preorder; returns how many numbers (incl. the root 0). */
    private static int depthFirst(ObjectGraph graph, int[] pre, int[] vertex, int[] parent) {
        int n = graph.objectCount();
        int[] stackObject = new int[n + 1];
        int[] stackEdge = new int[n + 1];
        int next = 1;
        for (int r = 0, roots = graph.rootCount(); r < roots; r++) {
            int root = graph.rootObject(r);
            if (root < 0 || root >= n || pre[root] != 0) {
                continue;
            }
            pre[root] = next;
            vertex[next] = root;
            parent[next] = 0;
            next++;
            int top = 0;
            stackObject[0] = root;
            stackEdge[0] = graph.firstEdge(root);
            while (top >= 0) {
                int object = stackObject[top];
                int e = stackEdge[top];
                int end = graph.firstEdge(object + 1);
                while (e < end && (graph.edgeStrength(e) != 0 || pre[graph.edgeTarget(e)] != 0)) {
                    e++;
                }
                if (e == end) {
                    top--;
                    continue;
                }
                stackEdge[top] = e + 1;
                int target = graph.edgeTarget(e);
                pre[target] = next;
                vertex[next] = target;
                parent[next] = pre[object];
                next++;
                top++;
                stackObject[top] = target;
                stackEdge[top] = graph.firstEdge(target);
            }
        }
        return next;
    }

    /** Strong predecessors per DFS number, CSR; the virtual root precedes every GC root. */
    private static int[] predecessors(ObjectGraph graph, int[] pre, int[] vertex, int count, int[] first) {
        for (int r = 0, roots = graph.rootCount(); r < roots; r++) {
            int root = graph.rootObject(r);
            if (root >= 0 && root < pre.length) {
                first[pre[root]]++;
            }
        }
        for (int v = 1; v < count; v++) {
            int object = vertex[v];
            for (int e = graph.firstEdge(object), end = graph.firstEdge(object + 1); e < end; e++) {
                if (graph.edgeStrength(e) == 0) {
                    first[pre[graph.edgeTarget(e)]]++;
                }
            }
        }
        // Exclusive prefix sums, then fill by advancing each vertex's cursor; first[] ends up as starts.
        int total = 0;
        for (int v = 0; v < count; v++) {
            int c = first[v];
            first[v] = total;
            total += c;
        }
        first[count] = total;
        int[] preds = new int[total];
        int[] cursor = new int[count];
        System.arraycopy(first, 0, cursor, 0, count);
        for (int r = 0, roots = graph.rootCount(); r < roots; r++) {
            int root = graph.rootObject(r);
            if (root >= 0 && root < pre.length) {
                preds[cursor[pre[root]]++] = 0;
            }
        }
        for (int v = 1; v < count; v++) {
            int object = vertex[v];
            for (int e = graph.firstEdge(object), end = graph.firstEdge(object + 1); e < end; e++) {
                if (graph.edgeStrength(e) == 0) {
                    int w = pre[graph.edgeTarget(e)];
                    preds[cursor[w]++] = v;
                }
            }
        }
        return preds;
    }

    /** The vertex of least semidominator on v's path to the root of its link-eval tree, compressing that path. */
    private static int eval(int v, int[] ancestor, int[] label, int[] semi, int[] path) {
        if (ancestor[v] < 0) {
            return v;
        }
        int size = 0;
        int x = v;
        while (ancestor[ancestor[x]] >= 0) {
            path[size++] = x;
            x = ancestor[x];
        }
        while (size > 0) {
            int y = path[--size];
            int a = ancestor[y];
            if (semi[label[a]] < semi[label[y]]) {
                label[y] = label[a];
            }
            ancestor[y] = ancestor[a];
        }
        return label[v];
    }
}
