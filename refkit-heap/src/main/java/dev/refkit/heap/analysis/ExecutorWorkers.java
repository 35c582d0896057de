package dev.refkit.heap.analysis;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the workers of a {@code ThreadPoolExecutor} are doing: the threads its {@code workers} set reaches (a
 * bounded walk: the set holds worker objects that hold their threads) and the topmost application frame each
 * has in the dump.
 */
final class ExecutorWorkers {

    static final int BUDGET = 10_000;

    private ExecutorWorkers() {
    }

    /** {@code its 1 worker, thread "pool-1-thread-1", is in app.Task.run(Task.java:9)}, or null when none is found. */
    static String describe(ObjectGraph graph, ClassRoles roles, int executor) {
        int workers = graph.strongField(executor, "workers");
        if (workers < 0) {
            return null;
        }
        List<Integer> threads = new ArrayList<>();
        Map<Integer, Boolean> seen = new HashMap<>();
        IntStack queue = new IntStack(64);
        queue.push(workers);
        seen.put(workers, true);
        for (int head = 0; head < queue.size() && head < BUDGET; head++) {
            int object = queue.get(head);
            if (roles.isObject(graph, object, ClassRoles.THREAD)) {
                threads.add(object);
                continue;
            }
            for (long e = graph.firstEdge(object), end = graph.firstEdge(object + 1); e < end; e++) {
                int target = graph.edgeTarget(e);
                if (graph.edgeStrength(e) == 0 && target != executor && graph.classForObject(target) < 0
                        && seen.putIfAbsent(target, true) == null) {
                    queue.push(target);
                }
            }
        }
        if (threads.isEmpty()) {
            return "it has no worker thread";
        }
        Map<Integer, String> frames = topFrames(graph, threads);
        StringBuilder text = new StringBuilder(threads.size() == 1 ? "its 1 worker" : "its " + threads.size()
                + " workers are busy:");
        int shown = 0;
        for (int thread : threads) {
            if (shown++ == 3) {
                text.append(", …");
                break;
            }
            String name = graph.stringField(thread, "name", Names.MAX_NAME);
            String frame = frames.get(thread);
            text.append(shown > 1 ? ", " : threads.size() == 1 ? " is busy: " : " ").append("thread \"")
                    .append(name == null ? "?" : name).append('"').append(frame == null ? "" : " in " + frame);
        }
        return text.toString();
    }

    /** Each thread's topmost application frame among the dump's frame roots, else its topmost frame. */
    static Map<Integer, String> topFrames(ObjectGraph graph, List<Integer> threads) {
        Map<Integer, String> best = new LinkedHashMap<>();
        Map<Integer, Integer> bestDepth = new HashMap<>();
        Map<Integer, Boolean> bestApplication = new HashMap<>();
        for (int r = 0, roots = graph.rootCount(); r < roots; r++) {
            int thread = graph.rootThreadObject(r);
            String frame = graph.rootFrame(r);
            if (frame == null || !threads.contains(thread)) {
                continue;
            }
            boolean application = !ClassRoles.isJdk(frame);
            int depth = graph.rootFrameDepth(r);
            Boolean wasApplication = bestApplication.get(thread);
            if (wasApplication == null || application && !wasApplication
                    || application == wasApplication && depth < bestDepth.get(thread)) {
                best.put(thread, frame);
                bestDepth.put(thread, depth);
                bestApplication.put(thread, application);
            }
        }
        return best;
    }
}
