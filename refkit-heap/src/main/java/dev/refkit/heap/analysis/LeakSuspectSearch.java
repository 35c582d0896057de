package dev.refkit.heap.analysis;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Runs the {@link LeakSuspect.Kind} heuristics over one heap and ranks what they find.
 *
 * <p>Every heuristic reads results already computed (reachability levels, the dominator tree, the strong
 * shortest-path tree); only the search for values reaching their own weak key walks the graph again, under a
 * budget, so the whole search stays linear in the heap's size.
 */
final class LeakSuspectSearch {

    static final String KEYED_WEAK_REFERENCE = "dev.refkit.leak.KeyedWeakReference";
    static final String WEAK_REFERENCE = "java.lang.ref.WeakReference";
    static final double LARGE_SHARE = 0.10;
    static final double ACCUMULATION_SHARE = 0.80;
    static final int MIN_LISTENERS = 20;
    static final int SEARCH_BUDGET_PER_ENTRY = 100_000;
    static final long SEARCH_BUDGET_TOTAL = 20_000_000L;
    private static final Set<String> PRIMITIVE_ARRAYS = Set.of("boolean[]", "char[]", "float[]", "double[]", "byte[]",
            "short[]", "int[]", "long[]");

    private final ObjectGraph graph;
    private final byte[] levels;
    private final DominatorTree dominators;
    private final ShortestPaths strongPaths;
    private final long reachableBytes;

    LeakSuspectSearch(ObjectGraph graph, byte[] levels, DominatorTree dominators, ShortestPaths strongPaths) {
        this.graph = graph;
        this.levels = levels;
        this.dominators = dominators;
        this.strongPaths = strongPaths;
        this.reachableBytes = dominators.reachableBytes();
    }

    List<LeakSuspect> search() {
        List<LeakSuspect> suspects = new ArrayList<>();
        suspects.addAll(watchedObjectsAlive());
        suspects.addAll(largeRetainers());
        suspects.addAll(valuesReachingWeakKeys());
        suspects.addAll(listenerAccumulations());
        suspects.sort(Comparator.comparing((LeakSuspect s) -> s.kind() != LeakSuspect.Kind.WATCHED_OBJECT_ALIVE)
                .thenComparing(Comparator.comparingLong(LeakSuspect::retainedBytes).reversed())
                .thenComparingInt(LeakSuspect::object));
        return List.copyOf(suspects);
    }

    List<LeakSuspect> largeRetainers() {
        List<LeakSuspect> found = new ArrayList<>();
        long threshold = Math.max(1, (long) Math.ceil(LARGE_SHARE * reachableBytes));
        Map<Integer, List<Integer>> byClass = new LinkedHashMap<>();
        for (int top : dominators.topLevelView()) {
            long retained = dominators.retainedSize(top);
            if (retained >= threshold) {
                int point = accumulationPoint(top);
                String summary = String.format(Locale.ROOT, "one %s retains %s (%.1f%% of the reachable heap)%s",
                        Names.objectType(graph, top), Bytes.format(retained), percent(retained),
                        point == top ? "" : "; the bulk accumulates in " + Names.objectType(graph, point)
                                + " (" + Bytes.format(dominators.retainedSize(point)) + ")");
                found.add(suspect(LeakSuspect.Kind.LARGE_RETAINER, summary, top, 1, retained, point));
            } else if (graph.classForObject(top) < 0) {
                // Class objects are not grouped: together they are the loaded program, not a leak.
                byClass.computeIfAbsent(graph.classOf(top), c -> new ArrayList<>()).add(top);
            }
        }
        for (List<Integer> instances : byClass.values()) {
            if (instances.size() < 2) {
                continue;
            }
            long retained = 0;
            for (int instance : instances) {
                retained += dominators.retainedSize(instance);
            }
            if (retained >= threshold) {
                int largest = instances.get(0); // top level is sorted by retained size, most first
                String summary = String.format(Locale.ROOT, "%,d instances of %s retain %s (%.1f%% of the reachable heap)",
                        instances.size(), Names.className(graph, largest), Bytes.format(retained), percent(retained));
                found.add(suspect(LeakSuspect.Kind.LARGE_CLASS, summary, largest, instances.size(), retained,
                        accumulationPoint(largest)));
            }
        }
        return found;
    }

