package dev.refkit.heap.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refkit.heap.HeapClass;
import dev.refkit.heap.HeapDump;
import dev.refkit.heap.HeapGraph;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Analyses a heap dump written by a child JVM ({@link MarkerHeap}) and checks the verdicts against how the
 * markers were built, and then against the collector itself.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MarkerHeapDumpTest {

    private static final String PREFIX = MarkerHeap.class.getName() + "$";
    private static final Map<String, Reachability> BUILT = new LinkedHashMap<>();

    static {
        BUILT.put("StrongMarker", Reachability.STRONG);
        BUILT.put("SoftMarker", Reachability.SOFT);
        BUILT.put("WeakMarker", Reachability.WEAK);
        BUILT.put("FinalizerMarker", Reachability.FINALIZER);
        BUILT.put("PhantomMarker", Reachability.PHANTOM);
        BUILT.put("UnreachableMarker", Reachability.UNREACHABLE);
    }

    private Path directory;
    private ChildHeap child;
    private HeapDump dump;
    private HeapGraph graph;
    /** The marker heap's leaks are small (40 listeners of 4 KB): any size, 1% of the heap. */
    private static final SuspectThresholds SMALL = new SuspectThresholds(0.01, 0);

    private HeapAnalysis analysis;
    private final Map<String, Reachability> verdicts = new LinkedHashMap<>();

    @BeforeAll
    void dumpChildHeapAndJudgeMarkers() throws Exception {
        directory = Files.createTempDirectory("refkit-markers");
        Path file = directory.resolve("markers.hprof");
        child = new ChildHeap(file);
        child.await("DUMPED");
        dump = HeapDump.open(file);
        graph = dump.graph();
        analysis = HeapAnalysis.of(dump);
        ReachabilityCensus census = analysis.reachability();
        for (String marker : BUILT.keySet()) {
            int[] instances = instances(marker);
            assertThat(instances).as("instances of %s in the dump", marker).hasSize(1);
            verdicts.put(marker, census.reachability(instances[0]));
        }
    }

    @AfterAll
    void release() throws Exception {
        if (dump != null) {
            dump.close();
        }
        if (child != null) {
            child.close();
        }
        if (directory != null) {
            try (var files = Files.list(directory)) {
                for (Path p : files.toList()) {
                    Files.deleteIfExists(p);
                }
            }
            Files.deleteIfExists(directory);
        }
    }

    private int[] instances(String simpleName) {
        HeapClass c = graph.findClass(PREFIX + simpleName);
        assertThat(c).as("class %s in the dump", simpleName).isNotNull();
        List<Integer> found = new ArrayList<>();
        for (int o = 0; o < graph.objectCount(); o++) {
            if (graph.classOf(o) == c) {
                found.add(o);
            }
        }
        return found.stream().mapToInt(Integer::intValue).toArray();
    }

    @Test
    void eachMarkerIsClassifiedAsItWasBuilt() {
        assertThat(verdicts).containsExactlyEntriesOf(BUILT);
    }

    @Test
    void collectorClearsExactlyTheMarkersJudgedCollectable() throws Exception {
        child.send("GC");
        String line = child.await("CLEARED");
        Set<String> cleared = Arrays.stream(line.substring("CLEARED".length()).trim().split(" "))
                .filter(s -> !s.isEmpty()).collect(Collectors.toSet());
        // Soft markers survive a collection without memory pressure only by the collector's policy, and an
        // observer of a finalizer-reachable marker is cleared before finalization; neither is a verdict test.
        Set<Reachability> judged = EnumSet.of(Reachability.STRONG, Reachability.WEAK, Reachability.PHANTOM,
                Reachability.UNREACHABLE);
        Set<String> expected = verdicts.entrySet().stream()
                .filter(e -> judged.contains(e.getValue()) && e.getValue().isCollectable())
                .map(Map.Entry::getKey).collect(Collectors.toSet());
        Set<String> observed = cleared.stream().filter(name -> judged.contains(verdicts.get(name)))
                .collect(Collectors.toSet());

        assertThat(observed).isEqualTo(expected).containsExactlyInAnyOrder("WeakMarker", "PhantomMarker",
                "UnreachableMarker");
        assertThat(cleared).doesNotContain("StrongMarker");
    }

    @Test
    void pathToALeakedOwnerIsTheRegistryChain() {
        int owner = instances("Owner")[0];

        List<GcRootPath> paths = analysis.pathsToGcRoots(owner, PathOptions.excludingNonStrong());

        assertThat(paths).hasSize(1);
        List<String> steps = paths.get(0).steps().stream().map(GcRootPath.Step::referenceText).toList();
        assertThat(steps).hasSizeGreaterThanOrEqualTo(4);
        List<String> chain = steps.subList(steps.size() - 4, steps.size());
        assertThat(chain.get(0)).isEqualTo(PREFIX + "Registry.LISTENERS");
        assertThat(chain.get(1)).isEqualTo("java.util.ArrayList.elementData");
        assertThat(chain.get(2)).matches("java\\.lang\\.Object\\[\\]\\[\\d+\\]");
        assertThat(chain.get(3)).isEqualTo(PREFIX + "PriceListener.owner");
        assertThat(paths.get(0).toString()).startsWith("GC root ");
    }

    @Test
    void objectHeldByALocalVariableIsRootedInItsThreadAndFrame() {
        int held = instances("FrameHeld")[0];

        GcRootPath path = analysis.pathsToGcRoots(held, PathOptions.excludingNonStrong()).get(0);

        assertThat(path.steps()).isEmpty();
        assertThat(path.root().kind()).isEqualTo("JAVA_FRAME");
        assertThat(path.root().thread()).isEqualTo("main");
        assertThat(path.root().frame()).startsWith(MarkerHeap.class.getName() + ".main(MarkerHeap.java:");
    }

    @Test
    void ownersMergeIntoOnePathThroughTheRegistryArray() {
        PathTree tree = analysis.mergedPathsToGcRoots(PREFIX + "Owner", PathOptions.excludingNonStrong());

        assertThat(tree.reached()).isEqualTo(MarkerHeap.LISTENERS);
        assertThat(tree.roots()).hasSize(1);
        PathTree.Node node = tree.roots().get(0);
        while (node.children().size() == 1) {
            node = node.children().get(0);
        }
        assertThat(node.objectType()).isEqualTo("java.lang.Object[]");
        assertThat(node.count()).isEqualTo(MarkerHeap.LISTENERS);
        assertThat(node.children()).hasSize(MarkerHeap.LISTENERS);
    }

    @Test
    void garbageOfADumpWrittenWithoutCollectingIsCalledGarbage() {
        ReachabilityCensus census = analysis.reachability();

        assertThat(census.unreachableHeldByJvm()).isFalse();
        assertThat(census.summary()).contains("unreachable garbage");
    }

    @Test
    void registryIsAListenerSuspectNamingItsStaticFieldAndTheOwnersItKeeps() {
        List<LeakSuspect> suspects = analysis.leakSuspects(SMALL).stream()
                .filter(s -> s.kind() == LeakSuspect.Kind.LISTENERS).toList();

        assertThat(suspects).hasSize(1);
        LeakSuspect suspect = suspects.get(0);
        assertThat(suspect.owner().description()).isEqualTo("static field " + PREFIX + "Registry.LISTENERS");
        assertThat(suspect.accumulated().get(0).className()).isEqualTo(PREFIX + "Owner");
        assertThat(suspect.accumulated().get(0).count()).isEqualTo(MarkerHeap.LISTENERS);
        assertThat(suspect.accumulated().get(0).via()).isEqualTo("MarkerHeap$PriceListener.owner");
    }

    @Test
    void weakHashMapValueHoldingItsKeyIsASuspect() {
        List<LeakSuspect> suspects = analysis.leakSuspects(new SuspectThresholds(0, 0)).stream()
                .filter(s -> s.kind() == LeakSuspect.Kind.VALUE_REACHES_WEAK_KEY)
                .filter(s -> s.accumulated().get(0).className().equals(PREFIX + "WidgetState")).toList();

        assertThat(suspects).hasSize(1);
        assertThat(suspects.get(0).owner().description()).isEqualTo("static field " + MarkerHeap.class.getName()
                + ".STATES");
        assertThat(suspects.get(0).instances()).isEqualTo(1);
    }

    @Test
    void watchedViewStillHeldIsTheFirstSuspectWithItsDescriptionAndOwner() {
        LeakSuspect first = analysis.leakSuspects().get(0);

        assertThat(first.kind()).isEqualTo(LeakSuspect.Kind.WATCHED_OBJECT_ALIVE);
        assertThat(first.accumulated().get(0).className()).isEqualTo(PREFIX + "ClosedView");
        assertThat(first.summary()).contains("\"closed view\" (key view-1)");
        assertThat(first.owner().description()).isEqualTo("static field " + MarkerHeap.class.getName() + ".lastView");
        assertThat(first.pathLines().get(0)).startsWith("static " + MarkerHeap.class.getName() + ".lastView → ");
        assertThat(analysis.leakSuspects()).filteredOn(s -> s.kind() == LeakSuspect.Kind.WATCHED_OBJECT_ALIVE)
                .hasSize(1);
    }

    @Test
    void ownersAreRetainedByTheRegistryArray() {
        DominatorTree tree = analysis.dominators();
        int owner = instances("Owner")[0];
        int array = tree.immediateDominator(tree.immediateDominator(owner));

        assertThat(tree.retainedSize(owner)).isGreaterThanOrEqualTo(4096);
        assertThat(tree.retainedSize(array)).isGreaterThanOrEqualTo(MarkerHeap.LISTENERS * 4096L);
        assertThat(tree.dominates(array, owner)).isTrue();
    }
}
