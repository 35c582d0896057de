package dev.refkit.cli;

import dev.refkit.heap.DumpInfo;
import dev.refkit.heap.analysis.DominatorTree;
import dev.refkit.heap.analysis.GcRootPath;
import dev.refkit.heap.analysis.LeakSuspect;
import dev.refkit.heap.analysis.PathTree;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.function.IntFunction;

/** The analysis as text for a terminal 100 columns wide. */
final class TextReport {

    static final int WIDTH = 100;
    private static final int BAR = 30;

    private TextReport() {
    }

    static void write(AnalysisReport report, PrintWriter out) {
        facts(report, out);
        census(report, out);
        classes(report, out);
        retainers(report, out);
        suspects(report.suspects(), report::id, out);
    }

    static void facts(AnalysisReport report, PrintWriter out) {
        DumpInfo info = report.info();
        out.printf("Dump      %s%n", Format.safe(info.file().toString()));
        out.printf("          HPROF %s, %d-byte ids, %s%s%n", Format.safe(info.formatVersion()), info.idSize(),
                Format.safe(info.vmLayout()), info.gzipped() ? ", gzip" : "");
        out.printf("          written %s%n", when(info.timestamp()));
        out.printf("Heap      %s objects in %s (shallow); %s classes; %s GC roots%n", Format.count(info.objectCount()),
                Format.bytes(report.heapBytes()), Format.count(info.classCount()), Format.count(info.gcRootCount()));
        if (info.danglingReferences() > 0) {
            out.printf("          %s references to ids with no object in the dump (ignored; dumps usually have some)%n",
                    Format.count(info.danglingReferences()));
        }
    }

    static void census(AnalysisReport report, PrintWriter out) {
        out.println();
        out.println("Reachability (strongest path decides; along a path, the weakest reference)");
        long total = report.heapBytes();
        for (AnalysisReport.CensusRow row : report.census()) {
            int filled = total == 0 ? 0 : (int) Math.round((double) BAR * row.bytes() / total);
            if (filled == 0 && row.bytes() > 0) {
                filled = 1;
            }
            out.printf("  %-12s %12s objects %10s %6s  %s%n", row.reachability().name().toLowerCase(),
                    Format.count(row.count()), Format.bytes(row.bytes()), Format.percent(row.bytes(), total),
                    "█".repeat(filled) + "·".repeat(BAR - filled));
        }
        out.println("  " + wrap(report.censusSummary(), WIDTH - 2, "  "));
    }

    /**
     * The classes that retain the most. Unlike {@code refkit histogram}, which counts every object of the dump, this
     * counts the strongly reachable objects only (the dominator tree's): the note above the table says so.
     */
    static void classes(AnalysisReport report, PrintWriter out) {
        long reachable = report.reachableBytes();
        out.println();
        out.println("Top classes by retained size");
        out.println("  " + wrap("strongly reachable objects only (" + Format.count(report.reachableCount()) + " of "
                + Format.count(report.info().objectCount()) + "; 'refkit histogram' counts every object, garbage included);"
                + " share: of the " + Format.bytes(reachable) + " they take", WIDTH - 2, "  "));
        out.printf("  %10s %6s %10s %11s  %s%n", "retained", "share", "shallow", "instances", "class");
        for (DominatorTree.ClassRetained c : report.topClasses()) {
            out.printf("  %10s %6s %10s %11s  %s%n", Format.bytes(c.retainedBytes()), Format.percent(c.retainedBytes(), reachable),
                    Format.bytes(c.shallowBytes()), Format.count(c.instances()), Format.fit(readable(c.className()), WIDTH - 45));
        }
    }

    static void retainers(AnalysisReport report, PrintWriter out) {
        long reachable = report.reachableBytes();
        out.println();
        out.println("Top retainers (objects whose removal would free the most; share: of the " + Format.bytes(reachable)
                + " strongly reachable)");
        out.printf("  %10s %6s %10s  %s%n", "retained", "share", "shallow", "object");
        for (DominatorTree.Retainer r : report.topRetainers()) {
            out.printf("  %10s %6s %10s  %s%n", Format.bytes(r.retainedSize()), Format.percent(r.retainedSize(), reachable),
                    Format.bytes(r.shallowSize()), named(r.objectType(), report.id(r.object()), WIDTH - 33));
        }
    }

