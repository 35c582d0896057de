package dev.refkit.leak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.common.testing.GcFinalization;
import java.lang.management.ManagementFactory;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ResourceTrackerTest {

    /** A resource in the way the tracker is meant to be used: it tracks itself and closes its handle. */
    static final class Connection {
        final Tracked tracked;

        Connection(ResourceTracker<Connection> tracker) {
            this.tracked = tracker.track(this);
        }

        void query(String sql) {
            tracked.record(sql);
        }

        void close() {
            tracked.close();
        }
    }

    private final List<ResourceLeak> reports = new CopyOnWriteArrayList<>();
    private ResourceTracker<Connection> background;

    @AfterEach
    void stopBackgroundCheck() {
        if (background != null) {
            background.stopBackgroundCheck();
        }
        System.clearProperty(ResourceTracker.LEVEL_PROPERTY);
        System.clearProperty(ResourceTracker.SAMPLING_INTERVAL_PROPERTY);
    }

    private ResourceTracker<Connection> tracker(ResourceTracker.Level level) {
        return ResourceTracker.builder("db-connections").level(level).listener(reports::add).build();
    }

    private static WeakReference<Connection> openAndDrop(ResourceTracker<Connection> tracker) {
        return new WeakReference<>(new Connection(tracker));
    }

    private static WeakReference<Connection> openAndDropFromAnotherSite(ResourceTracker<Connection> tracker) {
        return new WeakReference<>(new Connection(tracker));
    }

    private static WeakReference<Connection> openCloseAndDrop(ResourceTracker<Connection> tracker) {
        Connection connection = new Connection(tracker);
        connection.close();
        return new WeakReference<>(connection);
    }

    /** Drops the given resources' last references and waits (bounded) until the tracker has seen them collected. */
    private static void awaitLeaksFound(ResourceTracker<Connection> tracker, int leaks) {
        int[] found = {0};
        GcFinalization.awaitDone(() -> {
            found[0] += tracker.checkNow();
            return found[0] >= leaks;
        });
    }

    @Test
    void resourceDroppedUnclosedIsReportedOnceWithItsAllocationSite() {
        ResourceTracker<Connection> tracker = tracker(ResourceTracker.Level.ALL_WITH_TRACES);
        openAndDrop(tracker);

        awaitLeaksFound(tracker, 1);
        GcFinalization.awaitFullGc();
        tracker.checkNow();

        assertThat(reports).singleElement().satisfies(leak -> {
            assertThat(leak.tracker()).isEqualTo("db-connections");
            assertThat(leak.resourceClass()).isEqualTo(Connection.class);
            assertThat(leak.allocationSite()).startsWith("\tat " + Connection.class.getName() + ".<init>")
                    .contains("ResourceTrackerTest.openAndDrop(");
            assertThat(leak.toString()).contains("db-connections", Connection.class.getName(), "openAndDrop");
        });
    }

    @Test
    void closedResourceIsNotReported() {
        ResourceTracker<Connection> tracker = tracker(ResourceTracker.Level.ALL_WITH_TRACES);
        WeakReference<Connection> closed = openCloseAndDrop(tracker);
        openAndDrop(tracker); // the unclosed one proves that detection ran

        awaitLeaksFound(tracker, 1);
        GcFinalization.awaitClear(closed);
        tracker.checkNow();

        assertThat(reports).singleElement()
                .satisfies(leak -> assertThat(leak.allocationSite()).contains("openAndDrop(")
                        .doesNotContain("openCloseAndDrop"));
    }

    @Test
    void twoResourcesDroppedFromTheSameSiteMakeOneReport() {
        ResourceTracker<Connection> tracker = tracker(ResourceTracker.Level.ALL_WITH_TRACES);
        for (int i = 0; i < 2; i++) {
            openAndDrop(tracker);
        }

        awaitLeaksFound(tracker, 2);

        assertThat(reports).hasSize(1);
    }

    @Test
    void resourcesDroppedFromDifferentSitesAreReportedSeparately() {
        ResourceTracker<Connection> tracker = tracker(ResourceTracker.Level.ALL_WITH_TRACES);
        openAndDrop(tracker);
        openAndDropFromAnotherSite(tracker);

        awaitLeaksFound(tracker, 2);

        assertThat(reports).hasSize(2);
    }

    @Test
    void withoutTracesLeaksOfOneClassMakeOneReportNamingTheClass() {
        ResourceTracker<Connection> tracker = tracker(ResourceTracker.Level.ALL);
        openAndDrop(tracker);
        openAndDropFromAnotherSite(tracker);

        awaitLeaksFound(tracker, 2);

        assertThat(reports).singleElement().satisfies(leak -> {
            assertThat(leak.resourceClass()).isEqualTo(Connection.class);
            assertThat(leak.allocationSite()).isEmpty();
            assertThat(leak.toString()).contains("ALL_WITH_TRACES");
        });
    }

    @Test
    void leakIsFoundByTheNextTrackCall() {
        ResourceTracker<Connection> tracker = tracker(ResourceTracker.Level.ALL);
        GcFinalization.awaitClear(openAndDrop(tracker));

        GcFinalization.awaitDone(() -> {
            new Connection(tracker).close();
            return !reports.isEmpty();
        });

        assertThat(reports).hasSize(1);
    }

    @Test
    void backgroundCheckReportsALeakWithoutAnyCall() {
        background = ResourceTracker.builder("db-connections").level(ResourceTracker.Level.ALL)
                .listener(reports::add).checkInBackground().build();
        openAndDrop(background);

        GcFinalization.awaitDone(() -> !reports.isEmpty());

        assertThat(reports).hasSize(1);
    }

    @Test
    void disabledTrackerReportsNothing() {
        ResourceTracker<Connection> tracker = tracker(ResourceTracker.Level.DISABLED);
        GcFinalization.awaitClear(openAndDrop(tracker));
        GcFinalization.awaitFullGc();

        assertThat(tracker.checkNow()).isZero();
        assertThat(reports).isEmpty();
        assertThat(tracker.unclosed()).isEmpty();
    }

    @Test
    void disabledTrackerReturnsOneSharedNoOpHandle() {
        ResourceTracker<Connection> tracker = tracker(ResourceTracker.Level.DISABLED);

        Tracked first = new Connection(tracker).tracked;
        Tracked second = new Connection(tracker).tracked;

        assertThat(first).isSameAs(second);
        assertThat(first.isTracking()).isFalse();
        assertThat(first.close()).isFalse();
    }

    @Test
    void disabledTrackerAllocatesNothingPerTrackCall() {
        com.sun.management.ThreadMXBean allocation = allocationMeasurement();
        ResourceTracker<Object> tracker = ResourceTracker.create("disabled", ResourceTracker.Level.DISABLED);
        Object resource = new Object();
        int calls = 100_000;
        trackAndClose(tracker, resource, calls); // warm up

        long before = allocation.getCurrentThreadAllocatedBytes();
        trackAndClose(tracker, resource, calls);
        long allocated = allocation.getCurrentThreadAllocatedBytes() - before;

        assertThat(allocated).as("bytes allocated by %d track+close calls", calls).isLessThan(calls / 10);
    }

    @Test
    void trackingAllocatesNothingButTheHandle() {
        com.sun.management.ThreadMXBean allocation = allocationMeasurement();
        assumeTrue("true".equals(ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class)
                .getVMOption("UseCompressedOops").getValue()), "the handle size is stated for compressed references");
        ResourceTracker<Object> tracker = ResourceTracker.create("all", ResourceTracker.Level.ALL);
        Object resource = new Object();
        int calls = 100_000;
        trackAndClose(tracker, resource, calls); // warm up

        long before = allocation.getCurrentThreadAllocatedBytes();
        trackAndClose(tracker, resource, calls);
        long allocated = allocation.getCurrentThreadAllocatedBytes() - before;

        // A handle is a weak reference with eight fields of its own: 64 bytes with compressed references.
        assertThat(allocated / calls).as("bytes allocated per track+close").isLessThanOrEqualTo(72);
    }

    private static com.sun.management.ThreadMXBean allocationMeasurement() {
        java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        assumeTrue(threads instanceof com.sun.management.ThreadMXBean, "this JVM does not measure allocation per thread");
        com.sun.management.ThreadMXBean allocation = (com.sun.management.ThreadMXBean) threads;
        assumeTrue(allocation.isThreadAllocatedMemorySupported(), "this JVM does not measure allocation per thread");
        return allocation;
    }

    private static void trackAndClose(ResourceTracker<Object> tracker, Object resource, int calls) {
        for (int i = 0; i < calls; i++) {
            tracker.track(resource).close();
        }
    }

    @Test
    void sampledTrackerTracksAboutOneResourceInItsInterval() {
        ResourceTracker<Object> tracker = ResourceTracker.builder("sampled").level(ResourceTracker.Level.SAMPLED)
                .samplingInterval(10).build();
        int tracked = 0;
        for (int i = 0; i < 10_000; i++) {
            Tracked handle = tracker.track(new Object());
            if (handle.isTracking()) {
                tracked++;
            }
            handle.close();
        }

        // 1000 expected; the bounds are over 10 standard deviations away.
        assertThat(tracked).isBetween(700, 1300);
    }

    @Test
    void sampledTrackerWithIntervalOneTracksEveryResource() {
        ResourceTracker<Object> tracker = ResourceTracker.builder("sampled").level(ResourceTracker.Level.SAMPLED)
                .samplingInterval(1).build();

        assertThat(tracker.track(new Object()).isTracking()).isTrue();
    }

    @Test
    void resourcesTrackedAndClosedOnManyThreadsLeaveNothingOpen() throws Exception {
        ResourceTracker<Object> tracker = ResourceTracker.builder("concurrent").level(ResourceTracker.Level.ALL)
                .listener(leak -> {
                    throw new AssertionError("every resource is closed, yet " + leak);
                }).build();
        int threads = 4;
        int perThread = 20_000;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        java.util.concurrent.BlockingQueue<Tracked> handedOver = new java.util.concurrent.LinkedBlockingQueue<>();
        java.util.Queue<Object> resources = new java.util.concurrent.ConcurrentLinkedQueue<>();
        try {
            List<java.util.concurrent.Future<?>> work = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                work.add(pool.submit(() -> {
                    for (int i = 0; i < perThread; i++) {
                        Object resource = new Object();
                        Tracked handle = tracker.track(resource);
                        if (i % 2 == 0) {
                            handle.close();
                        } else {
                            resources.add(resource); // kept reachable until its handle is closed elsewhere
                            handedOver.add(handle);
                        }
                        Tracked other = handedOver.poll();
                        if (other != null) {
                            other.close();
                        }
                    }
                    return null;
                }));
            }
            for (java.util.concurrent.Future<?> future : work) {
                future.get(60, java.util.concurrent.TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        for (Tracked handle : handedOver) {
            handle.close();
        }

        assertThat(tracker.unclosed()).isEmpty();
        assertThat(resources).hasSize(threads * perThread / 2);
    }

    @Test
    void closeIsIdempotent() {
        ResourceTracker<Connection> tracker = tracker(ResourceTracker.Level.ALL);
        Connection connection = new Connection(tracker);

        assertThat(connection.tracked.close()).isTrue();
        assertThat(connection.tracked.close()).isFalse();
        assertThat(tracker.unclosed()).isEmpty();
    }

    @Test
    void unclosedListsOpenResourcesWithTheirAllocationSite() {
        ResourceTracker<Connection> tracker = tracker(ResourceTracker.Level.ALL_WITH_TRACES);
        Connection open = new Connection(tracker);
        new Connection(tracker).close();

        List<ResourceLeak> unclosed = tracker.unclosed();

        assertThat(unclosed).singleElement().satisfies(report ->
                assertThat(report.allocationSite()).contains("unclosedListsOpenResourcesWithTheirAllocationSite"));
        open.close();
        assertThat(tracker.unclosed()).isEmpty();
    }

    @Test
    void recordedUsesKeepTheFirstAndTheMostRecent() {
        ResourceTracker<Connection> tracker = ResourceTracker.builder("db-connections")
                .level(ResourceTracker.Level.ALL_WITH_TRACES).maxAccessPoints(4).build();
        Connection connection = new Connection(tracker);
        for (int i = 0; i < 10; i++) {
            connection.query("query " + i);
        }

        ResourceLeak report = tracker.unclosed().get(0);

        List<String> hints = new ArrayList<>();
        for (String accessPoint : report.accessPoints()) {
            hints.add(accessPoint.lines().findFirst().orElseThrow());
            assertThat(accessPoint).contains("Connection.query(");
        }
        assertThat(hints).containsExactly("query 0", "query 7", "query 8", "query 9");
        assertThat(report.omittedAccessPoints()).isEqualTo(6);
        connection.close();
    }

    @Test
    void recordedUsesAreNotKeptWithoutTraces() {
        ResourceTracker<Connection> tracker = tracker(ResourceTracker.Level.ALL);
        Connection connection = new Connection(tracker);
        connection.query("select 1");

        assertThat(tracker.unclosed()).singleElement()
                .satisfies(report -> assertThat(report.accessPoints()).isEmpty());
        connection.close();
    }

    @Test
    void levelComesFromTheSystemPropertyWhenNotGiven() {
        System.setProperty(ResourceTracker.LEVEL_PROPERTY, "all_with_traces");
        System.setProperty(ResourceTracker.SAMPLING_INTERVAL_PROPERTY, "16");

        ResourceTracker<Object> tracker = ResourceTracker.create("from-property");

        assertThat(tracker.level()).isEqualTo(ResourceTracker.Level.ALL_WITH_TRACES);
        assertThat(tracker.samplingInterval()).isEqualTo(16);
    }

    @Test
    void levelGivenInCodeWinsOverTheSystemProperty() {
        System.setProperty(ResourceTracker.LEVEL_PROPERTY, "DISABLED");

        assertThat(ResourceTracker.create("explicit", ResourceTracker.Level.ALL).level())
                .isEqualTo(ResourceTracker.Level.ALL);
    }

    @Test
    void levelDefaultsToSampledEveryDefaultInterval() {
        ResourceTracker<Object> tracker = ResourceTracker.create("default");

        assertThat(tracker.level()).isEqualTo(ResourceTracker.Level.SAMPLED);
        assertThat(tracker.samplingInterval()).isEqualTo(ResourceTracker.DEFAULT_SAMPLING_INTERVAL);
    }

    @Test
    void invalidLevelPropertyIsRefusedNamingTheValidOnes() {
        System.setProperty(ResourceTracker.LEVEL_PROPERTY, "PARANOID");

        assertThatThrownBy(() -> ResourceTracker.create("bad"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("PARANOID")
                .hasMessageContaining("DISABLED, SAMPLED, ALL or ALL_WITH_TRACES");
    }

    @Test
    void invalidSamplingIntervalIsRefused() {
        assertThatThrownBy(() -> ResourceTracker.builder("bad").samplingInterval(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("samplingInterval");
    }

    @Test
    void blankNameIsRefused() {
        assertThatThrownBy(() -> ResourceTracker.create(" ", ResourceTracker.Level.ALL))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("name");
    }
}