    /** Descends into the largest dominated child while it holds at least 80% of its parent's retained bytes. */
    int accumulationPoint(int object) {
        int current = object;
        while (true) {
            int child = dominators.largestChild(current);
            if (child < 0 || dominators.retainedSize(child) < ACCUMULATION_SHARE * dominators.retainedSize(current)) {
                return current;
            }
            current = child;
        }
    }

    List<LeakSuspect> watchedObjectsAlive() {
        boolean[] watcherClasses = subclassesOf(KEYED_WEAK_REFERENCE);
        List<LeakSuspect> found = new ArrayList<>();
        for (int ref = 0, n = graph.objectCount(); ref < n; ref++) {
            int cls = graph.classOf(ref);
            if (cls < 0 || cls >= watcherClasses.length || !watcherClasses[cls]) {
                continue;
            }
            int referent = referent(ref);
            if (referent < 0 || levels[referent] != Reachability.STRONG.ordinal()) {
                continue;
            }
            String description = graph.stringField(ref, "description");
            String key = graph.stringField(ref, "key");
            long retained = dominators.retainedSize(referent);
            String summary = String.format(Locale.ROOT, "%s watched as \"%s\" (key %s) should have been collected"
                            + " but is strongly reachable, retaining %s",
                    Names.objectType(graph, referent), description == null ? "?" : description,
                    key == null ? "?" : key, Bytes.format(retained));
            found.add(suspect(LeakSuspect.Kind.WATCHED_OBJECT_ALIVE, summary, referent, 1, retained, -1));
        }
        return found;
    }

    List<LeakSuspect> valuesReachingWeakKeys() {
        boolean[] weakClasses = subclassesOf(WEAK_REFERENCE);
        Map<Long, Group> groups = new LinkedHashMap<>();
        BoundedSearch search = null;
        long budget = SEARCH_BUDGET_TOTAL;
        for (int entry = 0, n = graph.objectCount(); entry < n && budget > 0; entry++) {
            int cls = graph.classOf(entry);
            if (cls < 0 || cls >= weakClasses.length || !weakClasses[cls]
                    || levels[entry] != Reachability.STRONG.ordinal()) {
                continue;
            }
            int key = referent(entry);
            int value = strongField(entry, "value");
            if (key < 0 || value < 0) {
                continue;
            }
            if (search == null) {
                search = new BoundedSearch(graph.objectCount());
            }
            int visited = search.reaches(value, key, SEARCH_BUDGET_PER_ENTRY);
            budget -= Math.abs(visited);
            if (visited < 0) {
                long groupKey = ((long) cls << 32) | (graph.classOf(key) & 0xffffffffL);
                Group group = groups.get(groupKey);
                if (group == null) {
                    group = new Group(entry, key, value);
                    groups.put(groupKey, group);
                }
                group.count++;
                group.retained += dominators.retainedSize(value);
            }
        }
        List<LeakSuspect> found = new ArrayList<>();
        for (Group group : groups.values()) {
            String summary = String.format(Locale.ROOT, "%,d %s entries whose value (%s) strongly reaches its own"
                            + " weak key (%s): the keys can never be collected; the values retain %s",
                    group.count, Names.className(graph, group.entry), Names.objectType(graph, group.value),
                    Names.objectType(graph, group.key), Bytes.format(group.retained));
            found.add(suspect(LeakSuspect.Kind.VALUE_REACHES_WEAK_KEY, summary, group.entry, group.count,
                    group.retained, -1));
        }
        return found;
    }

    private static final class Group {
        final int entry;
        final int key;
        final int value;
        int count;
        long retained;

        Group(int entry, int key, int value) {
            this.entry = entry;
            this.key = key;
            this.value = value;
        }
    }

