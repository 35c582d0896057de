package dev.refkit.cli;

import dev.refkit.heap.HeapClass;
import dev.refkit.heap.HeapGraph;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The classes {@code paths --class NAME} means, tried in this order: the class of that name (as Java or the VM
 * spells it); the classes of that simple name ({@code SessionLocal}, {@code PriceView} for
 * {@code a.ListenerLeak$PriceView}); the classes whose name contains a match of NAME as a regular expression.
 *
 * @param names the classes' names, as Java spells them; empty when nothing matched
 * @param how   how NAME matched, for the report's header: {@code "named"}, {@code "with the simple name"},
 *              {@code "matching"}
 */
record ClassMatch(List<String> names, String how) {

    static ClassMatch of(HeapGraph graph, String query) {
        HeapClass exact = graph.findClass(query);
        if (exact != null) {
            return new ClassMatch(List.of(exact.name()), "named");
        }
        List<String> simple = new ArrayList<>();
        for (HeapClass c : graph.classes()) {
            if (simpleName(c.name()).equals(query) || afterLast(c.name(), '$').equals(query)) {
                simple.add(c.name());
            }
        }
        if (!simple.isEmpty()) {
            return new ClassMatch(simple, "with the simple name");
        }
        List<String> matching = new ArrayList<>();
        try {
            Pattern pattern = Pattern.compile(query);
            for (HeapClass c : graph.classes()) {
                if (pattern.matcher(c.name()).find()) {
                    matching.add(c.name());
                }
            }
        } catch (PatternSyntaxException e) {
            // not a regular expression: a name, and it matched none
        }
        return new ClassMatch(matching, "matching");
    }

    /** Every instance (not the class objects) of the named classes, by index in the graph. */
    static int[] instances(HeapGraph graph, Set<String> names) {
        int[] found = new int[16];
        int count = 0;
        for (int o = 0, n = graph.objectCount(); o < n; o++) {
            HeapClass c = graph.classOf(o);
            if (c != null && names.contains(c.name()) && graph.asClass(o) == null) {
                if (count == found.length) {
                    found = java.util.Arrays.copyOf(found, count * 2);
                }
                found[count++] = o;
            }
        }
        return java.util.Arrays.copyOf(found, count);
    }

    /**
     * Up to {@code max} classes a person may have meant: names that contain NAME (case ignored), then those whose
     * simple name is within a few typing errors of NAME's, the closest first.
     */
    static List<String> suggestions(HeapGraph graph, String query, int max) {
        String wanted = query.toLowerCase(Locale.ROOT);
        String wantedSimple = simpleName(wanted);
        record Candidate(String name, int distance) {
        }
        List<Candidate> candidates = new ArrayList<>();
        for (HeapClass c : graph.classes()) {
            String name = c.name().toLowerCase(Locale.ROOT);
            String simple = simpleName(name);
            int distance;
            if (name.contains(wanted)) {
                distance = 0;
            } else {
                distance = Math.min(editDistance(simple, wantedSimple), editDistance(afterLast(simple, '$'), wantedSimple));
                if (distance > Math.max(2, wantedSimple.length() / 3)) {
                    continue;
                }
            }
            candidates.add(new Candidate(c.name(), distance));
        }
        candidates.sort(Comparator.comparingInt(Candidate::distance).thenComparing(Candidate::name));
        return candidates.stream().limit(max).map(Candidate::name).toList();
    }

    private static String simpleName(String name) {
        return afterLast(name, '.');
    }

    private static String afterLast(String name, char separator) {
        return name.substring(name.lastIndexOf(separator) + 1);
    }

    /** Levenshtein's distance: insertions, deletions and substitutions that turn one into the other. */
    private static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
