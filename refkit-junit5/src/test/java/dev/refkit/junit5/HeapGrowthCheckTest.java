package dev.refkit.junit5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedSuccessfully;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * The heap-growth check in real tests, run through the Jupiter engine: a scenario that adds to a static list fails
 * and names the list; one that only replaces the entries of a bounded cache passes.
 */
class HeapGrowthCheckTest {

    @AfterEach
    void release() {
        GrowingExample.HISTORY.clear();
        GrowingExample.RECENT.clear();
    }

    @Example
    static class GrowingExample {
        static final List<byte[]> HISTORY = new ArrayList<>();
        static final Map<Integer, byte[]> RECENT = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Integer, byte[]> eldest) {
                return size() > 3; // full before the first dump: the unmeasured round fills it
            }
        };
        static int next;

        @Test
        void scenarioThatKeepsEveryReport() {
            HeapGrowthCheck.builder().repetitionsPerDump(4).dumps(3).build()
                    .assertNoGrowth(() -> HISTORY.add(new byte[4_096]));
        }

        @Test
        void scenarioThatOnlyReplacesCacheEntries() {
            HeapGrowthCheck.builder().repetitionsPerDump(4).dumps(3).build()
                    .assertNoGrowth(() -> RECENT.put(next++, new byte[4_096]));
        }
    }

    @Test
    void aGrowingStaticListFailsTheTestAndIsNamed() {
        EngineTestKit.engine("junit-jupiter").configurationParameter(Example.PARAMETER, "true")
                .selectors(selectClass(GrowingExample.class)).execute().testEvents().assertThatEvents()
                .haveExactly(1, event(test("scenarioThatKeepsEveryReport"), finishedWithFailure(message(m ->
                        m.contains("the heap grew at every one of 3 dumps, 4 repetitions apart")
                                && m.contains("static field " + GrowingExample.class.getName() + ".HISTORY → ArrayList")
                                && m.contains("byte[]")))))
                .haveExactly(1, event(test("scenarioThatOnlyReplacesCacheEntries"), finishedSuccessfully()));
    }

    @Test
    void keptDumpsStayInTheNamedFolder(@TempDir Path folder) {
        List<Object> kept = new ArrayList<>();
        HeapGrowthCheck.builder().repetitionsPerDump(1).dumps(3).keepDumpsIn(folder).build()
                .assertNoGrowth(() -> kept.clear());

        assertThat(folder.resolve("growth-1.hprof")).exists();
        assertThat(folder.resolve("growth-3.hprof")).exists();
    }

    @Test
    void dumpsAreDeletedUnlessKept() throws Exception {
        long before = countGrowthFolders();

        HeapGrowthCheck.builder().repetitionsPerDump(1).dumps(3).build().assertNoGrowth(() -> { });

        assertThat(countGrowthFolders()).isEqualTo(before);
    }

    private static long countGrowthFolders() throws Exception {
        try (var files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return files.filter(p -> p.getFileName().toString().startsWith("refkit-growth-")).count();
        }
    }
}
