package dev.refkit.junit5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.refkit.leak.LeakWatcher;
import dev.refkit.leak.RetainedObject;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * From a retained object to the path that retains it, with the real heap analyzer: the watcher finds the
 * object, writes a heap dump, and refkit-heap names the static list that holds it. Skipped while the
 * analyzer's entry point is not on the test class path.
 */
class RetainingPathEndToEndTest {

    static final List<Object> RETAINED_VIEWS = new ArrayList<>();

    @BeforeEach
    void requireTheHeapAnalyzer() {
        assumeTrue(LeakWatcher.canExplain(), "refkit-heap's analyzer entry point "
                + "(dev.refkit.heap.analysis.KeyedReferencePaths.shortestStrongPaths) is not on the class path");
    }

    @AfterEach
    void releaseRetainedViews() {
        RETAINED_VIEWS.clear();
        LeakCheckExtensionTest.STATIC_HOLDER.clear();
    }

    @Test
    void analyzerPathNamesTheStaticListThatHoldsTheRetainedObject(@TempDir Path folder) throws IOException {
        LeakWatcher watcher = LeakWatcher.builder().gracePeriod(Duration.ZERO).build();
        retainAndWatch(watcher);
        List<RetainedObject> retained = watcher.check();
        Path dump = folder.resolve("retained.hprof");
        watcher.dumpHeap(dump);

        Map<String, String> paths = watcher.explain(dump, retained);

        // owner-first: the static field on the first line, not the JUnit stack frame the dump roots it at
        assertThat(retained).singleElement().satisfies(object -> assertThat(paths.get(object.key()).lines().findFirst())
                .hasValueSatisfying(first -> assertThat(first).startsWith("static "
                        + RetainingPathEndToEndTest.class.getName() + ".RETAINED_VIEWS → ArrayList")
                        .contains("(static field " + RetainingPathEndToEndTest.class.getName() + ".RETAINED_VIEWS;")));
    }

    /** In a frame of its own, so that only the static list, no local variable of the test, holds the view. */
    private static void retainAndWatch(LeakWatcher watcher) {
        StringBuilder view = new StringBuilder("settings view");
        RETAINED_VIEWS.add(view);
        watcher.expectCollected(view, "closed settings view");
    }

    @Test
    void leakCheckFailureShowsTheRetainingPath() {
        EngineTestKit.engine("junit-jupiter").configurationParameter(Example.PARAMETER, "true").selectors(selectClass(LeakCheckExtensionTest.RetainingExample.class))
                .execute().testEvents().assertThatEvents().haveExactly(1, event(finishedWithFailure(
                        message(m -> m.contains("retained through: static " + LeakCheckExtensionTest.class.getName()
                                + ".STATIC_HOLDER → ")))));
    }
}
