package dev.refkit.heap.analysis;

import dev.refkit.heap.index.ByteArray;
import dev.refkit.heap.index.IntArray;
import dev.refkit.heap.index.Storage;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Objects that wait for {@code finalize()}: the census's finalizer-reachable bytes, attributed to the classes
 * of the objects whose finalizer is pending (the referents of {@code java.lang.ref.Finalizer} references), and
 * the finalizer thread's frame, which says what it is doing instead of running them.
 *
 * <p>Each finalizer-reachable object is attributed to the first pending object (in index order) that reaches it
 * through strong references, by one walk over the finalizer-reachable objects: linear in them.
 */
final class FinalizerBacklog {

    static final String FINALIZER = "java.lang.ref.Finalizer";
    static final String FINALIZER_THREAD = "Finalizer";
    private static final int REPRESENTATIVE_CANDIDATES = 32;

    private FinalizerBacklog() {
    }

    /** The backlog as a suspect, or {@code null} when finalizer-reachable objects take less than {@code threshold}. */
    static SuspectDraft find(ObjectGraph graph, ByteArray levels, long finalizerBytes, long threshold,
                             Supplier<ShortestPaths> allPaths) {
        if (finalizerBytes < threshold) {
            return null;
        }
        int finalizerLevel = Reachability.FINALIZER.ordinal();
        boolean[] finalizerClasses = LeakSuspectSearch.subclassesOf(graph, FINALIZER);
        Map<Integer, long[]> byClass = new HashMap<>();
        Map<Integer, Integer> firstOfClass = new HashMap<>();
        ByteArray attributed = graph.storage().bytes(graph.objectCount());
        IntStack stack = new IntStack(64);
        for (int ref = 0, n = graph.objectCount(); ref < n; ref++) {
            int cls = graph.classOf(ref);
            if (cls < 0 || cls >= finalizerClasses.length || !finalizerClasses[cls]) {
                continue;
            }
            int pending = LeakSuspectSearch.referent(graph, ref);
            if (pending < 0 || levels.get(pending) != finalizerLevel || attributed.get(pending) != 0) {
                continue;
            }
            long bytes = 0;
            attributed.set(pending, (byte) 1);
            stack.push(pending);
            while (!stack.isEmpty()) {
                int object = stack.pop();
                bytes += graph.shallowSize(object);
                for (long e = graph.firstEdge(object), end = graph.firstEdge(object + 1); e < end; e++) {
                    int target = graph.edgeTarget(e);
                    if (graph.edgeStrength(e) == 0 && levels.get(target) == finalizerLevel && attributed.get(target) == 0
                            && graph.classForObject(target) < 0) {
                        attributed.set(target, (byte) 1);
                        stack.push(target);
                    }
                }
            }
            long[] totals = byClass.computeIfAbsent(graph.classOf(pending), c -> new long[2]);
            totals[0]++;
            totals[1] += bytes;
            firstOfClass.putIfAbsent(graph.classOf(pending), pending);
        }
        Storage.free(attributed);
        if (byClass.isEmpty()) {
            return null;
        }
        int topClass = -1;
        for (Map.Entry<Integer, long[]> entry : byClass.entrySet()) {
            if (topClass < 0 || entry.getValue()[1] > byClass.get(topClass)[1]) {
                topClass = entry.getKey();
            }
        }
        ShortestPaths paths = allPaths.get();
        int representative = representative(graph, paths, topClass, firstOfClass.get(topClass));
        GcRootPath path = paths.pathTo(representative);

        SuspectDraft draft = new SuspectDraft();
        draft.kind = LeakSuspect.Kind.FINALIZER_BACKLOG;
        String frame = finalizerFrame(graph);
        draft.owner = new LeakSuspect.Owner(LeakSuspect.Owner.Type.FINALIZER_QUEUE,
                "the finalizer queue (" + FINALIZER + ")", FINALIZER, null, List.of(FINALIZER_THREAD), frame,
                frame == null ? "the finalizer thread is not in the dump's stacks"
                        : "the finalizer thread is in " + frame);
        draft.threads.add(FINALIZER_THREAD);
        int containerPosition = Math.max(0, path.steps().size() - 1);
        for (int i = 0; i <= path.steps().size(); i++) {
            if ("java.lang.ref.ReferenceQueue".equals(Names.className(graph, OwnerResolver.objectAt(path, i)))) {
                containerPosition = i;
                break;
            }
        }
        draft.container = OwnerResolver.objectAt(path, containerPosition);
        draft.containerType = Names.className(graph, draft.container);
        long pendingCount = 0;
        for (long[] totals : byClass.values()) {
            pendingCount += totals[0];
        }
        draft.elements = pendingCount;
        draft.containerDescription = String.format(Locale.ROOT, "the queue of %,d objects awaiting finalize()",
                pendingCount);
        draft.containerRetained = finalizerBytes;
        byClass.forEach((cls, totals) -> draft.accumulate(graph.className(cls), "", totals[0], totals[1]));
        draft.path = path;
        draft.ownerStep = -1;
        draft.containerStep = containerPosition - 1;
        draft.signature = "finalizer";
        draft.accumulatedClass = graph.className(topClass);
        draft.retained = finalizerBytes;
        draft.shareBase = finalizerBytes;
        return draft;
    }

    /**
     * The pending object of the class with the shortest path (the queues are long chains): depths are memoised
     * along the way up, so that all candidates together cost one visit per object on their paths.
     */
    private static int representative(ObjectGraph graph, ShortestPaths paths, int cls, int first) {
        IntArray depth = graph.storage().ints(graph.objectCount());
        depth.fill(0, graph.objectCount(), -1);
        IntStack chain = new IntStack(64);
        int best = first;
        int bestDepth = Integer.MAX_VALUE;
        for (int o = first, n = graph.objectCount(); o < n; o++) {
            if (graph.classOf(o) != cls || !paths.isReached(o)) {
                continue;
            }
            chain.clear();
            int current = o;
            while (current >= 0 && depth.get(current) < 0) {
                chain.push(current);
                current = paths.parentOf(current);
            }
            int d = current < 0 ? -1 : depth.get(current);
            while (!chain.isEmpty()) {
                depth.set(chain.pop(), ++d);
            }
            if (depth.get(o) < bestDepth) {
                best = o;
                bestDepth = depth.get(o);
            }
        }
        Storage.free(depth);
        return best;
    }

    /** The finalizer thread's topmost application frame (else its topmost frame) among the dump's frame roots. */
    private static String finalizerFrame(ObjectGraph graph) {
        String best = null;
        int bestDepth = Integer.MAX_VALUE;
        boolean bestIsApplication = false;
        for (int r = 0, roots = graph.rootCount(); r < roots; r++) {
            String frame = graph.rootFrame(r);
            if (frame == null || !FINALIZER_THREAD.equals(graph.rootThread(r))) {
                continue;
            }
            boolean application = !ClassRoles.isJdk(frame);
            int depth = graph.rootFrameDepth(r);
            if (application && !bestIsApplication || application == bestIsApplication && depth < bestDepth) {
                best = frame;
                bestDepth = depth;
                bestIsApplication = application;
            }
        }
        return best;
    }
}
