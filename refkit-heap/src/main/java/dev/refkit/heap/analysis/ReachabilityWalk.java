package dev.refkit.heap.analysis;

import dev.refkit.heap.index.Storage;
import dev.refkit.heap.index.ByteArray;

/**
 * Classifies every object by the reachability rule.
 *
 * <p>Implementation notes. The rule asks, for each object, for the maximum over paths of the minimum edge
 * strength on the path: a bottleneck ("widest path") problem over only five strength levels. With levels
 * numbered strongest = 0, it is solved by one breadth-first walk per level, strongest first:
 * <ul>
 *   <li>{@code level[o]} holds the best (numerically smallest) level at which {@code o} has been reached so
 *       far; it starts at {@code UNREACHABLE} and only ever decreases.</li>
 *   <li>Walking level {@code s}, an edge of strength {@code e} from an object settled at {@code s} reaches
 *       its target at {@code max(s, e)}. If that improves the target, the target is queued: in the current
 *       walk when it equals {@code s}, otherwise in the bucket of its (weaker) level.</li>
 *   <li>When the walk of level {@code s} begins, no path stronger than {@code s} remains undiscovered
 *       (every stronger level's walk is complete), so an object taken from a queue whose level still equals
 *       {@code s} is settled for good; a queue entry whose object has since improved is skipped.</li>
 * </ul>
 * Each object is queued at most once per level and each edge is scanned once (when its source settles), so
 * the cost is O(objects + references) with no fixed-point iteration.
 */
final class ReachabilityWalk {

    private static final int LEVELS = Reachability.UNREACHABLE.ordinal();

    private ReachabilityWalk() {
    }

    /** Returns, per object, the {@link Reachability#ordinal()} of its class by the rule. */
    static ByteArray classify(ObjectGraph graph) {
        return classify(graph, PhaseProgress.NONE);
    }

    /** The same, telling how many objects have been visited as pass 0 of {@code progress}. */
    static ByteArray classify(ObjectGraph graph, PhaseProgress progress) {
        int n = graph.objectCount();
        Storage storage = graph.storage();
        ByteArray level = storage.bytes(n);
        level.fill(0, n, (byte) LEVELS);
        IntStack[] buckets = new IntStack[LEVELS];
        buckets[0] = new IntStack(storage, Math.max(16, graph.rootCount()));
        for (int r = 0, roots = graph.rootCount(); r < roots; r++) {
            int root = graph.rootObject(r);
            if (root >= 0 && root < n && level.get(root) != 0) {
                level.set(root, (byte) 0);
                buckets[0].push(root);
            }
        }
        long visited = 0;
        for (int s = 0; s < LEVELS; s++) {
            IntStack queue = buckets[s];
            if (queue == null) {
                continue;
            }
            // FIFO by index: entries appended during the walk are visited in turn.
            for (long head = 0; head < queue.size(); head++) {
                int object = queue.get(head);
                if (level.get(object) != s) {
                    continue;
                }
                if ((++visited & PhaseProgress.MASK) == 0) {
                    progress.at(0, visited);
                }
                for (long e = graph.firstEdge(object), end = graph.firstEdge(object + 1); e < end; e++) {
                    int target = graph.edgeTarget(e);
                    int reached = Math.max(s, graph.edgeStrength(e));
                    if (reached < level.get(target)) {
                        level.set(target, (byte) reached);
                        if (buckets[reached] == null) {
                            buckets[reached] = new IntStack(storage, 1024);
                        }
                        buckets[reached].push(target);
                    }
                }
            }
            queue.free();
            buckets[s] = null;
        }
        return level;
    }
}
