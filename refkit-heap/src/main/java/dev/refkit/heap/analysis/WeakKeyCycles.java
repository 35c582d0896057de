package dev.refkit.heap.analysis;

import dev.refkit.heap.index.ByteArray;
import dev.refkit.heap.index.IntArray;
import dev.refkit.heap.index.Storage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Weak-keyed entries whose value strongly reaches the entry's own key, so that the key can never be collected
 * (Java has no ephemerons). Found among strongly reachable instances of {@code WeakReference} subclasses that
 * also hold a field named {@code value} ({@code WeakHashMap$Entry}, {@code ThreadLocalMap$Entry}, refkit's own
 * entries and similar), grouped by entry class and key class.
 *
 * <p>The search from each value is a breadth-first walk over strong references that does not enter class
 * objects (through a class's statics almost everything is reachable, and a key reached that way is alive for
 * another reason). It is bounded by a budget of visited objects per entry and in total, so a key reached only
 * beyond the budget is missed.
 */
final class WeakKeyCycles {

    static final String WEAK_REFERENCE = "java.lang.ref.WeakReference";
    static final int BUDGET_PER_ENTRY = 100_000;
    static final long BUDGET_TOTAL = 20_000_000L;

    /** Entries of one entry class whose values reach keys of one class. */
    static final class Cycle {
        final int entry;
        final int key;
        final int value;
        int count;
        long retained;

        Cycle(int entry, int key, int value) {
            this.entry = entry;
            this.key = key;
            this.value = value;
        }
    }

    private WeakKeyCycles() {
    }

    static List<Cycle> find(ObjectGraph graph, ByteArray levels, DominatorTree dominators) {
        boolean[] weakClasses = LeakSuspectSearch.subclassesOf(graph, WEAK_REFERENCE);
        Map<Long, Cycle> groups = new LinkedHashMap<>();
        IntArray stamp = null;
        IntStack queue = new IntStack(1024);
        int generation = 0;
        long budget = BUDGET_TOTAL;
        for (int entry = 0, n = graph.objectCount(); entry < n && budget > 0; entry++) {
            int cls = graph.classOf(entry);
            if (cls < 0 || cls >= weakClasses.length || !weakClasses[cls]
                    || levels.get(entry) != Reachability.STRONG.ordinal()) {
                continue;
            }
            int key = LeakSuspectSearch.referent(graph, entry);
            // naming the entry's references costs as many as it has: charged to the budget
            budget -= graph.firstEdge(entry + 1) - graph.firstEdge(entry);
            int value = key < 0 ? -1 : graph.strongField(entry, "value");
            if (value < 0) {
                continue;
            }
            if (stamp == null) {
                stamp = graph.storage().ints(n);
            }
            generation++;
            int visited = reaches(graph, value, key, stamp, generation, queue);
            budget -= Math.abs(visited);
            if (visited < 0) {
                long groupKey = ((long) cls << 32) | (graph.classOf(key) & 0xffffffffL);
                Cycle group = groups.get(groupKey);
                if (group == null) {
                    group = new Cycle(entry, key, value);
                    groups.put(groupKey, group);
                }
                group.count++;
                group.retained += dominators.retainedSize(value);
            }
        }
        Storage.free(stamp);
        return new ArrayList<>(groups.values());
    }

    /**
     * Work done (objects visited and references scanned), negated when {@code goal} was reached from {@code start}
     * within the budget; marks are stamped.
     */
    private static int reaches(ObjectGraph graph, int start, int goal, IntArray stamp, int generation, IntStack queue) {
        queue.clear();
        queue.push(start);
        stamp.set(start, generation);
        int visited = 0;
        for (int head = 0; head < queue.size() && visited < BUDGET_PER_ENTRY; head++, visited++) {
            int object = queue.get(head);
            if (object == goal) {
                return -(visited + 1);
            }
            visited += graph.firstEdge(object + 1) - graph.firstEdge(object); // references scanned count too
            for (long e = graph.firstEdge(object), end = graph.firstEdge(object + 1); e < end; e++) {
                int target = graph.edgeTarget(e);
                if (graph.edgeStrength(e) == 0 && stamp.get(target) != generation && graph.classForObject(target) < 0) {
                    stamp.set(target, generation);
                    queue.push(target);
                }
            }
        }
        return visited;
    }
}
