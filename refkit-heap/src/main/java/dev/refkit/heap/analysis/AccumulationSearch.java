package dev.refkit.heap.analysis;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds where objects accumulate, from the dominator tree, and says what accumulates there.
 *
 * <p>Implementation notes. A leak is a point in the dominator tree below which the retained bytes spread over
 * many children: the storage of a collection, a map's table, the head of a linked structure. From every
 * top-level object that retains enough, the search descends into the child that holds most (at least
 * {@link #DOMINANT_SHARE} of its parent) until the bytes spread; that object is the accumulation point. Three
 * refinements make the point one a person would name:
 * <ul>
 * <li><b>Linked structures are one structure.</b> The descent stops where a child has its parent's class (a
 * queue's nodes, a list of app nodes, a tree's entries): the head stands for the whole structure, whose
 * elements are all the objects of that class connected below it. Without this, a 5,000-node queue sends the
 * descent to its tail, 5,000 levels down.
 * <li><b>Structural objects are not accumulation points.</b> Class objects (their statics), class loaders
 * (their classes), threads and their ThreadLocal maps split the heap between unrelated things; the search
 * goes on into each of their children that retains enough, and groups their small children by class (objects
 * of one class each held by several owners). This is why a class loader that dominates the whole
 * application is never the answer: the static field below it is.
 * <li><b>Containers are the named thing.</b> The point is usually an internal array or node; the container
 * is the nearest collection above it within a few dominator levels ({@code HashMap} above its
 * {@code Node[]}, {@code HashSet} above that {@code HashMap}), or the point itself.
 * </ul>
 * Each element is then seen through wrappers (map nodes, lambdas, anonymous classes, tasks) to what it holds,
 * by the largest dominated child while that child retains at least half of the element, so that a listener
 * list reads "300 × ChartView via $$Lambda.arg$1". The search reads only the dominator tree and class roles;
 * it visits each accumulated element once, and a linked structure once, so it stays linear in the heap.
 */
final class AccumulationSearch {

    static final double DOMINANT_SHARE = 0.80;
    static final double WRAPPED_SHARE = 0.50;
    static final int MAX_POINTS = 64;
    static final int MAX_WRAPPER_DEPTH = 4;
    /** Levels of the dominator tree above a point searched for the collection that owns it. */
    static final int CONTAINER_LEVELS = 3;

    /**
     * Where objects accumulate: a dominator-tree object whose retained bytes spread over its children, the head of
     * a linked structure, or a group of same-class objects that no one object dominates.
     */
    record Point(int object, boolean linked, int[] members) {
        boolean isGroup() {
            return members != null;
        }
    }

    /** Accumulated objects of one element class and one payload class. */
    static final class Group {
        final int elementClass;
        final int payloadClass;
        final int firstElement;
        final int firstPayload;
        long count;
        long retained;

        Group(int elementClass, int payloadClass, int firstElement, int firstPayload) {
            this.elementClass = elementClass;
            this.payloadClass = payloadClass;
            this.firstElement = firstElement;
            this.firstPayload = firstPayload;
        }
    }

    /** What accumulates at a point. */
    record Accumulation(Point point, int container, long elements, long retained, List<Group> groups) {
        /**
         * The payload of the first element of the largest group: the object the path is drawn to (for a group
         * point, the leak suspect search draws it to the member most of a sample are held like instead).
         */
        int representative() {
            return groups.isEmpty() ? point.object() : groups.get(0).firstPayload;
        }
    }

    private final ObjectGraph graph;
    private final DominatorTree dominators;
    private final ClassRoles roles;
    private final ShortestPaths paths;

    AccumulationSearch(ObjectGraph graph, DominatorTree dominators, ClassRoles roles, ShortestPaths paths) {
        this.graph = graph;
        this.dominators = dominators;
        this.roles = roles;
        this.paths = paths;
    }

    /** The accumulation points retaining at least {@code threshold} bytes, most retained first, at most {@link #MAX_POINTS}. */
    List<Point> points(long threshold) {
        List<Point> points = new ArrayList<>();
        IntStack work = new IntStack(64);
        int[] top = dominators.topLevelView();
        splitAmong(top, 0, top.length, threshold, work, points);
        while (!work.isEmpty() && points.size() < MAX_POINTS) {
            int current = work.pop();
            boolean linked = false;
            while (true) {
                int child = dominators.largestChild(current);
                if (child < 0 || dominators.retainedSize(child) < DOMINANT_SHARE * dominators.retainedSize(current)) {
                    break;
                }
                if (sameStructure(current, child)) {
                    linked = true;
                    break;
                }
                current = child;
            }
            if (!linked && isStructural(current)) {
                int first = dominators.firstChild(current);
                int end = dominators.endOfChildren(current);
                int[] children = new int[end - first];
                for (int i = first; i < end; i++) {
                    children[i - first] = dominators.childAt(i);
                }
                splitAmong(children, 0, children.length, threshold, work, points);
            } else {
                points.add(new Point(current, linked, null));
            }
        }
        points.sort(Comparator.comparingLong((Point p) -> -retained(p)));
        return points.size() > MAX_POINTS ? List.copyOf(points.subList(0, MAX_POINTS)) : points;
    }

    /**
     * Children of a structural object (or the top level): those retaining enough are searched on; the others are
     * grouped by class, and a class whose instances together retain enough is a group point.
     */
    private void splitAmong(int[] children, int from, int to, long threshold, IntStack work, List<Point> points) {
        Map<Integer, List<Integer>> small = new HashMap<>();
        Map<Integer, Long> smallBytes = new HashMap<>();
        for (int i = to - 1; i >= from; i--) {
            int child = children[i];
            long retained = dominators.retainedSize(child);
            if (retained >= threshold) {
                work.push(child);
            } else if (graph.classForObject(child) < 0 && graph.classOf(child) >= 0
                    && !roles.is(graph.classOf(child), ClassRoles.THREAD | ClassRoles.CLASS_LOADER)) {
                small.computeIfAbsent(graph.classOf(child), c -> new ArrayList<>()).add(child);
                smallBytes.merge(graph.classOf(child), retained, Long::sum);
            }
        }
        for (Map.Entry<Integer, Long> entry : smallBytes.entrySet()) {
            List<Integer> members = small.get(entry.getKey());
            if (entry.getValue() >= threshold && members.size() > 1) {
                members.sort(Comparator.comparingLong(m -> -dominators.retainedSize(m)));
                points.add(new Point(members.get(0), false, members.stream().mapToInt(Integer::intValue).toArray()));
            }
        }
    }

    /** Whether a parent and child are links of one structure: the same class, neither an array nor a class object. */
    private boolean sameStructure(int parent, int child) {
        int cls = graph.classOf(parent);
        return cls >= 0 && cls == graph.classOf(child) && graph.classForObject(parent) < 0
                && !roles.is(cls, ClassRoles.OBJECT_ARRAY | ClassRoles.PRIMITIVE_ARRAY);
    }

    /** Class objects, class loaders, threads and ThreadLocal maps, and arrays of classes or of ThreadLocal entries. */
    boolean isStructural(int object) {
        if (graph.classForObject(object) >= 0) {
            return true;
        }
        int cls = graph.classOf(object);
        if (roles.is(cls, ClassRoles.CLASS_LOADER | ClassRoles.THREAD | ClassRoles.THREAD_LOCAL_MAP)) {
            return true;
        }
        if (roles.is(cls, ClassRoles.OBJECT_ARRAY)) {
            if (graph.className(cls).equals("java.lang.ThreadLocal$ThreadLocalMap$Entry[]")) {
                return true;
            }
            int largest = dominators.largestChild(object);
            return largest >= 0 && graph.classForObject(largest) >= 0;
        }
        return false;
    }

    long retained(Point point) {
        if (!point.isGroup()) {
            return dominators.retainedSize(point.object());
        }
        long sum = 0;
        for (int member : point.members()) {
            sum += dominators.retainedSize(member);
        }
        return sum;
    }

    /** The container, the elements and what they hold, for one point. */
    Accumulation describe(Point point) {
        lastGroup = null;
        Map<Long, Group> groups = new HashMap<>();
        long[] elements = new long[1];
        if (point.isGroup()) {
            for (int member : point.members()) {
                addElement(member, dominators.retainedSize(member), groups, elements);
            }
        } else if (point.linked()) {
            addStructure(point.object(), groups, elements);
            // a queue's last node is dominated by the queue (it is also its 'last'), not by the chain
            int up = dominators.immediateDominator(point.object());
            int cls = graph.classOf(point.object());
            if (up >= 0 && roles.isObject(graph, up, ClassRoles.CONTAINER)) {
                for (int i = dominators.firstChild(up), end = dominators.endOfChildren(up); i < end; i++) {
                    int sibling = dominators.childAt(i);
                    if (sibling != point.object() && graph.classOf(sibling) == cls) {
                        addStructure(sibling, groups, elements);
                    }
                }
            }
        } else if (dominators.firstChild(point.object()) == dominators.endOfChildren(point.object())) {
            addElement(point.object(), dominators.retainedSize(point.object()), groups, elements);
        } else {
            addChildren(point.object(), groups, elements, true);
        }
        List<Group> sorted = new ArrayList<>(groups.values());
        sorted.sort(Comparator.comparingLong((Group g) -> -g.retained).thenComparingLong(g -> -g.count));
        int container = point.isGroup() ? -1 : container(point);
        return new Accumulation(point, container, elements[0], retained(point), sorted);
    }

    /**
     * The children of a point as elements; a segment of a segmented map (its children are {@code *Segment}s) is
     * seen into, down to where its own entries spread.
     */
    private void addChildren(int point, Map<Long, Group> groups, long[] elements, boolean intoSegments) {
        for (int i = dominators.firstChild(point), end = dominators.endOfChildren(point); i < end; i++) {
            int child = dominators.childAt(i);
            int holder = paths.parentOf(child);
            if (intoSegments && roles.isObject(graph, child, ClassRoles.SEGMENT)) {
                int inner = child;
                for (int next = dominators.largestChild(inner); next >= 0
                        && dominators.retainedSize(next) >= DOMINANT_SHARE * dominators.retainedSize(inner);
                     next = dominators.largestChild(inner)) {
                    inner = next;
                }
                addChildren(inner, groups, elements, false);
            } else if (holder == point || holder < 0) {
                addStructure(child, groups, elements);
            } else {
                // held by several elements (a view subscribed three times): told as what those elements hold
                addShared(holder, child, groups);
            }
        }
    }

    /** An element and the objects of its class linked below it (a bucket's chain, the rest of a linked list). */
    private void addStructure(int start, Map<Long, Group> groups, long[] elements) {
        int cls = graph.classOf(start);
        IntStack stack = new IntStack(16);
        stack.push(start);
        while (!stack.isEmpty()) {
            int element = stack.pop();
            long own = dominators.retainedSize(element);
            if (graph.classForObject(element) < 0 && !roles.is(cls, ClassRoles.OBJECT_ARRAY)) {
                own = ownRetained(element);
                for (int i = dominators.firstChild(element), end = dominators.endOfChildren(element); i < end; i++) {
                    int child = dominators.childAt(i);
                    if (graph.classOf(child) == cls && graph.classForObject(child) < 0) {
                        stack.push(child);
                    }
                }
            }
            if (!roles.is(cls, ClassRoles.WRAPPER) || holdsSomething(element)) {
                addElement(element, own, groups, elements); // an empty node (a queue's head sentinel) is no element
            }
        }
    }

    private void addShared(int holder, int shared, Map<Long, Group> groups) {
        Group group = group(graph.classOf(holder), graph.classOf(shared), holder, shared, groups);
        group.count++;
        group.retained += dominators.retainedSize(shared);
    }

    /** The last group found by this {@link #describe}, tried first: the elements of one container are mostly alike. */
    private Group lastGroup;

    private Group group(int elementClass, int payloadClass, int element, int payload, Map<Long, Group> groups) {
        Group group = lastGroup;
        if (group != null && group.elementClass == elementClass && group.payloadClass == payloadClass) {
            return group;
        }
        long key = key(elementClass, payloadClass);
        group = groups.get(key);
        if (group == null) {
            group = new Group(elementClass, payloadClass, element, payload);
            groups.put(key, group);
        }
        lastGroup = group;
        return group;
    }

    private static long key(int elementClass, int payloadClass) {
        return ((long) elementClass << 32) | (payloadClass & 0xffffffffL);
    }

    private void addElement(int element, long retained, Map<Long, Group> groups, long[] elements) {
        elements[0]++;
        int payload = payload(element);
        int elementClass = graph.classOf(element);
        int payloadClass = graph.classForObject(payload) >= 0 ? -2 : graph.classOf(payload);
        Group group = group(elementClass, payloadClass, element, payload, groups);
        group.count++;
        group.retained += retained;
    }

    /** What an element holds through wrappers (map nodes, lambdas, tasks); the element itself when it is no wrapper. */
    int payload(int element) {
        int current = element;
        for (int depth = 0; depth < MAX_WRAPPER_DEPTH; depth++) {
            int cls = graph.classOf(current);
            if (!roles.is(cls, ClassRoles.WRAPPER | ClassRoles.LISTENER) || graph.classForObject(current) >= 0) {
                return current;
            }
            int next = wrapped(current);
            // half of what the wrapper's children retain: a map node's value beside its key
            if (next < 0 || dominators.retainedSize(next)
                    < WRAPPED_SHARE * (ownRetained(current) - graph.shallowSize(current))) {
                return current;
            }
            current = next;
        }
        return current;
    }

    /** The largest object a wrapper dominates that is not a link of its own structure, or -1. */
    private int wrapped(int wrapper) {
        int cls = graph.classOf(wrapper);
        for (int i = dominators.firstChild(wrapper), end = dominators.endOfChildren(wrapper); i < end; i++) {
            int child = dominators.childAt(i);
            if (graph.classOf(child) != cls && graph.classForObject(child) < 0) {
                return child;
            }
        }
        return -1;
    }

    /** Whether a node refers to anything but its class and the links of its own structure. */
    private boolean holdsSomething(int node) {
        int cls = graph.classOf(node);
        for (long e = graph.firstEdge(node), end = graph.firstEdge(node + 1); e < end; e++) {
            int target = graph.edgeTarget(e);
            if (graph.edgeStrength(e) == 0 && graph.classForObject(target) < 0 && graph.classOf(target) != cls) {
                return true;
            }
        }
        return false;
    }

    /** What an object retains without the links of its own structure below it (the rest of a chain). */
    private long ownRetained(int object) {
        long own = dominators.retainedSize(object);
        int cls = graph.classOf(object);
        for (int i = dominators.firstChild(object), end = dominators.endOfChildren(object); i < end; i++) {
            int child = dominators.childAt(i);
            if (graph.classOf(child) == cls && graph.classForObject(child) < 0) {
                own -= dominators.retainedSize(child);
            }
        }
        return own;
    }

    /** The steps from an element to its payload, as {@code Holder.field} with short holder names. */
    String via(int element, int payload) {
        StringBuilder via = new StringBuilder();
        int current = element;
        for (int depth = 0; depth < MAX_WRAPPER_DEPTH && current != payload; depth++) {
            int next = wrapped(current);
            if (next < 0 || next != payload && depth == MAX_WRAPPER_DEPTH - 1) {
                next = payload; // held, not dominated: an object several elements share
            }
            String field = "…";
            for (long e = graph.firstEdge(current), end = graph.firstEdge(current + 1); e < end; e++) {
                if (graph.edgeTarget(e) == next && graph.edgeStrength(e) == 0) {
                    field = graph.edgeName(e);
                    break;
                }
            }
            if (via.length() > 0) {
                via.append(" → ");
            }
            via.append(Names.shortName(Names.className(graph, current))).append('.').append(field);
            current = next;
        }
        return via.toString();
    }

    /**
     * The collection a point belongs to: the point itself when it is one (or heads a linked structure with no
     * collection above), else the nearest collection at most {@link #CONTAINER_LEVELS} dominator levels above it
     * through arrays and collection nodes; then outward through collections that wrap it directly
     * ({@code HashSet} → its {@code HashMap}).
     */
    int container(Point point) {
        int object = point.object();
        int container = object;
        if (!roles.isObject(graph, object, ClassRoles.CONTAINER)) {
            int current = object;
            for (int level = 0; level < CONTAINER_LEVELS; level++) {
                int up = dominators.immediateDominator(current);
                if (up < 0) {
                    break;
                }
                if (roles.isObject(graph, up, ClassRoles.CONTAINER)) {
                    container = up;
                    break;
                }
                if (!roles.isObject(graph, up, ClassRoles.OBJECT_ARRAY | ClassRoles.WRAPPER)) {
                    break;
                }
                current = up;
            }
        }
        while (true) {
            int up = dominators.immediateDominator(container);
            if (up < 0 || !roles.isObject(graph, up, ClassRoles.CONTAINER) || !roles.isObject(graph, up, ClassRoles.JDK)
                    || !references(up, container)) {
                return container;
            }
            container = up;
        }
    }

    private boolean references(int holder, int target) {
        for (long e = graph.firstEdge(holder), end = graph.firstEdge(holder + 1); e < end; e++) {
            if (graph.edgeTarget(e) == target) {
                return true;
            }
        }
        return false;
    }
}
