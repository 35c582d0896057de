package dev.refkit.heap.analysis;

import dev.refkit.heap.HeapDump;
import dev.refkit.heap.HeapGraph;
import dev.refkit.heap.ProgressListener;
import java.util.List;
import java.util.Objects;

/**
 * The analyses of one heap: reachability by the rule, paths from GC roots, dominators and retained sizes,
 * leak suspects. Each is computed on first use and kept; results are data, nothing is printed.
 *
 * <p>Memory: the census keeps one byte per object; the dominator tree two {@code int}s and a {@code long} per
 * object, and four {@code int}s more once its child lists are built (by the leak suspects); each kind of path
 * search an {@code int} per object. All of them come from the dump's {@link dev.refkit.heap.index.Storage}
 * (the package notes of {@code dev.refkit.heap.index} list them). Computing the dominator tree
 * needs, for a while, about nine {@code int}s per reachable object plus one per strong reference.
 *
 * <p>Instances are safe to share between threads: the lazily computed results are published under the
 * instance's lock.
 *
 * <p><b>Warning:</b> the analyses read shallow sizes and reference names from the dump on demand, so the
 * {@link HeapDump} must stay open while they run and while paths are asked for.
 *
 * <pre>{@code
 * try (HeapDump dump = HeapDump.open(path)) {
 *     HeapAnalysis analysis = HeapAnalysis.of(dump);
 *     String line = analysis.reachability().summary();
 *     List<GcRootPath> why = analysis.pathsToGcRoots(object, PathOptions.excludingNonStrong());
 *     List<DominatorTree.Retainer> top = analysis.dominators().topRetainers(20);
 *     List<LeakSuspect> suspects = analysis.leakSuspects();
 * }
 * }</pre>
 */
public final class HeapAnalysis {

    private final ObjectGraph graph;
    private final ProgressListener progress;
    private ReachabilityCensus census;
    private DominatorTree dominators;
    private ShortestPaths strongPaths;
    private ShortestPaths allPaths;
    private List<LeakSuspect> suspects;

    HeapAnalysis(ObjectGraph graph) {
        this(graph, ProgressListener.NONE);
    }

    HeapAnalysis(ObjectGraph graph, ProgressListener progress) {
        this.graph = Objects.requireNonNull(graph, "graph");
        this.progress = Objects.requireNonNull(progress, "progress");
    }

    /** The graph the analyses read. */
    ObjectGraph graph() {
        return graph;
    }

    /**
     * The analyses of an open dump's heap graph.
     *
     * @param dump an open dump
     * @return its analyses, computed when first asked for
     */
    public static HeapAnalysis of(HeapDump dump) {
        return of(Objects.requireNonNull(dump, "dump").graph());
    }

    /**
     * The analyses of an open dump's heap graph, telling {@code progress} how far each long phase has come while
     * it runs: {@code "reachability"}, {@code "dominators"}, {@code "shortest paths"} and
     * {@code "paths (all kinds)"}, in units of objects visited per pass, and {@code "leak suspects"}, from 0 to 1.
     *
     * @param dump     an open dump
     * @param progress told of each phase while it runs, on the thread that asked for the result
     * @return its analyses, computed when first asked for
     */
    public static HeapAnalysis of(HeapDump dump, ProgressListener progress) {
        return new HeapAnalysis(new HeapGraphView(Objects.requireNonNull(dump, "dump").graph()), progress);
    }

    /**
     * The analyses of a heap graph whose dump is open.
     *
     * @param graph the graph of an open dump
     * @return its analyses, computed when first asked for
     */
    public static HeapAnalysis of(HeapGraph graph) {
        return new HeapAnalysis(new HeapGraphView(Objects.requireNonNull(graph, "graph")));
    }

    /** {@return every object's reachability and the totals per reachability and per class} */
    public synchronized ReachabilityCensus reachability() {
        if (census == null) {
            census = ReachabilityCensus.of(graph, progress);
        }
        return census;
    }

    /**
     * The shortest path(s) from GC roots to the object; empty when it has none under the options (with the
     * default options: when it is not strongly reachable).
     *
     * @param object the object's index in the heap graph
     * @param options which references to follow, how many paths
     * @return the paths, shortest first
     */
    public List<GcRootPath> pathsToGcRoots(int object, PathOptions options) {
        Objects.checkIndex(object, graph.objectCount());
        return paths(options).pathsTo(object, options.maxPaths());
    }