    /** An object as a type and the dump's id, {@code java.util.ArrayList @ 0x7f3a10}, the type cut to fit. */
    static String named(String type, String id, int width) {
        String suffix = " @ " + id;
        return Format.fit(readable(type), Math.max(10, width - suffix.length())) + suffix;
    }

    /** The line with its marker ({@code  ◀ container}) preceded by the object's id; the id appended when it has none. */
    private static String withId(String line, String id) {
        int marker = line.indexOf("  ◀");
        return marker < 0 ? line + " @ " + id : line.substring(0, marker) + " @ " + id + line.substring(marker);
    }

    static void suspects(List<LeakSuspect> suspects, IntFunction<String> ids, PrintWriter out) {
        out.println();
        if (suspects.isEmpty()) {
            out.println("Leak suspects: none found");
            return;
        }
        out.println("Leak suspects");
        int n = 1;
        for (LeakSuspect s : suspects) {
            if (n > 1) {
                out.println();
            }
            out.printf("%2d. %s%n", n++, wrap(readable(s.summary()), WIDTH - 4, "    "));
            suspect(s, "    ", ids, out);
        }
    }

    /**
     * A suspect's parts, one labelled line each: kind, owner, container, what accumulates, path, hint, fingerprint;
     * the container and the accumulated object the path leads to named with the dump's ids.
     */
    static void suspect(LeakSuspect s, String indent, IntFunction<String> ids, PrintWriter out) {
        String label = indent + "%-12s ";
        String more = indent + " ".repeat(13);
        int width = WIDTH - more.length();
        out.printf(label + "%s%n", "kind", kindName(s.kind()));
        out.printf(label + "%s%n", "owner", wrap(readable(s.owner().description()) + " (" + readable(s.owner().context())
                + ")", width, more));
        String containerId = ids.apply(s.container().object());
        out.printf(label + "%s%n", "container", wrap(readable(s.container().description()) + " @ " + containerId
                + ", retaining " + Format.bytes(s.container().retainedBytes()), width, more));
        int shown = 0;
        for (LeakSuspect.Accumulated a : s.accumulated()) {
            if (shown == 3) {
                out.printf("%s… %s more classes%n", more, Format.count(s.accumulated().size() - shown));
                break;
            }
            String line = Format.count(a.count()) + " × " + readable(a.className()) + " · " + Format.bytes(a.retainedBytes())
                    + (a.via().isEmpty() ? "" : " via " + readable(a.via()));
            out.printf("%s%s%n", shown++ == 0 ? String.format(label, "accumulates") : more, wrap(line, width, more + "  "));
        }
        List<String> path = s.pathLines();
        List<GcRootPath.Step> steps = s.path().steps();
        String elementId = steps.isEmpty() ? ids.apply(s.path().root().object()) : ids.apply(steps.get(steps.size() - 1).object());
        for (int i = 0; i < path.size(); i++) {
            String line = readable(path.get(i));
            if (i == path.size() - 1) {
                line = withId(line, elementId);
            } else if (line.endsWith("◀ container")) {
                line = withId(line, containerId);
            }
            out.printf("%s%s%n", i == 0 ? String.format(label, "path") : more, wrap(line, width, more + "      "));
        }
        out.printf(label + "%s%n", "hint", wrap(readable(s.hint()), width, more));
        out.printf(label + "%s%n", "fingerprint", s.fingerprint());
    }