    /** Breadth-first search over strong references with a visit budget; marks are stamped, never cleared. */
    private final class BoundedSearch {
        private final int[] stamp;
        private final IntStack queue = new IntStack(1024);
        private int generation;

        BoundedSearch(int n) {
            stamp = new int[n];
        }

        /** Visits made, negated when {@code goal} was reached from {@code start} within the budget. */
        int reaches(int start, int goal, int budget) {
            generation++;
            queue.clear();
            queue.push(start);
            stamp[start] = generation;
            int visited = 0;
            for (int head = 0; head < queue.size() && visited < budget; head++, visited++) {
                int object = queue.get(head);
                if (object == goal) {
                    return -(visited + 1);
                }
                for (int e = graph.firstEdge(object), end = graph.firstEdge(object + 1); e < end; e++) {
                    int target = graph.edgeTarget(e);
                    // Classes are not followed: through a class's statics and loader almost everything is
                    // reachable, and a key reachable that way is alive for another reason than its value.
                    if (graph.edgeStrength(e) == 0 && stamp[target] != generation
                            && graph.classForObject(target) < 0) {
                        stamp[target] = generation;
                        queue.push(target);
                    }
                }
            }
            return visited;
        }
    }

    List<LeakSuspect> listenerAccumulations() {
        List<LeakSuspect> found = new ArrayList<>();
        boolean[] objectArrayClasses = new boolean[graph.classCount()];
        for (int c = 0; c < objectArrayClasses.length; c++) {
            String name = graph.className(c);
            objectArrayClasses[c] = name.endsWith("[]") && !PRIMITIVE_ARRAYS.contains(name);
        }
        for (int array = 0, n = graph.objectCount(); array < n; array++) {
            int cls = graph.classOf(array);
            if (levels[array] != Reachability.STRONG.ordinal() || cls < 0 || cls >= objectArrayClasses.length
                    || !objectArrayClasses[cls] || graph.classForObject(array) >= 0) {
                continue;
            }
            int first = graph.firstEdge(array);
            int end = graph.firstEdge(array + 1);
            if (end - first < MIN_LISTENERS) {
                continue;
            }
            Map<Integer, Integer> elementClasses = new HashMap<>();
            int elements = 0;
            for (int e = first; e < end; e++) {
                if (graph.edgeStrength(e) == 0 && graph.classForObject(graph.edgeTarget(e)) < 0) {
                    elements++;
                    elementClasses.merge(graph.classOf(graph.edgeTarget(e)), 1, Integer::sum);
                }
            }
            int listenerClass = dominant(elementClasses, elements);
            if (listenerClass < 0 || !isListenerLike(graph.className(listenerClass))) {
                continue;
            }
            Map<Integer, Integer> ownersByClass = new HashMap<>();
            Set<Integer> seenOwners = new HashSet<>();   // an owner registered several times counts once
            int elementsHoldingOwners = 0;
            for (int e = first; e < end; e++) {
                int element = graph.edgeTarget(e);
                if (graph.edgeStrength(e) != 0 || graph.classOf(element) != listenerClass) {
                    continue;
                }
                boolean holdsOwner = false;
                for (int f = graph.firstEdge(element), fEnd = graph.firstEdge(element + 1); f < fEnd; f++) {
                    int owner = graph.edgeTarget(f);
                    if (graph.edgeStrength(f) == 0 && owner != array && owner != element
                            && graph.classOf(owner) != listenerClass && graph.classForObject(owner) < 0
                            && !isArray(owner) && dominators.dominates(array, owner)) {
                        holdsOwner = true;
                        if (seenOwners.add(owner)) {
                            ownersByClass.merge(graph.classOf(owner), 1, Integer::sum);
                        }
                    }
                }
                if (holdsOwner) {
                    elementsHoldingOwners++;
                }
            }
            int ownerClass = -1;
            int owners = 0;
            for (Map.Entry<Integer, Integer> entry : ownersByClass.entrySet()) {
                if (entry.getValue() > owners) {
                    owners = entry.getValue();
                    ownerClass = entry.getKey();
                }
            }
            if (owners < MIN_LISTENERS || 2 * elementsHoldingOwners < elements) {
                continue;
            }
            long retained = dominators.retainedSize(array);
            String summary = String.format(Locale.ROOT, "%s holds %,d %s elements that alone keep %,d %s alive,"
                            + " retaining %s: listeners registered and never removed?",
                    describeHolder(array), elements, graph.className(listenerClass), owners,
                    ownerClass < 0 ? ReachabilityCensus.NO_CLASS : graph.className(ownerClass), Bytes.format(retained));
            found.add(suspect(LeakSuspect.Kind.LISTENER_ACCUMULATION, summary, array, owners, retained, array));
        }
        return found;
    }

