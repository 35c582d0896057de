package dev.refkit.heap.analysis;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Reads the growing paths out of dumps' {@link PathProfile}s: matches the newest profile's nodes in the older ones
 * by signature, keeps the nodes that grew at every step, reports the first growing node below a steady one, and
 * names it as a leak suspect would be named (owner, container, what accumulates, fingerprint).
 */
final class GrowthReader {

    private final List<PathProfile> profiles;
    private final HeapGrowth.Thresholds thresholds;
    private final PathProfile last;
    private int[][] children;

    GrowthReader(List<PathProfile> profiles, HeapGrowth.Thresholds thresholds) {
        this.profiles = profiles;
        this.thresholds = thresholds;
        this.last = profiles.get(profiles.size() - 1);
    }

    List<HeapGrowth.GrowingPath> growingPaths() {
        int size = last.nodeCount();
        boolean[] grows = new boolean[size];
        List<List<Long>> counts = new ArrayList<>(size);
        List<List<Long>> bytes = new ArrayList<>(size);
        for (int node = 0; node < size; node++) {
            List<Long> c = new ArrayList<>(profiles.size());
            List<Long> b = new ArrayList<>(profiles.size());
            boolean everywhere = true;
            for (PathProfile profile : profiles) {
                int at = profile.node(last.signature[node]);
                if (at < 0) {
                    everywhere = false;
                    break;
                }
                c.add(profile.count[at]);
                b.add(profile.through[at]);
            }
            counts.add(everywhere ? c : null);
            bytes.add(everywhere ? b : null);
            grows[node] = everywhere && HeapGrowth.monotonic(c, 1) && HeapGrowth.monotonic(b, 1)
                    && HeapGrowth.perStep(c) >= thresholds.objectsPerStep()
                    && HeapGrowth.perStep(b) >= thresholds.bytesPerStep();
        }
        List<HeapGrowth.GrowingPath> found = new ArrayList<>();
        for (int node = 0; node < size; node++) {
            int parent = last.parent[node];
            if (grows[node] && (parent < 0 || !grows[parent])) {
                found.add(describe(node, counts, bytes));
            }
        }
        found.sort(Comparator.comparingLong((HeapGrowth.GrowingPath p) -> -p.bytesPerStep())
                .thenComparing(HeapGrowth.GrowingPath::owner));
        return found;
    }

    private HeapGrowth.GrowingPath describe(int node, List<List<Long>> counts, List<List<Long>> bytes) {
        int payload = payload(node, counts, bytes);
        int container = container(node);
        List<Integer> chain = last.chain(payload);
        List<String> path = new ArrayList<>();
        int start = 1;
        if (chain.size() > 1 && last.label[chain.get(1)].startsWith("static ")) {
            int field = chain.get(1);
            path.add("static " + anchorClass(chain.get(0)) + "." + last.label[field].substring("static ".length())
                    + " → " + Names.shortName(last.className[field]) + (field == container ? PathText.CONTAINER_MARK : ""));
            start = 2;
        } else {
            path.add(last.label[chain.get(0)]);
        }
        for (int i = start; i < chain.size(); i++) {
            int n = chain.get(i);
            path.add("  " + last.label[n] + " → " + Names.shortName(last.className[n])
                    + (n == container ? PathText.CONTAINER_MARK : n == node ? "  ◀ grows" : ""));
        }
        StringBuilder via = new StringBuilder();
        for (int i = chain.indexOf(node) + 1; i < chain.size(); i++) {
            int n = chain.get(i);
            via.append(via.length() == 0 ? "" : " → ").append(Names.shortName(last.className[last.parent[n]]))
                    .append(last.label[n]);
        }
        String owner = owner(chain, container);
        String signature = signature(chain, container);
        return new HeapGrowth.GrowingPath(owner, last.className[container], last.className[payload], via.toString(),
                path, counts.get(node), bytes.get(node), SuspectText.fingerprint(signature, last.className[payload]));
    }