    /**
     * The shortest paths to all the given objects, merged where they pass through the same object.
     *
     * @param objects the objects' indexes in the heap graph
     * @param options which references to follow
     * @return the merged paths
     */
    public PathTree mergedPathsToGcRoots(int[] objects, PathOptions options) {
        for (int object : objects) {
            Objects.checkIndex(object, graph.objectCount());
        }
        return paths(options).mergedPaths(objects);
    }

    /**
     * The shortest paths to all instances of the named class (exactly that class, not its subclasses),
     * merged; an empty tree when the dump has no such instances. The name may be spelled as Java writes it or as
     * the VM does ({@code app.Feed$$Lambda$57/0x…} or {@code app.Feed$$Lambda$57+0x…}).
     *
     * @param className the class, as Java or the VM spells it
     * @param options which references to follow
     * @return the merged paths
     */
    public PathTree mergedPathsToGcRoots(String className, PathOptions options) {
        Objects.requireNonNull(className, "className");
        String javaName = dev.refkit.heap.HeapClass.javaName(className);
        boolean[] named = new boolean[graph.classCount()];
        for (int c = 0; c < named.length; c++) {
            named[c] = javaName.equals(graph.className(c));
        }
        int count = 0;
        int n = graph.objectCount();
        for (int o = 0; o < n; o++) {
            if (isInstanceOf(named, o)) {
                count++;
            }
        }
        int[] instances = new int[count];
        int i = 0;
        for (int o = 0; o < n && i < count; o++) {
            if (isInstanceOf(named, o)) {
                instances[i++] = o;
            }
        }
        return mergedPathsToGcRoots(instances, options);
    }

    private boolean isInstanceOf(boolean[] named, int object) {
        int c = graph.classOf(object);
        return c >= 0 && c < named.length && named[c] && graph.classForObject(object) < 0;
    }

    /** {@return the dominator tree of the strong graph and the retained sizes} */
    public synchronized DominatorTree dominators() {
        if (dominators == null) {
            dominators = DominatorTree.of(graph, progress);
        }
        return dominators;
    }

    /** {@return the leak suspects at the {@linkplain SuspectThresholds#DEFAULTS default thresholds}, ranked as {@link LeakSuspect} describes} */
    public synchronized List<LeakSuspect> leakSuspects() {
        if (suspects == null) {
            suspects = leakSuspects(SuspectThresholds.DEFAULTS);
        }
        return suspects;
    }

    /**
     * The leak suspects that reach the thresholds, ranked as {@link LeakSuspect} describes.
     *
     * @param thresholds what a suspect must retain at least
     * @return the suspects, ranked
     */
    public synchronized List<LeakSuspect> leakSuspects(SuspectThresholds thresholds) {
        Objects.requireNonNull(thresholds, "thresholds");
        LeakSuspectSearch search = new LeakSuspectSearch(graph, reachability(), dominators(),
                paths(PathOptions.excludingNonStrong()), () -> paths(PathOptions.includingNonStrong()), thresholds);
        progress.progress("leak suspects", 0, 1);
        List<LeakSuspect> found = search.search();
        progress.progress("leak suspects", 1, 1);
        return found;
    }

    /**
     * This heap's strong shortest-path tree aggregated by path signature, with its classes' totals: what
     * {@link HeapGrowth#of} compares across dumps. It holds nothing of the dump, so the dump may be closed.
     *
     * @return the profile
     */
    public synchronized PathProfile pathProfile() {
        List<PathProfile.ClassTotals> classes = new java.util.ArrayList<>();
        for (DominatorTree.ClassRetained c : dominators().retainedByClass()) {
            classes.add(new PathProfile.ClassTotals(Names.stable(c.className()), c.instances(), c.shallowBytes(),
                    c.retainedBytes()));
        }
        return new PathProfiler(graph, strongPaths(), ClassRoles.of(graph)).profile(classes);
    }

    /** The strong shortest-path tree. */
    ShortestPaths strongPaths() {
        return paths(PathOptions.excludingNonStrong());
    }

    private synchronized ShortestPaths paths(PathOptions options) {
        Objects.requireNonNull(options, "options");
        if (options.includeNonStrong()) {
            if (allPaths == null) {
                allPaths = new ShortestPaths(graph, true, progress);
            }
            return allPaths;
        }
        if (strongPaths == null) {
            strongPaths = new ShortestPaths(graph, false, progress);
        }
        return strongPaths;
    }
}