    private String describeHolder(int array) {
        List<GcRootPath> paths = strongPaths.pathsTo(array, 1);
        if (paths.isEmpty() || paths.get(0).steps().isEmpty()) {
            return Names.objectType(graph, array);
        }
        List<GcRootPath.Step> steps = paths.get(0).steps();
        return Names.objectType(graph, array) + " at " + steps.get(steps.size() - 1).referenceText();
    }

    private static int dominant(Map<Integer, Integer> classes, int total) {
        for (Map.Entry<Integer, Integer> entry : classes.entrySet()) {
            if (entry.getKey() >= 0 && 2 * entry.getValue() >= total) {
                return entry.getKey();
            }
        }
        return -1;
    }

    /** Application classes (not the JDK's own) named like listeners, lambdas and nested classes. */
    static boolean isListenerLike(String className) {
        if (className.startsWith("java.") || className.startsWith("javax.") || className.startsWith("jdk.")
                || className.startsWith("sun.") || className.startsWith("com.sun.")) {
            return false;
        }
        String simple = className.substring(className.lastIndexOf('.') + 1);
        return simple.contains("Listener") || simple.contains("Callback") || simple.contains("Handler")
                || simple.contains("Observer") || simple.contains("Subscriber") || simple.contains("Subscription")
                || simple.contains("$$Lambda") || simple.contains("$Lambda");
    }



    private boolean isArray(int object) {
        int cls = graph.classOf(object);
        return cls >= 0 && graph.className(cls).endsWith("[]");
    }

    private LeakSuspect suspect(LeakSuspect.Kind kind, String summary, int object, int instances, long retained,
                                int accumulationPoint) {
        return new LeakSuspect(kind, summary, object, Names.objectType(graph, object), instances, retained,
                reachableBytes == 0 ? 0 : (double) retained / reachableBytes, accumulationPoint,
                strongPaths.pathsTo(object, 1));
    }

    private double percent(long bytes) {
        return reachableBytes == 0 ? 0 : 100.0 * bytes / reachableBytes;
    }

    /** The target of the object's non-strong {@code referent} edge, or -1. */
    private int referent(int reference) {
        return referent(graph, reference);
    }

    /** The referent of a {@code java.lang.ref.Reference} instance (its one non-strong edge), or -1 when cleared. */
    static int referent(ObjectGraph graph, int reference) {
        for (int e = graph.firstEdge(reference), end = graph.firstEdge(reference + 1); e < end; e++) {
            if (graph.edgeStrength(e) != 0) {
                return graph.edgeTarget(e);
            }
        }
        return -1;
    }

    private int strongField(int object, String name) {
        for (int e = graph.firstEdge(object), end = graph.firstEdge(object + 1); e < end; e++) {
            if (graph.edgeStrength(e) == 0 && name.equals(graph.edgeName(e))) {
                return graph.edgeTarget(e);
            }
        }
        return -1;
    }

    private boolean[] subclassesOf(String className) {
        int classes = graph.classCount();
        boolean[] result = new boolean[classes];
        for (int c = 0; c < classes; c++) {
            int steps = 0;
            for (int k = c; k >= 0 && steps <= classes; k = graph.superClassOf(k), steps++) {
                if (className.equals(graph.className(k))) {
                    result[c] = true;
                    break;
                }
            }
        }
        return result;
    }
}
