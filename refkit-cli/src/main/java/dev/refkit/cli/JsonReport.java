package dev.refkit.cli;

import dev.refkit.heap.DumpInfo;
import dev.refkit.heap.analysis.DominatorTree;
import dev.refkit.heap.analysis.GcRootPath;
import dev.refkit.heap.analysis.HeapGrowth;
import dev.refkit.heap.analysis.LeakSuspect;
import java.util.List;
import java.util.Locale;

/** The analysis as one JSON document; names are stable for scripts that read it. */
final class JsonReport {

    private final StringBuilder json = new StringBuilder();

    private JsonReport() {
    }

    static String of(AnalysisReport report) {
        JsonReport w = new JsonReport();
        DumpInfo info = report.info();
        w.json.append("{\n  \"dump\": {");
        w.field("file", info.file().toString()).comma().field("format", info.formatVersion()).comma()
                .field("idSize", info.idSize()).comma().field("timestamp", info.timestamp()).comma()
                .field("vmLayout", info.vmLayout()).comma().field("compressedReferences", info.compressedReferences()).comma()
                .field("objects", info.objectCount()).comma().field("classes", info.classCount()).comma()
                .field("gcRoots", info.gcRootCount()).comma().field("references", info.referenceCount()).comma()
                .field("danglingReferences", info.danglingReferences()).comma().field("heapBytes", report.heapBytes()).comma()
                .field("stronglyReachableBytes", report.reachableBytes()).comma()
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
            w.field("object", r.object()).comma().field("type", r.objectType()).comma()
                    .field("shallowBytes", r.shallowSize()).comma().field("retainedBytes", r.retainedSize()).json.append("}");
        }
        w.json.append("],\n  \"suspects\": [");
        List<LeakSuspect> suspects = report.suspects();
        for (int i = 0; i < suspects.size(); i++) {
            w.json.append(i == 0 ? "\n    " : ",\n    ");
            w.suspect(suspects.get(i));
        }
        w.json.append("]\n}\n");
        return w.json.toString();
    }

    static String of(DiffCommand.DiffReport report) {
        JsonReport w = new JsonReport();
        w.json.append("{\n  \"dumps\": [");
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

    private void suspect(LeakSuspect s) {
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
        field("object", container.object()).comma().field("type", container.type()).comma()
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
        field("root", path.root().toString()).comma().field("kind", path.root().kind()).comma()
                .field("thread", path.root().thread()).comma().field("frame", path.root().frame()).comma()
                .field("type", path.root().objectType()).json.append("}");
        for (GcRootPath.Step step : path.steps()) {
            json.append(", {");
            field("reference", step.referenceText()).comma().field("type", step.objectType()).comma()
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
