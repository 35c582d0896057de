package dev.refkit.cli;

import dev.refkit.heap.DumpInfo;
import dev.refkit.heap.analysis.DominatorTree;
import dev.refkit.heap.analysis.GcRootPath;
import dev.refkit.heap.analysis.HeapGrowth;
import dev.refkit.heap.analysis.LeakSuspect;
import dev.refkit.heap.analysis.PathTree;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * The reports as JSON documents for scripts: {@code analyze}, {@code diff}, {@code histogram} and {@code paths}. Each
 * starts with the {@link #SCHEMA_VERSION}, its kind and the refkit version that wrote it; docs/JSON.md describes every
 * field, and a test holds the documents to that description. A change that removes or renames a field, or changes
 * its meaning, increments the schema version; a new field does not.
 */
final class JsonReport {

    /** The version of the documents' schema (docs/JSON.md). */
    static final int SCHEMA_VERSION = 1;

    private final StringBuilder json = new StringBuilder();

    private JsonReport(String kind) {
        json.append("{\n  ");
        field("schemaVersion", SCHEMA_VERSION).comma().field("kind", kind).comma().field("refkitVersion", RefkitCli.version());
        json.append(",\n  ");
    }

    static String of(AnalysisReport report) {
        JsonReport w = new JsonReport("analysis");
        DumpInfo info = report.info();
        w.json.append("\"dump\": {");
        w.field("file", info.file().toString()).comma().field("format", info.formatVersion()).comma()
                .field("idSize", info.idSize()).comma().field("timestamp", info.timestamp()).comma()
                .field("vmLayout", info.vmLayout()).comma().field("compressedReferences", info.compressedReferences()).comma()
                .field("objects", info.objectCount()).comma().field("classes", info.classCount()).comma()
                .field("gcRoots", info.gcRootCount()).comma().field("references", info.referenceCount()).comma()
                .field("danglingReferences", info.danglingReferences()).comma().field("heapBytes", report.heapBytes()).comma()
                .field("stronglyReachableBytes", report.reachableBytes()).comma()
                .field("stronglyReachableObjects", report.reachableCount()).comma()
                .field("indexBytesPerObject", info.indexBytesPerObject());
        w.json.append("},\n  \"reachability\": {");
        w.field("summary", report.censusSummary());
        for (AnalysisReport.CensusRow row : report.census()) {
            w.comma().key(row.reachability().name().toLowerCase(Locale.ROOT)).append("{");
            w.field("objects", row.count()).comma().field("bytes", row.bytes()).json.append("}");
        }
        w.json.append("},\n  \"topClasses\": [");
        List<DominatorTree.ClassRetained> classes = report.topClasses();
        for (int i = 0; i < classes.size(); i++) {
            DominatorTree.ClassRetained c = classes.get(i);
            w.json.append(i == 0 ? "\n    {" : ",\n    {");
            w.field("class", c.className()).comma().field("instances", c.instances()).comma()
                    .field("shallowBytes", c.shallowBytes()).comma().field("retainedBytes", c.retainedBytes()).json.append("}");
        }
        w.json.append("],\n  \"topRetainers\": [");
        List<DominatorTree.Retainer> retainers = report.topRetainers();
        for (int i = 0; i < retainers.size(); i++) {
            DominatorTree.Retainer r = retainers.get(i);
            w.json.append(i == 0 ? "\n    {" : ",\n    {");
            w.field("id", report.id(r.object())).comma().field("type", r.objectType()).comma()
                    .field("shallowBytes", r.shallowSize()).comma().field("retainedBytes", r.retainedSize()).json.append("}");
        }
        w.json.append("],\n  \"suspects\": [");
        List<LeakSuspect> suspects = report.suspects();
        for (int i = 0; i < suspects.size(); i++) {
            w.json.append(i == 0 ? "\n    " : ",\n    ");
            w.suspect(suspects.get(i), report::id);
        }
        w.json.append("]\n}\n");
        return w.json.toString();
    }

    static String of(DiffCommand.DiffReport report) {
        JsonReport w = new JsonReport("diff");
        w.json.append("\"dumps\": [");
        for (int i = 0; i < report.infos().size(); i++) {
            DumpInfo info = report.infos().get(i);
            w.json.append(i == 0 ? "\n    {" : ",\n    {");
            w.field("file", info.file().toString()).comma().field("timestamp", info.timestamp()).comma()
                    .field("objects", info.objectCount()).json.append("}");
        }
        HeapGrowth growth = report.growth();
        w.json.append("],\n  \"growing\": [");
        for (int i = 0; i < growth.growing().size(); i++) {
            HeapGrowth.GrowingPath p = growth.growing().get(i);
            w.json.append(i == 0 ? "\n    {" : ",\n    {");
            w.field("owner", p.owner()).comma().field("container", p.container()).comma()
                    .field("elementClass", p.elementClass()).comma().field("via", p.via()).comma()
                    .field("fingerprint", p.fingerprint()).comma().field("objectsPerStep", p.objectsPerStep()).comma()
                    .field("bytesPerStep", p.bytesPerStep()).comma();
            w.numbers("counts", p.counts()).comma().numbers("bytes", p.bytes()).comma();
            w.key("path").append("[");
            for (int l = 0; l < p.path().size(); l++) {
                w.json.append(l == 0 ? "" : ", ");
                w.string(p.path().get(l));
            }
            w.json.append("]}");
        }
        w.json.append("],\n  \"grew\": ");
        w.classChanges(growth.grew());
        w.json.append(",\n  \"shrank\": ");
        w.classChanges(growth.shrank());
        w.json.append("\n}\n");
        return w.json.toString();
    }

    /**
     * What {@code refkit histogram} printed: every class of the dump that passed the filter, in the order asked for.
     *
     * @param dump      the dump's file
     * @param sort      the order: {@code count}, {@code shallow} or {@code retained}
     * @param filter    the regular expression names had to contain a match of, or null
     * @param rows      the rows shown (after {@code --top})
     * @param classes   how many classes passed the filter
     * @param instances their instances, all together
     * @param bytes     their shallow bytes, all together
     * @param retained  retained bytes per class name, when sorted by them; else null
     */
    record Histogram(Path dump, String sort, String filter, List<dev.refkit.heap.Histogram.Entry> rows, int classes,
                     long instances, long bytes, Map<String, Long> retained) {
    }

    static String of(Histogram report) {
        JsonReport w = new JsonReport("histogram");
        w.key("dump").append("{");
        w.field("file", report.dump().toString()).json.append("},\n  ");
        w.field("sort", report.sort()).comma().field("filter", report.filter()).comma().key("totals").append("{");
        w.field("classes", report.classes()).comma().field("instances", report.instances()).comma()
                .field("shallowBytes", report.bytes()).json.append("},\n  \"classes\": [");
        for (int i = 0; i < report.rows().size(); i++) {
            dev.refkit.heap.Histogram.Entry e = report.rows().get(i);
            w.json.append(i == 0 ? "\n    {" : ",\n    {");
            w.field("class", e.className()).comma().field("instances", e.instances()).comma().field("shallowBytes", e.shallowBytes());
            if (report.retained() != null) {
                w.comma().field("retainedBytes", report.retained().getOrDefault(e.className(), 0L));
            }
            w.json.append("}");
        }
        w.json.append("]\n}\n");
        return w.json.toString();
    }

    /**
     * What {@code refkit paths} printed: the merged paths, grouped as the text groups them ({@link PathGroup}).
     *
     * @param dump        the dump's file
     * @param classes     the classes whose instances were asked about (empty for one object)
     * @param object      the id of the object asked about, or null
     * @param includeWeak whether non-strong references were followed
     * @param tree        the merged paths
     * @param ids         the dump's id of an object, by index
     */
    record Paths(Path dump, List<String> classes, String object, boolean includeWeak, PathTree tree, IntFunction<String> ids) {
    }

    static String of(Paths report) {
        JsonReport w = new JsonReport("paths");
        w.key("dump").append("{");
        w.field("file", report.dump().toString()).json.append("},\n  ");
        w.key("classes").append("[");
        for (int i = 0; i < report.classes().size(); i++) {
            w.json.append(i == 0 ? "" : ", ");
            w.string(report.classes().get(i));
        }
        w.json.append("], ");
        w.field("object", report.object()).comma().field("includeWeak", report.includeWeak()).comma()
                .field("reached", report.tree().reached()).comma().field("unreached", report.tree().unreached()).comma();
        w.key("roots");
        w.groups(PathGroup.roots(report.tree()), report.ids());
        w.json.append("\n}\n");
        return w.json.toString();
    }

    /** The groups and their children, depth first, with an explicit stack: no depth of tree overflows the thread's. */
    private void groups(List<PathGroup> roots, IntFunction<String> ids) {
        record Item(PathGroup group, boolean first, int depth) {
        }
        java.util.Deque<Item> stack = new java.util.ArrayDeque<>();
        json.append("[");
        if (roots.isEmpty()) {
            json.append("]");
            return;
        }
        stack.push(new Item(null, false, 0)); // closes the top-level array
        for (int i = roots.size() - 1; i >= 0; i--) {
            stack.push(new Item(roots.get(i), i == 0, 1));
        }
        while (!stack.isEmpty()) {
            Item item = stack.pop();
            if (item.group() == null) {
                json.append(item.depth() == 0 ? "]" : "]}");
                continue;
            }
            PathGroup g = item.group();
            json.append(item.first() ? "" : ",").append('\n').append("  ".repeat(item.depth() + 1)).append('{');
            field("reference", g.reference()).comma().field("type", g.type()).comma().field("count", g.count()).comma()
                    .field("objects", g.members().size()).comma().field("id", g.object() < 0 ? null : ids.apply(g.object())).comma()
                    .field("target", g.isTarget()).comma().field("chain", g.run()).comma().key("children").append("[");
            List<PathGroup> children = g.children();
            stack.push(new Item(null, false, item.depth()));
            for (int i = children.size() - 1; i >= 0; i--) {
                stack.push(new Item(children.get(i), i == 0, item.depth() + 1));
            }
        }
    }

    private void classChanges(List<HeapGrowth.ClassChange> changes) {
        json.append("[");
        for (int i = 0; i < changes.size(); i++) {
            HeapGrowth.ClassChange c = changes.get(i);
            json.append(i == 0 ? "\n    {" : ",\n    {");
            field("class", c.className()).comma().numbers("instances", c.instances()).comma()
                    .numbers("shallowBytes", c.shallowBytes()).comma().numbers("retainedBytes", c.retainedBytes());
            json.append("}");
        }
        json.append("]");
    }

    private JsonReport numbers(String name, List<Long> values) {
        key(name).append("[");
        for (int i = 0; i < values.size(); i++) {
            json.append(i == 0 ? "" : ", ").append(values.get(i));
        }
        json.append("]");
        return this;
    }

    private void suspect(LeakSuspect s, IntFunction<String> ids) {
        json.append("{");
        field("kind", s.kind().name()).comma().field("summary", s.summary()).comma()
                .field("fingerprint", s.fingerprint()).comma().field("retainedBytes", s.retainedBytes()).comma()
                .field("heapShare", s.heapShare()).comma().field("instances", s.instances()).comma();
        LeakSuspect.Owner owner = s.owner();
        key("owner").append("{");
        field("type", owner.type().name()).comma().field("description", owner.description()).comma()
                .field("class", owner.className()).comma().field("field", owner.field()).comma()
                .field("frame", owner.frame()).comma().field("context", owner.context()).comma();
        key("threads").append("[");
        for (int t = 0; t < owner.threads().size(); t++) {
            json.append(t == 0 ? "" : ", ");
            string(owner.threads().get(t));
        }
        json.append("]}, ");
        LeakSuspect.Container container = s.container();
        key("container").append("{");
        field("id", ids.apply(container.object())).comma().field("type", container.type()).comma()
                .field("description", container.description()).comma()
                .field("retainedBytes", container.retainedBytes()).json.append("}, ");
        key("accumulated").append("[");
        for (int a = 0; a < s.accumulated().size(); a++) {
            LeakSuspect.Accumulated acc = s.accumulated().get(a);
            json.append(a == 0 ? "{" : ", {");
            field("class", acc.className()).comma().field("count", acc.count()).comma()
                    .field("retainedBytes", acc.retainedBytes()).comma().field("via", acc.via()).json.append("}");
        }
        json.append("], ");
        field("ownerStep", s.ownerStep()).comma().field("containerStep", s.containerStep()).comma();
        key("path").append("[");
        GcRootPath path = s.path();
        json.append("{");
        field("root", path.root().toString()).comma().field("id", ids.apply(path.root().object())).comma()
                .field("kind", path.root().kind()).comma()
                .field("thread", path.root().thread()).comma().field("frame", path.root().frame()).comma()
                .field("type", path.root().objectType()).json.append("}");
        for (GcRootPath.Step step : path.steps()) {
            json.append(", {");
            field("reference", step.referenceText()).comma().field("id", ids.apply(step.object())).comma()
                    .field("type", step.objectType()).comma()
                    .field("strength", step.strength().name()).json.append("}");
        }
        json.append("], ");
        key("pathText").append("[");
        List<String> lines = s.pathLines();
        for (int l = 0; l < lines.size(); l++) {
            json.append(l == 0 ? "" : ", ");
            string(lines.get(l));
        }
        json.append("], ");
        field("hint", s.hint()).json.append("}");
    }

    private JsonReport comma() {
        json.append(", ");
        return this;
    }

    private StringBuilder key(String name) {
        return string(name).append(": ");
    }

    private JsonReport field(String name, String value) {
        key(name);
        if (value == null) {
            json.append("null");
        } else {
            string(value);
        }
        return this;
    }

    private JsonReport field(String name, long value) {
        key(name).append(value);
        return this;
    }

    private JsonReport field(String name, double value) {
        key(name).append(Double.isFinite(value) ? String.format(Locale.ROOT, "%.4f", value) : "null");
        return this;
    }

    private JsonReport field(String name, boolean value) {
        key(name).append(value);
        return this;
    }

    private StringBuilder string(String s) {
        Json.quote(json, s);
        return json;
    }
}