    /**
     * Through map nodes, lambdas and inner classes to the child that holds most of the element's growth in bytes
     * (half of it at least, as the suspects see through wrappers by retained bytes).
     */
    private int payload(int node, List<List<Long>> counts, List<List<Long>> bytes) {
        int current = node;
        for (int depth = 0; depth < AccumulationSearch.MAX_WRAPPER_DEPTH; depth++) {
            if ((last.roles[current] & (ClassRoles.WRAPPER | ClassRoles.LISTENER)) == 0) {
                return current;
            }
            int best = -1;
            long perStep = HeapGrowth.perStep(bytes.get(current));
            for (int child : children(current)) {
                List<Long> c = counts.get(child);
                if (c != null && child != current && HeapGrowth.monotonic(c, 1)
                        && HeapGrowth.perStep(bytes.get(child)) >= AccumulationSearch.WRAPPED_SHARE * perStep
                        && (best < 0 || last.through[child] > last.through[best])) {
                    best = child;
                }
            }
            if (best < 0) {
                return current;
            }
            current = best;
        }
        return current;
    }

    /** As the leak suspects find it: the nearest collection a few levels up through arrays and nodes, then outward. */
    private int container(int node) {
        int parent = last.parent[node];
        if (parent < 0) {
            return node;
        }
        int container = parent;
        int current = parent;
        for (int level = 0; level < AccumulationSearch.CONTAINER_LEVELS && current >= 0; level++) {
            if ((last.roles[current] & ClassRoles.CONTAINER) != 0) {
                container = current;
                break;
            }
            if ((last.roles[current] & (ClassRoles.OBJECT_ARRAY | ClassRoles.WRAPPER)) == 0) {
                break;
            }
            current = last.parent[current];
        }
        while (last.parent[container] >= 0 && (last.roles[last.parent[container]] & ClassRoles.CONTAINER) != 0
                && (last.roles[last.parent[container]] & ClassRoles.JDK) != 0) {
            container = last.parent[container];
        }
        return container;
    }

    private String anchorClass(int anchor) {
        String label = last.label[anchor];
        return label.startsWith("class ") ? label.substring("class ".length()) : label;
    }

    /** The static field at the head of the path, else its GC root; with the nearest application field, as suspects say. */
    private String owner(List<Integer> chain, int container) {
        int anchor = chain.get(0);
        boolean isStatic = chain.size() > 1 && last.label[chain.get(1)].startsWith("static ");
        int end = chain.indexOf(container);
        for (int i = end; i >= (isStatic ? 2 : 1); i--) {
            int n = chain.get(i);
            int holder = last.parent[n];
            if (last.label[n].startsWith(".") && (last.roles[holder] & (ClassRoles.JDK | ClassRoles.CONTAINER
                    | ClassRoles.WRAPPER | ClassRoles.OBJECT_ARRAY | ClassRoles.THREAD | ClassRoles.LISTENER)) == 0) {
                return "field " + last.className[holder] + last.label[n];
            }
        }
        if (isStatic) {
            return "static field " + anchorClass(anchor) + "." + last.label[chain.get(1)].substring("static ".length());
        }
        return last.label[anchor];
    }

    /** The leak suspects' signature of the same owner and container (see {@code OwnerResolver}). */
    private String signature(List<Integer> chain, int container) {
        int end = chain.indexOf(container);
        StringBuilder text = new StringBuilder();
        int from;
        if (chain.size() > 1 && last.label[chain.get(1)].startsWith("static ")) {
            text.append("static ").append(anchorClass(chain.get(0))).append('.')
                    .append(last.label[chain.get(1)].substring("static ".length()));
            from = 2;
        } else {
            String root = last.label[chain.get(0)];
            int colon = root.lastIndexOf(": ");
            text.append(colon < 0 ? root : root.substring(0, colon));
            from = 1;
        }
        for (int i = from; i <= end; i++) {
            int n = chain.get(i);
            String label = last.label[n];
            text.append(" → ").append(last.className[last.parent[n]]).append(' ')
                    .append(label.startsWith(".") ? label.substring(1) : label);
        }
        return text.append(" → ").append(last.className[container]).toString();
    }

    private int[] children(int node) {
        if (children == null) {
            int size = last.nodeCount();
            int[] counts = new int[size];
            for (int n = 0; n < size; n++) {
                if (last.parent[n] >= 0) {
                    counts[last.parent[n]]++;
                }
            }
            children = new int[size][];
            for (int n = 0; n < size; n++) {
                children[n] = new int[counts[n]];
                counts[n] = 0;
            }
            for (int n = 0; n < size; n++) {
                int p = last.parent[n];
                if (p >= 0) {
                    children[p][counts[p]++] = n;
                }
            }
        }
        return children[node];
    }
}
