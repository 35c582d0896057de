package dev.refkit.cli;

import dev.refkit.heap.analysis.PathTree;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Nodes of a merged path tree as the reports show them: sibling nodes that read the same (the same reference and
 * class, array indexes folded to {@code [*]}, hidden-class suffixes dropped) are one group, with their counts and
 * their subtrees added up, so that 600 listeners in one array are one group of 600, in text and in JSON alike.
 *
 * @param reference how the parent holds the group's objects ({@code .callbacks}, {@code [*]}), or, at the top
 *                  level, the GC root's description
 * @param type      the objects' class ({@code class X} for a class object)
 * @param isTarget  whether the objects are among those asked about
 * @param count     how many of the objects asked about have their path through this group
 * @param members   the tree's nodes in the group, one per object (or per run of a chain)
 */
record PathGroup(String reference, String type, boolean isTarget, int count, List<PathTree.Node> members) {

    /** The top level: the GC roots, grouped, most objects first. */
    static List<PathGroup> roots(PathTree tree) {
        return group(tree.roots(), null);
    }

    /** The next level: the members' children, grouped, most objects first. */
    List<PathGroup> children() {
        List<PathTree.Node> children = new ArrayList<>();
        for (PathTree.Node member : members) {
            children.addAll(member.children());
        }
        return group(children, members.get(0).objectType());
    }

    /** The one object the group stands for (the first of its run), or -1 when it stands for several. */
    int object() {
        return members.size() == 1 ? members.get(0).object() : -1;
    }

    /** How many objects of one chain the group's single member stands for (1 when it is no chain). */
    int run() {
        return members.get(0).run();
    }

    /** Whether the group is a GC root. */
    boolean isRoot() {
        return type == null;
    }

    /** Groups sibling nodes; {@code parentType} is the class of the object they are referenced from (null: roots). */
    private static List<PathGroup> group(List<PathTree.Node> nodes, String parentType) {
        Map<String, List<PathTree.Node>> byKey = new LinkedHashMap<>();
        for (PathTree.Node node : nodes) {
            byKey.computeIfAbsent(reference(node, parentType) + (parentType == null ? "" : " → " + shortLambdas(node.objectType()))
                    + (node.isTarget() ? "  ◀" : "") + (node.run() > 1 ? "\u0000" + node.run() : ""), k -> new ArrayList<>())
                    .add(node);
        }
        List<PathGroup> groups = new ArrayList<>();
        for (List<PathTree.Node> members : byKey.values()) {
            PathTree.Node first = members.get(0);
            groups.add(new PathGroup(reference(first, parentType), parentType == null ? null : shortLambdas(first.objectType()),
                    first.isTarget(), members.stream().mapToInt(PathTree.Node::count).sum(), List.copyOf(members)));
        }
        groups.sort(Comparator.comparingInt(PathGroup::count).reversed());
        return groups;
    }

    private static String reference(PathTree.Node node, String parentType) {
        return shortLambdas(parentType == null ? node.reference() : field(node.reference(), parentType).replaceAll("\\[\\d+\\]", "[*]"));
    }

    /** The reference as read from its holder: {@code "a.B.field"} from a {@code a.B} is {@code ".field"}. */
    private static String field(String reference, String holderType) {
        String holder = holderType.startsWith("class ") ? holderType.substring("class ".length()) : holderType;
        if (reference.startsWith(holder + "[") || reference.startsWith(holder + ".")) {
            return reference.substring(holder.length());
        }
        return reference;
    }

    /** Hidden-class names without their unique suffix: {@code Foo$$Lambda$68+0x7fc6c10d6418} reads {@code Foo$$Lambda}. */
    static String shortLambdas(String text) {
        return text.replaceAll("\\$\\$Lambda(\\$\\d+)?([+/]0x[0-9a-fA-F]+)?", "\\$\\$Lambda");
    }
}
