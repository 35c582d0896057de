package dev.refkit.heap.analysis;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One heap's strong shortest-path tree, aggregated by path signature: every strongly reachable object counted at
 * the node named by how it is held (its anchor, then each reference by holder class, field and class reached), so
 * that dumps of one program taken at different times can be compared node by node although their objects have
 * different ids. It holds no reference to the dump: comparing many dumps keeps only their profiles.
 *
 * <p>A node's <em>anchor</em> is a class (the statics of {@code class X}, however the class itself is held) or a
 * GC root (its kind, its frame's method and its class). Below it, array slots are generalised ({@code [*]}) and a
 * chain of objects of one class holding each other (a linked list's nodes) is one node. Each node has the number
 * and shallow bytes of the objects at it, and the bytes of everything reached through it.
 */
public final class PathProfile {

    /**
     * Per class of the heap: instances, shallow bytes and retained bytes (strongly reachable instances).
     *
     * @param className     the class
     * @param instances     its strongly reachable instances
     * @param shallowBytes  their shallow bytes
     * @param retainedBytes what they retain together
     */
    public record ClassTotals(String className, long instances, long shallowBytes, long retainedBytes) {
        /**
         * Checks that the class name is given.
         *
         * @param className     the class
         * @param instances     its strongly reachable instances
         * @param shallowBytes  their shallow bytes
         * @param retainedBytes what they retain together
         */
        public ClassTotals {
            Objects.requireNonNull(className, "className");
        }
    }

    final int[] parent;
    final String[] label;
    final String[] className;
    final int[] roles;
    final long[] count;
    final long[] shallow;
    final long[] through;
    final long[] signature;
    private final List<ClassTotals> classes;
    private Map<Long, Integer> bySignature;

    PathProfile(int[] parent, String[] label, String[] className, int[] roles, long[] count, long[] shallow,
                long[] through, long[] signature, List<ClassTotals> classes) {
        this.parent = parent;
        this.label = label;
        this.className = className;
        this.roles = roles;
        this.count = count;
        this.shallow = shallow;
        this.through = through;
        this.signature = signature;
        this.classes = List.copyOf(classes);
    }

    /** {@return the number of nodes} */
    public int nodeCount() {
        return parent.length;
    }

    /** {@return the classes of the heap with their totals, most retained first} */
    public List<ClassTotals> classes() {
        return classes;
    }

    /** The node with this signature, or -1. */
    int node(long signature) {
        if (bySignature == null) {
            Map<Long, Integer> map = new HashMap<>(parent.length * 2);
            for (int n = 0; n < parent.length; n++) {
                map.putIfAbsent(this.signature[n], n);
            }
            bySignature = map;
        }
        return bySignature.getOrDefault(signature, -1);
    }

    /** The labels from the node's anchor down to it. */
    List<Integer> chain(int node) {
        List<Integer> chain = new ArrayList<>();
        for (int n = node; n >= 0; n = parent[n]) {
            chain.add(n);
        }
        Collections.reverse(chain);
        return chain;
    }
}
