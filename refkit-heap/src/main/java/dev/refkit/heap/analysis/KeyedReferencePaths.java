package dev.refkit.heap.analysis;

import dev.refkit.heap.HeapDump;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Why the objects a {@code dev.refkit.leak.LeakWatcher} found retained are still alive, read from a heap dump.
 *
 * <p>refkit-core's {@code LeakWatcher.explain(...)} calls {@link #shortestStrongPaths(Path, Set)} by name when
 * refkit-heap is on the class path; its signature uses JDK types only so that neither module compiles against
 * the other.
 */
public final class KeyedReferencePaths {

    private KeyedReferencePaths() {
    }

    /**
     * For each key, the shortest strong path from a GC root to the referent of the
     * {@code dev.refkit.leak.KeyedWeakReference} whose field {@code key} equals it, as lines told owner-first
     * like a leak suspect's path: the static field (or the thread and frame) that holds it first, then one
     * reference a line. Keys whose reference is not in the dump, whose referent was cleared, or whose referent
     * is not strongly reachable are absent.
     *
     * @param heapDump the dump to read
     * @param keys the keys of the {@code KeyedWeakReference}s whose referents to explain
     * @return the path's lines, one string, by key
     * @throws IOException when the dump cannot be read (an {@code HprofFormatException} says where and why)
     */
    public static Map<String, String> shortestStrongPaths(Path heapDump, Set<String> keys) throws IOException {
        Objects.requireNonNull(heapDump, "heapDump");
        Objects.requireNonNull(keys, "keys");
        Map<String, String> paths = new LinkedHashMap<>();
        if (keys.isEmpty()) {
            return paths;
        }
        try (HeapDump dump = HeapDump.open(heapDump)) {
            HeapAnalysis analysis = HeapAnalysis.of(dump);
            ObjectGraph graph = analysis.graph();
            OwnerResolver owners = null;
            for (int ref = 0, n = graph.objectCount(); ref < n && paths.size() < keys.size(); ref++) {
                int cls = graph.classOf(ref);
                if (cls < 0 || !LeakSuspectSearch.KEYED_WEAK_REFERENCE.equals(graph.className(cls))) {
                    continue;
                }
                String key = graph.stringField(ref, "key");
                if (key == null || !keys.contains(key) || paths.containsKey(key)) {
                    continue;
                }
                int referent = LeakSuspectSearch.referent(graph, ref);
                if (referent < 0) {
                    continue;
                }
                if (owners == null) {
                    owners = new OwnerResolver(graph, ClassRoles.of(graph), analysis.strongPaths());
                }
                List<GcRootPath> found = analysis.pathsToGcRoots(referent, PathOptions.excludingNonStrong());
                if (!found.isEmpty()) {
                    paths.put(key, ownerFirst(graph, found.get(0), owners));
                }
            }
        }
        return paths;
    }

    /**
     * The path told owner-first, as a leak suspect's: the static field (or thread and frame) that holds the object
     * on the first line with how the owner is reached, then one reference a line.
     */
    static String ownerFirst(ObjectGraph graph, GcRootPath path, OwnerResolver owners) {
        OwnerResolver.Resolution resolution = owners.resolve(path, path.steps().size());
        List<String> lines = new java.util.ArrayList<>(PathText.lines(resolution.path(), resolution.ownerStep(), -1, ""));
        LeakSuspect.Owner owner = resolution.owner();
        lines.set(0, lines.get(0) + "  (" + owner.description() + "; " + owner.context() + ")");
        return String.join(System.lineSeparator(), lines);
    }
}
