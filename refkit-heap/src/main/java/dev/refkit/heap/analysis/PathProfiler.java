package dev.refkit.heap.analysis;

import dev.refkit.heap.index.IntArray;
import dev.refkit.heap.index.Storage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Builds a heap's {@link PathProfile}.
 *
 * <p>Implementation notes. An object a static field holds is placed below that field's class, however the shortest
 * path reached it (the way leak suspects name owners). Every strongly reachable object is given a node once, in one pass that walks up the
 * shortest-path tree from each object to the first ancestor that has one (so each object is visited once, whatever
 * the depth) and assigns nodes back down. A node is found by its parent node, the holder's class, the holder's
 * reference by position and the class reached, in a hash table of primitive keys (no boxing per object; the hash
 * is seeded per run, so that no dump can choose colliding keys). Positions are cheap but not names: a null field
 * shifts the positions after it, and arrays have as many positions as elements. So arrays and objects of many
 * references are keyed without a position, and after the pass each node is named once, from one representative
 * reference, and nodes with the same parent, name and class are merged. Names cost one record read per node,
 * never per object.
 */
final class PathProfiler {

    /** Objects with more references than this are keyed without the reference's position (a scan per child). */
    static final int POSITION_SCAN = 64;

    private final ObjectGraph graph;
    private final ShortestPaths paths;
    private final ClassRoles roles;
    private final long seed = ThreadLocalRandom.current().nextLong() | 1;

    // raw nodes, growable
    private int nodes;
    private int[] parent = new int[1024];
    private int[] nodeClass = new int[1024];
    private int[] holder = new int[1024];
    private int[] target = new int[1024];
    private String[] anchorText = new String[1024];
    private long[] count = new long[1024];
    private long[] shallow = new long[1024];
    // key table: (parent << 32 | holder class), (position << 32 | class) -> raw node
    private long[] keyHigh = new long[1 << 12];
    private long[] keyLow = new long[1 << 12];
    private int[] keyNode = new int[1 << 12];
    private int keys;
    private final Map<String, Integer> anchors = new HashMap<>();
    private final OwnerResolver statics;

    PathProfiler(ObjectGraph graph, ShortestPaths paths, ClassRoles roles) {
        this.graph = graph;
        this.paths = paths;
        this.roles = roles;
        this.statics = new OwnerResolver(graph, roles, paths);
        Arrays.fill(keyNode, -1);
    }

    PathProfile profile(List<PathProfile.ClassTotals> classes) {
        int n = graph.objectCount();
        IntArray nodeOf = graph.storage().ints(n);
        nodeOf.fill(0, n, -1);
        IntStack chain = new IntStack(64);
        for (int o = 0; o < n; o++) {
            if (nodeOf.get(o) >= 0 || !paths.isReached(o)) {
                continue;
            }
            chain.clear();
            int current = o;
            while (true) {
                chain.push(current);
                if (isAnchor(current)) {
                    break;
                }
                int up = paths.parentOf(current);
                if (up < 0 || nodeOf.get(up) >= 0) {
                    break;
                }
                current = up;
            }
            while (!chain.isEmpty()) {
                int object = chain.pop();
                int node = nodeFor(object, nodeOf);
                nodeOf.set(object, node);
                count[node]++;
                shallow[node] += graph.shallowSize(object);
            }
        }
        Storage.free(nodeOf);
        return merged(classes);
    }

    /** Class objects, GC roots, and objects a static field holds (named from the static, whatever path reached them). */
    private boolean isAnchor(int object) {
        return graph.classForObject(object) >= 0 || paths.parentOf(object) < 0 || statics.heldByStatic(object);
    }

    private int nodeFor(int object, IntArray nodeOf) {
        if (graph.classForObject(object) >= 0) {
            return anchor("class " + graph.className(graph.classForObject(object)), object);
        }
        if (statics.heldByStatic(object)) {
            // as the leak suspects name an owner: from the static field, even when the shortest path arrives
            // another way (an executor reached through its worker's frame), so that dumps and launchers agree
            long holder = statics.staticHolder(object);
            int classObject = (int) (holder >>> 32);
            int anchor = anchor("class " + graph.className(graph.classForObject(classObject)), classObject);
            int position = (int) holder;
            return child(anchor, graph.classOf(classObject), position, graph.classOf(object), classObject, object);
        }
        int up = paths.parentOf(object);
        if (up < 0) {
            GcRootPath.Root root = paths.rootOf(object);
            String frame = root.frame() == null ? "" : " " + OwnerResolver.method(root.frame());
            return anchor("root " + root.kind() + frame + ": " + Names.stable(Names.className(graph, object)), object);
        }
        int parentNode = nodeOf.get(up);
        int holderClass = graph.classOf(up);
        int cls = graph.classOf(object);
        if (cls == holderClass && graph.classForObject(up) < 0
                && !roles.is(cls, ClassRoles.OBJECT_ARRAY | ClassRoles.PRIMITIVE_ARRAY)) {
            return parentNode; // a chain of one class is one node
        }
        int position = -1;
        long first = graph.firstEdge(up);
        long end = graph.firstEdge(up + 1);
        if (graph.classForObject(up) >= 0 || !roles.is(holderClass, ClassRoles.OBJECT_ARRAY) && end - first <= POSITION_SCAN) {
            for (long e = first; e < end; e++) {
                if (graph.edgeTarget(e) == object && graph.edgeStrength(e) == 0) {
                    position = (int) (e - first);
                    break;
                }
            }
        }
        return child(parentNode, holderClass, position, cls, up, object);
    }

