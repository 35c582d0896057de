package dev.refkit.junit5;

import static dev.refkit.junit5.LeakCheckExtension.expectCollected;
import static dev.refkit.junit5.LeakCheckExtension.track;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedSuccessfully;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import com.google.common.testing.GcFinalization;
import dev.refkit.leak.Tracked;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;
import org.opentest4j.AssertionFailedError;

/**
 * Runs example test classes through the Jupiter engine. The examples are nested classes, which Surefire
 * does not run by itself ({@code **}{@code /*$*} is excluded by default), and {@link Example}s, disabled
 * unless run from here.
 */
class LeakCheckExtensionTest {

    /** Holds objects on purpose in the failing examples. */
    static final List<Object> STATIC_HOLDER = new ArrayList<>();

    @AfterEach
    void releaseStaticHolder() {
        STATIC_HOLDER.clear();
    }

    private static Events run(Class<?> example) {
        return EngineTestKit.engine("junit-jupiter").configurationParameter(Example.PARAMETER, "true")
                .selectors(selectClass(example)).execute().testEvents();
    }

    /** A resource that tracks itself through the current test's leak check. */
    static final class Connection {
        private final Tracked tracked = track(this);

        void close() {
            tracked.close();
        }
    }

    @Example
    @LeakCheck
    static class ReleasingExample {
        @Test
        void watchesAnObjectItLetsGo() {
            expectCollected(new StringBuilder("view"), "closed settings view");
        }
    }

    @Example
    @LeakCheck
    static class RetainingExample {
        @Test
        void keepsTheWatchedObjectInAStaticList() {
            StringBuilder view = new StringBuilder("view");
            STATIC_HOLDER.add(view);
            expectCollected(view, "closed settings view");
        }
    }

    @Example
    @LeakCheck
    static class ClosingExample {
        @Test
        void closesWhatItOpens() {
            new Connection().close();
        }
    }

    @Example
    @LeakCheck
    static class UnclosedExample {
        @Test
        void opensAConnectionAndForgetsIt() {
            new Connection();
        }
    }

    @Example
    @LeakCheck
    static class CollectedUnclosedExample {
        @Test
        void dropsAConnectionThatIsCollectedBeforeTheTestEnds() {
            GcFinalization.awaitClear(openAndDrop());
        }

        private static WeakReference<Connection> openAndDrop() {
            return new WeakReference<>(new Connection());
        }
    }

    @Example
    @LeakCheck
    static class ClosingInAfterEachExample {
        private Connection connection;

        @Test
        void leavesClosingToAfterEach() {
            connection = new Connection();
        }

        @AfterEach
        void closeConnection() {
            connection.close();
        }
    }

    @Example
    @LeakCheck
    static class MixedExample {
        @Test
        void leaks() {
            StringBuilder view = new StringBuilder("view");
            STATIC_HOLDER.add(view);
            expectCollected(view, "leaked in the first test");
        }

        @Test
        void doesNotLeak() {
            expectCollected(new StringBuilder("view"), "released in the second test");
        }
    }

    @Example
    static class MethodLevelExample {
        @Test
        @LeakCheck
        void annotatedTest() {
            StringBuilder view = new StringBuilder("view");
            STATIC_HOLDER.add(view);
            expectCollected(view, "watched by a method-level check");
        }
    }

    @Example
    @ExtendWith(LeakCheckExtension.class)
    static class ExtendWithExample {
        @Test
        void keepsTheWatchedObjectInAStaticList() {
            StringBuilder view = new StringBuilder("view");
            STATIC_HOLDER.add(view);
            expectCollected(view, "watched through ExtendWith");
        }
    }

    @Example
    static class WithoutLeakCheckExample {
        @Test
        void watchesWithoutTheExtension() {
            expectCollected(new Object(), "nobody checks this");
        }
    }

    @Test
    void testThatReleasesWhatItWatchesPasses() {
        run(ReleasingExample.class).assertStatistics(stats -> stats.started(1).succeeded(1).failed(0));
    }

    @Test
    void testThatRetainsWhatItWatchesFailsWithTheDescription() {
        run(RetainingExample.class).assertThatEvents().haveExactly(1, event(
                test("keepsTheWatchedObjectInAStaticList"),
                finishedWithFailure(instanceOf(AssertionFailedError.class),
                        message(m -> m.contains("closed settings view")
                                && m.contains("1 object expected to be collected is still reachable")))));
    }

    @Test
    void testThatClosesWhatItTracksPasses() {
        run(ClosingExample.class).assertStatistics(stats -> stats.started(1).succeeded(1).failed(0));
    }

    @Test
    void testThatLeavesATrackedResourceOpenFailsWithWhereItWasTracked() {
        run(UnclosedExample.class).assertThatEvents().haveExactly(1, event(
                test("opensAConnectionAndForgetsIt"),
                finishedWithFailure(instanceOf(AssertionFailedError.class),
                        message(m -> m.contains("1 tracked resource was not closed")
                                && m.contains(Connection.class.getName())
                                && m.contains("UnclosedExample.opensAConnectionAndForgetsIt")))));
    }

    @Test
    void resourceCollectedUnclosedDuringTheTestFailsIt() {
        run(CollectedUnclosedExample.class).assertThatEvents().haveExactly(1, event(
                test("dropsAConnectionThatIsCollectedBeforeTheTestEnds"),
                finishedWithFailure(instanceOf(AssertionFailedError.class),
                        message(m -> m.contains("1 tracked resource was not closed")
                                && m.contains("CollectedUnclosedExample.openAndDrop")))));
    }

    @Test
    void resourceClosedInAfterEachCountsAsClosed() {
        run(ClosingInAfterEachExample.class).assertStatistics(stats -> stats.started(1).succeeded(1).failed(0));
    }

    @Test
    void eachTestIsCheckedForItsOwnLeaksOnly() {
        Events events = run(MixedExample.class);

        events.assertThatEvents()
                .haveExactly(1, event(test("leaks"), finishedWithFailure(message(m -> m.contains("leaked in the first test")
                        && !m.contains("released in the second test")))))
                .haveExactly(1, event(test("doesNotLeak"), finishedSuccessfully()));
    }

    @Test
    void annotationOnAMethodChecksThatTest() {
        run(MethodLevelExample.class).assertThatEvents().haveExactly(1, event(
                test("annotatedTest"), finishedWithFailure(message(m -> m.contains("watched by a method-level check")))));
    }

    @Test
    void extendWithWorksLikeTheAnnotation() {
        run(ExtendWithExample.class).assertThatEvents().haveExactly(1, event(
                test("keepsTheWatchedObjectInAStaticList"),
                finishedWithFailure(message(m -> m.contains("watched through ExtendWith")))));
    }

    @Test
    void watchingWithoutTheExtensionFailsSayingWhatToAnnotate() {
        run(WithoutLeakCheckExample.class).assertThatEvents().haveExactly(1, event(
                test("watchesWithoutTheExtension"),
                finishedWithFailure(instanceOf(IllegalStateException.class),
                        message(m -> m.contains("@LeakCheck")))));
    }

    @Test
    void failureMessageNamesTheTest() {
        run(RetainingExample.class).assertThatEvents().haveExactly(1, event(
                finishedWithFailure(message(m -> m.startsWith("test keepsTheWatchedObjectInAStaticList() leaked")))));
        assertThat(STATIC_HOLDER).hasSize(1);
    }
}