    /** What grew across dumps: the growing paths, then the classes that grew and shrank. */
    static void growth(DiffCommand.DiffReport report, PrintWriter out) {
        List<dev.refkit.heap.DumpInfo> infos = report.infos();
        for (int i = 0; i < infos.size(); i++) {
            dev.refkit.heap.DumpInfo info = infos.get(i);
            out.printf("%-9s %d. %s (%s objects, written %s)%n", i == 0 ? "Dumps" : "", i + 1,
                    Format.safe(info.file().toString()), Format.count(info.objectCount()), when(info.timestamp()));
        }
        dev.refkit.heap.analysis.HeapGrowth growth = report.growth();
        out.println();
        if (growth.growing().isEmpty()) {
            out.println("Growing paths: none (nothing grew at every step)");
        } else {
            out.println("Growing paths (grew at every step; most bytes per step first)");
        }
        int n = 1;
        for (dev.refkit.heap.analysis.HeapGrowth.GrowingPath p : growth.growing().subList(0,
                Math.min(report.top(), growth.growing().size()))) {
            if (n > 1) {
                out.println();
            }
            String counts = String.join(" → ", p.counts().stream().map(Format::count).toList());
            out.printf("%2d. %s%n", n++, wrap(readable(p.owner() + " → " + shortName(p.container()) + ": " + counts
                    + " " + shortName(p.elementClass()) + ", +" + Format.bytes(p.bytesPerStep()) + " per step"),
                    WIDTH - 4, "    "));
            String label = "    %-12s ";
            String more = " ".repeat(17);
            out.printf(label + "%s%n", "owner", readable(p.owner()));
            out.printf(label + "%s%n", "container", readable(p.container()));
            out.printf(label + "%s%n", "accumulates", readable(p.elementClass() + (p.via().isEmpty() ? "" : " via " + p.via())));
            out.printf(label + "%s%n", "counts", counts);
            out.printf(label + "%s%n", "bytes", String.join(" → ", p.bytes().stream().map(Format::bytes).toList()));
            for (int i = 0; i < p.path().size(); i++) {
                out.printf("%s%s%n", i == 0 ? String.format(label, "path") : more, wrap(readable(p.path().get(i)),
                        WIDTH - more.length(), more + "      "));
            }
            out.printf(label + "%s%n", "fingerprint", p.fingerprint());
        }
        classChanges("Classes that grew at every step", growth.grew(), report.top(), out);
        classChanges("Classes that shrank at every step", growth.shrank(), report.top(), out);
    }

    private static void classChanges(String title, List<dev.refkit.heap.analysis.HeapGrowth.ClassChange> changes, int top,
                                     PrintWriter out) {
        out.println();
        if (changes.isEmpty()) {
            out.println(title + ": none");
            return;
        }
        out.println(title);
        out.printf("  %-30s %-30s %s%n", "instances", "shallow", "class");
        for (dev.refkit.heap.analysis.HeapGrowth.ClassChange c : changes.subList(0, Math.min(top, changes.size()))) {
            out.printf("  %-30s %-30s %s%n", Format.fit(String.join(" → ", c.instances().stream().map(Format::count).toList()), 30),
                    Format.fit(String.join(" → ", c.shallowBytes().stream().map(Format::bytes).toList()), 30),
                    Format.fit(readable(c.className()), WIDTH - 64));
        }
    }

    private static String shortName(String className) {
        int dot = className.lastIndexOf('.');
        return className.substring(dot + 1);
    }

    /** The kind in words: {@code STATIC_COLLECTION} → {@code unbounded static collection}. */
    static String kindName(LeakSuspect.Kind kind) {
        return switch (kind) {
            case WATCHED_OBJECT_ALIVE -> "watched object still alive";
            case LISTENERS -> "listeners never removed";
            case STATIC_COLLECTION -> "unbounded static collection";
            case FIELD_COLLECTION -> "collection that only grows";
            case THREAD_LOCAL -> "ThreadLocal values in pooled threads";
            case THREAD_STACK -> "large batch held by a running thread";
            case QUEUED_TASKS -> "tasks queued and never run";
            case STUCK_EXECUTOR -> "queue growing behind a stuck executor";
            case VALUE_REACHES_WEAK_KEY -> "weak-map values that hold their own keys";
            case STALE_CLASS_LOADER -> "stale class loader";
            case FINALIZER_BACKLOG -> "finalizer backlog";
            case LARGE_OBJECT -> "one large object";
        };
    }

