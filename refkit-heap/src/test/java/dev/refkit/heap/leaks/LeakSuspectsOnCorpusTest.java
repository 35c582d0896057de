package dev.refkit.heap.leaks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refkit.heap.HeapDump;
import dev.refkit.heap.analysis.HeapAnalysis;
import dev.refkit.heap.analysis.LeakSuspect;
import dev.refkit.heap.analysis.LeakSuspect.Kind;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The leak suspects of every program of the corpus, under every launcher: the first suspect names the owner a
 * person would change (the class and field, the thread and frame, the ThreadLocal, the parent-side reference
 * of a stale loader, the finalizer's frame) and the class that accumulates, never the class loader that holds
 * the program or the larger softly held cache beside each leak; a healthy program has no suspect at all.
 */
class LeakSuspectsOnCorpusTest {

    /** What the first suspect of a program must say. */
    private record Expected(Kind kind, String owner, String accumulated) {
    }

    private static final String P = LeakPrograms.PACKAGE + ".";

    private static final Map<String, Expected> EXPECTED = Map.ofEntries(
            Map.entry("UnboundedStaticMap", new Expected(Kind.STATIC_COLLECTION,
                    "static field " + P + "UnboundedStaticMap$ReportCache.RENDERED", "byte[]")),
            Map.entry("LapsedListeners", new Expected(Kind.LISTENERS,
                    "field " + P + "LapsedListeners$PriceFeed.listeners", P + "LapsedListeners$ChartView")),
            Map.entry("ThreadLocalInPool", new Expected(Kind.THREAD_LOCAL,
                    "ThreadLocal " + P + "ThreadLocalInPool$ReportContext.BUFFER", "byte[]")),
            Map.entry("WeakMapValueHoldsKey", new Expected(Kind.VALUE_REACHES_WEAK_KEY,
                    "static field " + P + "WeakMapValueHoldsKey$WidgetRegistry.STATE", P + "WeakMapValueHoldsKey$WidgetState")),
            Map.entry("SessionRegistry", new Expected(Kind.FIELD_COLLECTION,
                    "field " + P + "SessionRegistry$Server.sessions", P + "SessionRegistry$Session")),
            Map.entry("TasksCaptureOuter", new Expected(Kind.QUEUED_TASKS,
                    "static field " + P + "TasksCaptureOuter$Scheduler.PENDING", P + "TasksCaptureOuter$Document")),
            Map.entry("StaleClassLoader", new Expected(Kind.STALE_CLASS_LOADER,
                    "static field " + P + "StaleClassLoader$HostRegistry.HANDLERS", "byte[]")),
            Map.entry("FinalizerBacklog", new Expected(Kind.FINALIZER_BACKLOG,
                    "FinalizerBacklog$StuckConnection.finalize(FinalizerBacklog.java:", P + "FinalizerBacklog$NativeBuffer")),
            Map.entry("StuckExecutor", new Expected(Kind.STUCK_EXECUTOR,
                    "static field " + P + "StuckExecutor$Ingest.EXECUTOR", "byte[]")),
            Map.entry("RunningThreadBatch", new Expected(Kind.THREAD_STACK,
                    "thread \"ingest-worker\" at " + P + "RunningThreadBatch$Ingest.run(RunningThreadBatch.java:", "byte[]")),
            Map.entry("ManySmallSessions", new Expected(Kind.STATIC_COLLECTION,
                    "static field " + P + "ManySmallSessions$Tracker.VISITS", P + "ManySmallSessions$Visit")),
            Map.entry("SharedRowValues", new Expected(Kind.STATIC_COLLECTION,
                    "static field " + P + "SharedRowValues$Store.ROWS", P + "SharedRowValues$Email")));

    static Stream<Arguments> leaksUnderEveryLauncher() {
        return LeakPrograms.LEAKS.stream()
                .flatMap(program -> Arrays.stream(Launcher.values()).map(launcher -> Arguments.of(program, launcher)));
    }

    static Stream<Arguments> healthyUnderEveryLauncher() {
        return LeakPrograms.HEALTHY.stream()
                .flatMap(program -> Arrays.stream(Launcher.values()).map(launcher -> Arguments.of(program, launcher)));
    }

    private static List<LeakSuspect> suspects(LeakPrograms.Program program, Launcher launcher) throws IOException {
        Path path = LeakPrograms.dump(program.name(), launcher);
        try (HeapDump dump = HeapDump.open(path)) {
            return HeapAnalysis.of(dump).leakSuspects();
        }
    }

    @ParameterizedTest(name = "{0} under {1}")
    @MethodSource("leaksUnderEveryLauncher")
    void firstSuspectNamesTheOwnerAndWhatAccumulates(LeakPrograms.Program program, Launcher launcher)
            throws IOException {
        Expected expected = EXPECTED.get(program.name());
        List<LeakSuspect> suspects = suspects(program, launcher);

        assertThat(suspects).as("suspects of %s under %s", program, launcher).isNotEmpty();
        LeakSuspect first = suspects.get(0);
        String owner = first.kind() == Kind.STALE_CLASS_LOADER ? first.owner().context()
                : first.kind() == Kind.FINALIZER_BACKLOG ? first.owner().frame() : first.owner().description();
        assertThat(first.kind()).as(first.summary()).isEqualTo(expected.kind());
        assertThat(owner).as(first.summary()).contains(expected.owner());
        assertThat(first.accumulated().get(0).className()).as(first.summary()).isEqualTo(expected.accumulated());
        assertThat(first.summary()).doesNotContain("SoftCache").doesNotContain("ClassLoader ");
        // the stale loader's program keeps its live successor, as big, on purpose: the stale one is half the heap
        assertThat(first.heapShare()).isGreaterThan(0.4);
        assertThat(first.fingerprint()).matches("[0-9a-f]{16}");
    }

    @ParameterizedTest(name = "under {0}")
    @org.junit.jupiter.params.provider.EnumSource(Launcher.class)
    void valuesSharedByTwoStructuresNameBothAndNotTheOneStatementThatHeldTheLast(Launcher launcher)
            throws IOException {
        LeakSuspect first = suspects(LeakPrograms.LEAKS.stream().filter(p -> p.name().equals("SharedRowValues"))
                .findFirst().orElseThrow(), launcher).get(0);

        assertThat(first.container().description()).as(first.summary())
                .contains("also held by static field " + P + "SharedRowValues$Store.BY_EMAIL");
        assertThat(first.summary()).doesNotContain("lastInsert").doesNotContain("parameters");
        assertThat(first.path().toString()).contains("SharedRowValues$Row");
    }

    static Stream<LeakPrograms.Program> leaks() {
        return LeakPrograms.LEAKS.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("leaks")
    void oneLeakIsOneSuspectWithTheSameFingerprintUnderEveryLauncher(LeakPrograms.Program program) throws IOException {
        List<String> fingerprints = new java.util.ArrayList<>();
        for (Launcher launcher : Launcher.values()) {
            List<LeakSuspect> suspects = suspects(program, launcher);
            if (program.name().equals("StaleClassLoader")) {
                // its live successor's cache is a suspect of its own, never a stale loader
                assertThat(suspects).as("%s under %s", program, launcher)
                        .filteredOn(s -> s.kind() == Kind.STALE_CLASS_LOADER).hasSize(1);
                assertThat(suspects.get(0).summary()).contains("webapp-v1").doesNotContain("webapp-v2");
            } else {
                assertThat(suspects).as("%s under %s: %s", program, launcher, suspects).hasSize(1);
            }
            fingerprints.add(suspects.get(0).fingerprint());
        }
        assertThat(fingerprints).as("fingerprints of %s under %s", program, List.of(Launcher.values()))
                .containsOnly(fingerprints.get(0));
    }

    @ParameterizedTest(name = "{0} under {1}")
    @MethodSource("healthyUnderEveryLauncher")
    void healthyProgramHasNoSuspect(LeakPrograms.Program program, Launcher launcher) throws IOException {
        assertThat(suspects(program, launcher)).isEmpty();
    }
}