    private int anchor(String text, int object) {
        Integer known = anchors.get(text);
        if (known != null) {
            return known;
        }
        int node = newNode(-1, graph.classOf(object), -1, object);
        anchorText[node] = text;
        anchors.put(text, node);
        return node;
    }

    private int child(int parentNode, int holderClass, int position, int cls, int holderObject, int object) {
        long high = ((long) parentNode << 32) | (holderClass & 0xffffffffL);
        long low = ((long) position << 32) | (cls & 0xffffffffL);
        int mask = keyNode.length - 1;
        for (int slot = slot(high, low) & mask; ; slot = (slot + 1) & mask) {
            int node = keyNode[slot];
            if (node < 0) {
                node = newNode(parentNode, cls, holderObject, object);
                keyHigh[slot] = high;
                keyLow[slot] = low;
                keyNode[slot] = node;
                if (++keys * 2 > keyNode.length) {
                    growKeys();
                }
                return node;
            }
            if (keyHigh[slot] == high && keyLow[slot] == low) {
                return node;
            }
        }
    }

    private int slot(long high, long low) {
        long h = (high * 0x9E3779B97F4A7C15L + low) ^ seed;
        h ^= h >>> 31;
        h *= 0xBF58476D1CE4E5B9L;
        h ^= h >>> 29;
        return (int) h;
    }

    private void growKeys() {
        long[] oldHigh = keyHigh;
        long[] oldLow = keyLow;
        int[] oldNode = keyNode;
        keyHigh = new long[oldNode.length * 2];
        keyLow = new long[oldNode.length * 2];
        keyNode = new int[oldNode.length * 2];
        Arrays.fill(keyNode, -1);
        int mask = keyNode.length - 1;
        for (int i = 0; i < oldNode.length; i++) {
            if (oldNode[i] >= 0) {
                int slot = slot(oldHigh[i], oldLow[i]) & mask;
                while (keyNode[slot] >= 0) {
                    slot = (slot + 1) & mask;
                }
                keyHigh[slot] = oldHigh[i];
                keyLow[slot] = oldLow[i];
                keyNode[slot] = oldNode[i];
            }
        }
    }

    private int newNode(int parentNode, int cls, int holderObject, int object) {
        if (nodes == parent.length) {
            int size = nodes * 2;
            parent = Arrays.copyOf(parent, size);
            nodeClass = Arrays.copyOf(nodeClass, size);
            holder = Arrays.copyOf(holder, size);
            target = Arrays.copyOf(target, size);
            anchorText = Arrays.copyOf(anchorText, size);
            count = Arrays.copyOf(count, size);
            shallow = Arrays.copyOf(shallow, size);
        }
        parent[nodes] = parentNode;
        nodeClass[nodes] = cls;
        holder[nodes] = holderObject;
        target[nodes] = object;
        return nodes++;
    }

    /** Names every raw node once and merges those with the same parent, name and class; sums bytes up the tree. */
    private PathProfile merged(List<PathProfile.ClassTotals> classes) {
        int[] canonical = new int[nodes];
        Map<String, Integer> byKey = new HashMap<>();
        List<Integer> representatives = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        for (int raw = 0; raw < nodes; raw++) {
            String label = anchorText[raw] != null ? anchorText[raw] : label(holder[raw], target[raw]);
            int canonicalParent = parent[raw] < 0 ? -1 : canonical[parent[raw]];
            String key = canonicalParent + "\u0000" + label + "\u0000" + nodeClass[raw];
            Integer known = byKey.get(key);
            if (known == null) {
                known = representatives.size();
                byKey.put(key, known);
                representatives.add(raw);
                labels.add(label);
            }
            canonical[raw] = known;
        }
        int size = representatives.size();
        int[] parents = new int[size];
        String[] names = new String[size];
        String[] classNames = new String[size];
        int[] nodeRoles = new int[size];
        long[] counts = new long[size];
        long[] shallows = new long[size];
        long[] signatures = new long[size];
        for (int c = 0; c < size; c++) {
            int raw = representatives.get(c);
            parents[c] = parent[raw] < 0 ? -1 : canonical[parent[raw]];
            names[c] = labels.get(c);
            int cls = nodeClass[raw];
            classNames[c] = cls < 0 ? ReachabilityCensus.NO_CLASS : Names.stable(graph.className(cls));
            nodeRoles[c] = cls < 0 ? 0 : roles.of(cls);
            long parentSignature = parents[c] < 0 ? 0x5bd1e995L : signatures[parents[c]];
            signatures[c] = mix(mix(parentSignature, names[c].hashCode()), classNames[c].hashCode());
        }
        for (int raw = 0; raw < nodes; raw++) {
            counts[canonical[raw]] += count[raw];
            shallows[canonical[raw]] += shallow[raw];
        }
        long[] through = shallows.clone();
        for (int c = size - 1; c >= 0; c--) {
            if (parents[c] >= 0 && parents[c] != c) {
                through[parents[c]] += through[c];
            }
        }
        return new PathProfile(parents, names, classNames, nodeRoles, counts, shallows, through, signatures, classes);
    }

    /** The reference from holder to target as a path step: {@code .field}, {@code [*]}, {@code static NAME}. */
    private String label(int holderObject, int object) {
        for (long e = graph.firstEdge(holderObject), end = graph.firstEdge(holderObject + 1); e < end; e++) {
            if (graph.edgeTarget(e) == object && graph.edgeStrength(e) == 0) {
                String name = graph.edgeName(e);
                return name.startsWith("[") ? "[*]" : name.startsWith("static ") ? name : "." + name;
            }
        }
        return "?";
    }

    private static long mix(long hash, int value) {
        long h = (hash ^ value) * 0x9E3779B97F4A7C15L;
        return h ^ (h >>> 32);
    }
}