    /** A path, one reference a line, the root first. */
    static void path(GcRootPath path, String indent, PrintWriter out) {
        out.println(indent + Format.fit(path.root().toString(), WIDTH - indent.length()));
        for (GcRootPath.Step step : path.steps()) {
            String strength = step.strength().name().equals("STRONG") ? "" : "  (" + step.strength().name().toLowerCase() + ")";
            out.println(indent + Format.fit(readable("↳ " + step.referenceText() + " → " + step.objectType()) + strength,
                    WIDTH - indent.length()));
        }
    }

    /** Children shown per node of a path tree; the rest are summed up in one line. */
    static final int TREE_FAN_OUT = 8;

    /**
     * A merged path tree: each node with how many of the targets pass through it, sibling nodes that read the same
     * shown as one ({@link PathGroup}), so that 600 listeners in one array read as one line of 600; a run of one
     * reference in a chain reads as one line ({@code (×9,999 in a chain)}); a line that stands for one object names
     * it with the dump's id ({@code ids}). Drawn with an explicit stack, so that no depth of tree can overflow the
     * thread's stack.
     */
    static void tree(PathTree tree, IntFunction<String> ids, PrintWriter out) {
        java.util.Deque<Frame> stack = new java.util.ArrayDeque<>();
        List<PathGroup> roots = PathGroup.roots(tree);
        for (int i = roots.size() - 1; i >= 0; i--) {
            stack.push(new Frame(roots.get(i), "", true, true, null));
        }
        while (!stack.isEmpty()) {
            Frame frame = stack.pop();
            if (frame.note != null) {
                out.println(frame.note);
                continue;
            }
            PathGroup node = frame.group;
            String branch = frame.top ? "" : frame.last ? "└─ " : "├─ ";
            String count = String.format("%8s  ", Format.count(node.count()));
            String text = Format.safe(node.isRoot() ? node.reference() : node.reference() + " → " + node.type())
                    + (node.object() >= 0 ? " @ " + ids.apply(node.object()) : "") + (node.isTarget() ? "  ◀" : "");
            String times = node.members().size() > 1 ? " (×" + Format.count(node.members().size()) + ")" : "";
            String chain = node.run() > 1 ? " (×" + Format.count(node.run()) + " in a chain)" : "";
            out.println(count + Format.fit(frame.prefix + branch + text + times + chain, WIDTH - count.length()));
            String childPrefix = frame.top ? "" : frame.prefix + (frame.last ? "   " : "│  ");
            List<PathGroup> children = node.children();
            int shown = Math.min(children.size(), TREE_FAN_OUT);
            if (shown < children.size()) {
                int rest = children.subList(shown, children.size()).stream().mapToInt(PathGroup::count).sum();
                stack.push(new Frame(null, null, false, false, String.format("%8s  ", Format.count(rest)) + childPrefix
                        + "└─ … " + (children.size() - shown) + " more"));
            }
            for (int i = shown - 1; i >= 0; i--) {
                stack.push(new Frame(children.get(i), childPrefix, i == children.size() - 1, false, null));
            }
        }
    }

    /** A line still to draw: a group at its place in the tree, or a note ({@code … 3 more}). */
    private record Frame(PathGroup group, String prefix, boolean last, boolean top, String note) {
    }

    /** Hidden-class names without their unique suffix: {@code Foo$$Lambda$68+0x7fc6c10d6418} reads {@code Foo$$Lambda}. */
    static String readable(String text) {
        return Format.safe(PathGroup.shortLambdas(text));
    }

    private static String when(long millis) {
        return millis <= 0 ? "at an unknown time"
                : DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").format(Instant.ofEpochMilli(millis).atOffset(ZoneOffset.UTC));
    }

    /** Wraps {@code text} at spaces to lines of at most {@code width}, continuation lines indented. */
    static String wrap(String text, int width, String indent) {
        StringBuilder result = new StringBuilder();
        int lineStart = 0;
        int lastBreak = -1;
        for (String word : text.split(" ")) {
            int lineLength = result.length() - lineStart;
            if (lineLength > 0 && lineLength + 1 + word.length() > width) {
                result.append('\n').append(indent);
                lineStart = result.length() - indent.length();
            } else if (lineLength > 0) {
                result.append(' ');
            }
            result.append(word);
            lastBreak = result.length();
        }
        return lastBreak < 0 ? text : result.toString();
    }
}
