package dev.refkit.cli.explorer;

import dev.refkit.cli.Json;
import dev.refkit.heap.DumpInfo;
import dev.refkit.heap.GcRoot;
import dev.refkit.heap.GcRootKind;
import dev.refkit.heap.HeapClass;
import dev.refkit.heap.HeapDump;
import dev.refkit.heap.HeapGraph;
import dev.refkit.heap.Histogram;
import dev.refkit.heap.ObjectRef;
import dev.refkit.heap.ReferenceKind;
import dev.refkit.heap.analysis.DominatorTree;
import dev.refkit.heap.analysis.GcRootPath;
import dev.refkit.heap.analysis.HeapAnalysis;
import dev.refkit.heap.analysis.HeapGrowth;
import dev.refkit.heap.analysis.LeakSuspect;
import dev.refkit.heap.analysis.PathOptions;
import dev.refkit.heap.analysis.Reachability;
import dev.refkit.heap.analysis.ReachabilityCensus;
import dev.refkit.heap.index.IntArray;
import dev.refkit.heap.index.LongArray;
import dev.refkit.heap.index.Storage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The explorer's answers: each a small JSON page over one dump's analysis, computed once when the server starts
 * (census, dominators, leak suspects, retained sizes per class) or on first use and kept (the reverse references,
 * the threads, a class's instances), so that every request reads results and pages through them.
 */
final class ExplorerData {

    static final int MAX_PAGE = 500;
    static final int DEFAULT_PAGE = 100;
    private static final int TEXT = 400;

    private final HeapDump dump;
    private final HeapGraph graph;
    private final HeapAnalysis analysis;
    private final ReachabilityCensus census;
    private final DominatorTree dominators;
    private final List<LeakSuspect> suspects;
    private final Map<String, Long> retainedByClass = new HashMap<>();
    private final HeapGrowth growth;
    private LongArray incomingFirst;
    private IntArray incomingSources;
    private final Map<String, int[]> instances = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, int[]> eldest) {
            return size() > 8;
        }
    };
    private String threads;
    /** The overview never changes: made once, when the server starts. */
    private String overview;
    /** The children beyond the first page of recently asked nodes, grouped by class. */
    private final Map<String, String> rests = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > 64;
        }
    };

    ExplorerData(HeapDump dump, HeapAnalysis analysis, HeapGrowth growth) {
        this.dump = dump;
        this.graph = dump.graph();
        this.analysis = analysis;
        this.census = analysis.reachability();
        this.dominators = analysis.dominators();
        this.suspects = analysis.leakSuspects();
        for (DominatorTree.ClassRetained c : dominators.retainedByClass()) {
            retainedByClass.merge(c.className(), c.retainedBytes(), Long::sum);
        }
        this.growth = growth;
        incoming(0); // built now: every request should read, not build
        overview = overview();
    }

    synchronized String answer(String route, Map<String, String> query) {
        return switch (route) {
            case "overview" -> overview == null ? overview = overview() : overview;
            case "dominators" -> dominators(query);
            case "histogram" -> histogram(query);
            case "instances" -> instances(query);
            case "object" -> object(object(query));
            case "refs" -> refs(object(query), query);
            case "paths" -> paths(object(query), "true".equals(query.get("weak")));
            case "threads" -> threads();
            case "diff" -> diff();
            default -> throw new IllegalArgumentException("no such question: " + route);
        };
    }

    // ---- objects as the page names them ----

    private String id(int object) {
        return "0x" + Long.toHexString(graph.objectId(object));
    }

    private String type(int object) {
        HeapClass represented = graph.asClass(object);
        return represented != null ? "class " + represented.name() : graph.classOf(object).name();
    }

    private int object(Map<String, String> query) {
        String id = query.getOrDefault("id", "");
        if (!id.matches("0[xX][0-9a-fA-F]{1,16}")) {
            throw new IllegalArgumentException("id must be an object id such as 0x7f3a10, not '" + shorten(id) + "'");
        }
        int object = graph.objectIndex(Long.parseUnsignedLong(id.substring(2), 16));
        if (object < 0) {
            throw new IllegalArgumentException("the dump has no object " + shorten(id));
        }
        return object;
    }

    private static String shorten(String text) {
        return text.length() > 40 ? text.substring(0, 40) + "…" : text;
    }

    private void ref(Json json, int object) {
        json.object().field("id", id(object)).field("type", type(object)).field("shallow", graph.shallowSize(object))
                .field("retained", dominators.retainedSize(object)).end();
    }

    private static int number(Map<String, String> query, String name, int fallback, int max) {
        String text = query.get(name);
        if (text == null || text.isEmpty()) {
            return fallback;
        }
        try {
            return Math.max(0, Math.min(max, Integer.parseInt(text)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, not '" + shorten(text) + "'");
        }
    }

    // ---- the views ----

    private String overview() {
        DumpInfo info = dump.info();
        Json json = new Json().object();
        json.key("dump").object().field("file", info.file().getFileName().toString()).field("format", info.formatVersion())
                .field("objects", info.objectCount()).field("classes", info.classCount())
                .field("gcRoots", info.gcRootCount()).field("heapBytes", census.totalShallowBytes())
                .field("reachableBytes", dominators.reachableBytes()).key("growth").value(growth != null).end();
        json.key("census").object().field("summary", census.summary()).key("rows").array();
        for (Reachability r : Reachability.values()) {
            json.object().field("reachability", r.name().toLowerCase(java.util.Locale.ROOT)).field("objects", census.count(r))
                    .field("bytes", census.shallowBytes(r)).end();
        }
        json.end().end();
        json.key("topClasses").array();
        for (DominatorTree.ClassRetained c : dominators.retainedByClass().subList(0,
                Math.min(10, dominators.retainedByClass().size()))) {
            json.object().field("class", c.className()).field("instances", c.instances()).field("shallow", c.shallowBytes())
                    .field("retained", c.retainedBytes()).end();
        }
        json.end().key("topRetainers").array();
        for (DominatorTree.Retainer r : dominators.topRetainers(10)) {
            ref(json, r.object());
        }
        json.end().key("suspects").array();
        for (LeakSuspect s : suspects) {
            json.object().field("kind", s.kind().name()).field("summary", s.summary())
                    .field("owner", s.owner().description()).field("context", s.owner().context())
                    .key("container").object().field("id", id(s.container().object())).field("type", s.container().type())
                    .field("description", s.container().description()).end()
                    .field("hint", s.hint()).field("fingerprint", s.fingerprint()).field("retained", s.retainedBytes())
                    .key("share").value(s.heapShare());
            json.key("accumulated").array();
            for (LeakSuspect.Accumulated a : s.accumulated()) {
                json.object().field("class", a.className()).field("count", a.count()).field("retained", a.retainedBytes())
                        .field("via", a.via()).end();
            }
            json.end();
            path(json, s.path(), s.ownerStep(), s.containerStep());
            json.end();
        }
        return json.end().end().toString();
    }

    private void path(Json json, GcRootPath path, int ownerStep, int containerStep) {
        json.key("path").array();
        json.object().field("id", id(path.root().object())).field("type", path.root().objectType())
                .field("reference", path.root().toString()).field("role", ownerStep < 0 ? "owner" : "context").end();
        List<GcRootPath.Step> steps = path.steps();
        for (int i = 0; i < steps.size(); i++) {
            GcRootPath.Step step = steps.get(i);
            String role = i < ownerStep ? "context" : i == ownerStep ? "owner" : i == containerStep ? "container"
                    : i == steps.size() - 1 ? "element" : "";
            json.object().field("id", id(step.object())).field("type", step.objectType())
                    .field("reference", step.referenceText()).field("role", role).end();
        }
        json.end();
    }

    /** The children of a dominator-tree node, largest first, a page of them; the rest grouped by class. */
    private String dominators(Map<String, String> query) {
        String of = query.getOrDefault("of", "root");
        int[] children;
        Json json = new Json().object();
        if (of.equals("root")) {
            children = dominators.topLevel();
            json.key("node").value((String) null);
        } else {
            int object = object(Map.of("id", of));
            children = dominators.children(object);
            json.key("node");
            ref(json, object);
        }
        int offset = number(query, "offset", 0, Integer.MAX_VALUE);
        int limit = number(query, "limit", DEFAULT_PAGE, MAX_PAGE);
        long total = dominators.reachableBytes();
        json.field("reachableBytes", total).field("children", children.length).field("offset", offset).key("rows").array();
        for (int i = offset; i < Math.min(children.length, offset + limit); i++) {
            ref(json, children[i]);
        }
        json.end();
        int from = Math.min(children.length, offset + limit);
        String rest = rests.computeIfAbsent(of + "@" + from, k -> rest(children, from));
        return json.key("rest").raw(rest).end().toString();
    }

    /** The children from {@code from} on grouped by class, the 20 that retain most (counted over 200,000 at most). */
    private String rest(int[] children, int from) {
        Map<Integer, long[]> byClass = new HashMap<>();
        int end = Math.min(children.length, from + 200_000);
        for (int i = from; i < end; i++) {
            int child = children[i];
            int key = graph.asClass(child) != null ? -1 - child : graph.classOf(child).index();
            long[] totals = byClass.computeIfAbsent(key, k -> new long[] {0, 0, child});
            totals[0]++;
            totals[1] += dominators.retainedSize(child);
        }
        Json json = new Json().array();
        byClass.values().stream().sorted(Comparator.comparingLong((long[] t) -> -t[1])).limit(20)
                .forEach(t -> json.object().field("class", type((int) t[2])).field("count", t[0]).field("retained", t[1])
                        .key("counted").value(end == children.length ? "all" : "the first 200,000").end());
        return json.end().toString();
    }

    private String histogram(Map<String, String> query) {
        String filter = query.getOrDefault("filter", "");
        Pattern pattern;
        try {
            pattern = Pattern.compile(filter, Pattern.CASE_INSENSITIVE);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("the filter is not a regular expression: " + e.getDescription());
        }
        String group = query.getOrDefault("group", "class");
        Map<String, long[]> rows = new LinkedHashMap<>();
        for (Histogram.Entry e : dump.histogram().entries()) {
            if (!pattern.matcher(e.className()).find()) {
                continue;
            }
            String key = switch (group) {
                case "package" -> packageOf(e.className());
                case "loader" -> loaderOf(e.heapClass());
                case "class" -> e.className();
                default -> throw new IllegalArgumentException("group by class, package or loader, not " + shorten(group));
            };
            long[] totals = rows.computeIfAbsent(key, k -> new long[4]);
            totals[0] += e.instances();
            totals[1] += e.shallowBytes();
            totals[2] += retainedByClass.getOrDefault(e.className(), 0L);
            totals[3]++;
        }
        String sort = query.getOrDefault("sort", "retained");
        int column = switch (sort) {
            case "count" -> 0;
            case "shallow" -> 1;
            case "retained" -> 2;
            default -> throw new IllegalArgumentException("sort by count, shallow or retained, not " + shorten(sort));
        };
        List<Map.Entry<String, long[]>> sorted = new ArrayList<>(rows.entrySet());
        sorted.sort(Comparator.comparingLong((Map.Entry<String, long[]> e) -> -e.getValue()[column])
                .thenComparing(Map.Entry::getKey));
        int offset = number(query, "offset", 0, Integer.MAX_VALUE);
        int limit = number(query, "limit", DEFAULT_PAGE, MAX_PAGE);
        Json json = new Json().object().field("group", group).field("total", sorted.size()).field("offset", offset)
                .key("rows").array();
        for (Map.Entry<String, long[]> e : sorted.subList(Math.min(offset, sorted.size()), Math.min(sorted.size(), offset + limit))) {
            json.object().field("name", e.getKey()).field("instances", e.getValue()[0]).field("shallow", e.getValue()[1])
                    .field("retained", e.getValue()[2]).field("classes", e.getValue()[3]).end();
        }
        return json.end().end().toString();
    }

    private static String packageOf(String className) {
        int dot = className.lastIndexOf('.');
        return dot < 0 ? "(default package)" : className.substring(0, dot);
    }

    private String loaderOf(HeapClass c) {
        int loader = c.classLoader();
        if (loader < 0) {
            return "the boot loader";
        }
        String name = graph.classOf(loader).name();
        Object named;
        try {
            named = graph.fieldValue(loader, "name");
        } catch (IllegalArgumentException noName) {
            named = null;
        }
        String text = named instanceof ObjectRef ref && ref.object() >= 0 ? graph.stringValue(ref.object(), 80) : null;
        return (text == null ? name : text + " (" + name + ")") + " " + id(loader);
    }

    /** A class's instances, most retained first (the list is made once per class, for a few classes). */
    private String instances(Map<String, String> query) {
        String name = HeapClass.javaName(query.getOrDefault("class", ""));
        HeapClass c = graph.findClass(name);
        if (c == null) {
            throw new IllegalArgumentException("the dump has no class named " + shorten(name));
        }
        int[] list = instances.computeIfAbsent(name, k -> {
            int count = 0;
            int[] found = new int[16];
            for (int o = 0, n = graph.objectCount(); o < n; o++) {
                if (graph.classOf(o) == c && graph.asClass(o) == null) {
                    if (count == found.length) {
                        found = Arrays.copyOf(found, count * 2);
                    }
                    found[count++] = o;
                }
            }
            if (count >= 1 << 27) {
                return Arrays.copyOf(found, count); // too many to rank by one packed key: index order
            }
            // most retained first, without boxing: (retained, capped at 64 GiB) above the position, sorted as longs
            long[] keys = new long[count];
            for (int i = 0; i < count; i++) {
                keys[i] = (Math.min(dominators.retainedSize(found[i]), (1L << 36) - 1) << 27) | i;
            }
            Arrays.sort(keys);
            int[] sorted = new int[count];
            for (int i = 0; i < count; i++) {
                sorted[i] = found[(int) (keys[count - 1 - i] & ((1 << 27) - 1))];
            }
            return sorted;
        });
        int offset = number(query, "offset", 0, Integer.MAX_VALUE);
        int limit = number(query, "limit", DEFAULT_PAGE, MAX_PAGE);
        Json json = new Json().object().field("class", c.name()).field("total", list.length).field("offset", offset)
                .key("rows").array();
        for (int i = offset; i < Math.min(list.length, offset + limit); i++) {
            ref(json, list[i]);
        }
        return json.end().end().toString();
    }

    private String object(int object) {
        Json json = new Json().object();
        json.field("id", id(object)).field("type", type(object)).field("shallow", graph.shallowSize(object))
                .field("retained", dominators.retainedSize(object))
                .field("reachability", census.reachability(object).name().toLowerCase(java.util.Locale.ROOT));
        HeapClass cls = graph.classOf(object);
        json.key("classObject").value(cls.objectIndex() >= 0 ? id(cls.objectIndex()) : null);
        String text = graph.stringValue(object, TEXT);
        json.key("text").value(text);
        json.key("length").value(graph.isArray(object) ? graph.arrayLength(object) : -1);
        json.key("preview").value(graph.isArray(object) ? graph.primitiveArrayPreview(object, 32) : null);
        json.key("fields").array();
        HeapClass represented = graph.asClass(object);
        if (represented != null) {
            for (HeapClass.Field f : represented.staticFields()) {
                field(json, "static " + f.name(), graph.staticFieldValue(represented, f.name()));
            }
        } else if (!graph.isArray(object)) {
            for (HeapClass k = cls; k != null; k = k.superClass()) {
                for (HeapClass.Field f : k.fields()) {
                    field(json, f.name(), safeValue(object, f.name()));
                }
            }
        }
        json.end();
        json.key("dominators").array();
        int current = object;
        for (int i = 0; i < 200; i++) {
            int up = dominators.immediateDominator(current);
            if (up < 0) {
                break;
            }
            ref(json, up);
            current = up;
        }
        json.end();
        json.field("outgoing", graph.firstReference(object + 1) - graph.firstReference(object));
        json.field("incoming", incomingFirst.get(object + 1) - incomingFirst.get(object));
        return json.end().toString();
    }

    private Object safeValue(int object, String name) {
        try {
            return graph.fieldValue(object, name);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private void field(Json json, String name, Object value) {
        json.object().field("name", name);
        if (value instanceof ObjectRef ref) {
            if (ref.object() >= 0) {
                json.field("ref", id(ref.object())).field("type", type(ref.object()));
                String text = graph.stringValue(ref.object(), TEXT);
                json.key("text").value(text);
            } else {
                json.field("value", "0x" + Long.toHexString(ref.id()) + " (not in the dump)");
            }
        } else {
            json.field("value", String.valueOf(value));
        }
        json.end();
    }

    /** An object's references, out of it (named) or into it, a page at a time. */
    private String refs(int object, Map<String, String> query) {
        boolean out = !"in".equals(query.get("dir"));
        int offset = number(query, "offset", 0, Integer.MAX_VALUE);
        int limit = number(query, "limit", DEFAULT_PAGE, MAX_PAGE);
        Json json = new Json().object().field("id", id(object)).field("dir", out ? "out" : "in").field("offset", offset);
        if (out) {
            long first = graph.firstReference(object);
            int count = (int) (graph.firstReference(object + 1) - first);
            String[] names = count <= offset ? new String[0] : graph.referenceNames(object);
            json.field("total", count).key("rows").array();
            for (int i = offset; i < Math.min(count, offset + limit); i++) {
                int target = graph.referenceTarget(first + i);
                json.object().field("name", names[i]).field("strength", strength(graph.referenceKind(first + i)))
                        .key("object");
                ref(json, target);
                json.end();
            }
        } else {
            long first = incomingFirst.get(object);
            int count = (int) Math.min(Integer.MAX_VALUE, incomingFirst.get(object + 1) - first);
            json.field("total", count).key("rows").array();
            Map<Integer, String[]> namesOf = new HashMap<>();
            for (int i = offset; i < Math.min(count, offset + limit); i++) {
                int source = incomingSources.get(first + i);
                String name = "?";
                for (long e = graph.firstReference(source), end = graph.firstReference(source + 1); e < end; e++) {
                    if (graph.referenceTarget(e) == object) {
                        // a holder's names are read in one pass over its record, once per page
                        name = namesOf.computeIfAbsent(source, graph::referenceNames)
                                [(int) (e - graph.firstReference(source))];
                        break;
                    }
                }
                json.object().field("name", name).key("object");
                ref(json, source);
                json.end();
            }
        }
        return json.end().end().toString();
    }

    private static String strength(ReferenceKind kind) {
        return switch (kind) {
            case SOFT_REFERENT -> "soft";
            case WEAK_REFERENT -> "weak";
            case FINALIZER_REFERENT -> "finalizer";
            case PHANTOM_REFERENT -> "phantom";
            default -> "strong";
        };
    }

    /** The reverse references in CSR form, built once: every object's holders. */
    private void incoming(int ignored) {
        int n = graph.objectCount();
        Storage storage = graph.storage();
        LongArray first = storage.longs(n + 1L);
        long edges = graph.firstReference(n);
        for (long e = 0; e < edges; e++) {
            first.add(graph.referenceTarget(e) + 1L, 1);
        }
        for (int o = 0; o < n; o++) {
            first.add(o + 1L, first.get(o));
        }
        IntArray sources = storage.ints(edges);
        LongArray fill = storage.longs(n);
        LongArray.copy(first, 0, fill, 0, n);
        for (int source = 0; source < n; source++) {
            for (long e = graph.firstReference(source), end = graph.firstReference(source + 1); e < end; e++) {
                sources.set(fill.add(graph.referenceTarget(e), 1) - 1, source);
            }
        }
        Storage.free(fill);
        incomingFirst = first;
        incomingSources = sources;
    }

    /**
     * The shortest path to one object (strong, or through any reference), steps of one reference through objects of
     * one class folded into one with its run: no per-request work in the size of the heap.
     */
    private String paths(int object, boolean weak) {
        List<GcRootPath> found = analysis.pathsToGcRoots(object,
                weak ? PathOptions.includingNonStrong() : PathOptions.excludingNonStrong());
        Json json = new Json().object().field("id", id(object)).key("weak").value(weak)
                .field("reached", found.isEmpty() ? 0 : 1).key("steps").array();
        if (!found.isEmpty()) {
            GcRootPath path = found.get(0);
            json.object().field("id", id(path.root().object())).field("type", path.root().objectType())
                    .field("reference", path.root().toString()).field("run", 1).end();
            List<GcRootPath.Step> steps = path.steps();
            for (int i = 0; i < steps.size(); ) {
                GcRootPath.Step step = steps.get(i);
                String kind = step.reference().startsWith("[") ? "[*]" : step.reference();
                int run = 1;
                while (i + run < steps.size() - 1 && steps.get(i + run).objectType().equals(step.objectType())
                        && steps.get(i + run).holderType().equals(step.holderType())
                        && (steps.get(i + run).reference().startsWith("[") ? "[*]" : steps.get(i + run).reference()).equals(kind)) {
                    run++;
                }
                json.object().field("id", id(step.object())).field("type", step.objectType())
                        .field("reference", step.referenceText()).field("strength", step.strength().name().toLowerCase(java.util.Locale.ROOT))
                        .field("run", run).end();
                i += run;
            }
        }
        return json.end().end().toString();
    }

    /** Every thread, with its frames and the objects each frame's locals hold. */
    private String threads() {
        if (threads != null) {
            return threads;
        }
        Map<Integer, Map<Integer, List<Integer>>> frames = new LinkedHashMap<>();
        Map<Integer, Map<Integer, String>> frameText = new HashMap<>();
        List<Integer> threadObjects = new ArrayList<>();
        for (int r = 0, roots = graph.gcRootCount(); r < roots; r++) {
            GcRoot root = graph.gcRoot(r);
            if (root.kind() == GcRootKind.THREAD_OBJECT && root.object() >= 0) {
                threadObjects.add(root.object());
                frames.computeIfAbsent(root.object(), t -> new java.util.TreeMap<>());
            } else if (root.thread() >= 0 && root.frameDepth() >= 0) {
                frames.computeIfAbsent(root.thread(), t -> new java.util.TreeMap<>())
                        .computeIfAbsent(root.frameDepth(), d -> new ArrayList<>()).add(root.object());
                if (root.frame() != null) {
                    frameText.computeIfAbsent(root.thread(), t -> new HashMap<>()).put(root.frameDepth(),
                            root.frame().toString());
                }
            }
        }
        Json json = new Json().object().key("threads").array();
        for (Map.Entry<Integer, Map<Integer, List<Integer>>> thread : frames.entrySet()) {
            int t = thread.getKey();
            Object nameField = safeValue(t, "name");
            String name = nameField instanceof ObjectRef ref && ref.object() >= 0 ? graph.stringValue(ref.object(), 200) : null;
            json.object().field("id", id(t)).field("name", name).field("retained", dominators.retainedSize(t))
                    .key("frames").array();
            for (Map.Entry<Integer, List<Integer>> frame : thread.getValue().entrySet()) {
                json.object().field("depth", frame.getKey())
                        .field("frame", frameText.getOrDefault(t, Map.of()).getOrDefault(frame.getKey(), "?"))
                        .key("locals").array();
                for (int local : frame.getValue()) {
                    ref(json, local);
                }
                json.end().end();
            }
            json.end().end();
        }
        threads = json.end().end().toString();
        return threads;
    }

    private String diff() {
        Json json = new Json().object();
        if (growth == null) {
            return json.key("growing").value((String) null).end().toString();
        }
        json.field("dumps", growth.dumps()).key("growing").array();
        for (HeapGrowth.GrowingPath p : growth.growing()) {
            json.object().field("owner", p.owner()).field("container", p.container()).field("elementClass", p.elementClass())
                    .field("via", p.via()).field("fingerprint", p.fingerprint()).field("bytesPerStep", p.bytesPerStep())
                    .key("counts").array();
            p.counts().forEach(json::value);
            json.end().key("bytes").array();
            p.bytes().forEach(json::value);
            json.end().key("path").array();
            p.path().forEach(json::value);
            json.end().end();
        }
        return json.end().end().toString();
    }
}
