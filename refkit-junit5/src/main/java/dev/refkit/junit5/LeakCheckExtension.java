package dev.refkit.junit5;

import dev.refkit.leak.LeakWatcher;
import dev.refkit.leak.ResourceLeak;
import dev.refkit.leak.ResourceTracker;
import dev.refkit.leak.RetainedObject;
import dev.refkit.leak.Tracked;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.opentest4j.AssertionFailedError;

/**
 * The JUnit 5 extension behind {@link LeakCheck}: each test gets its own {@link LeakWatcher} and
 * {@link ResourceTracker} (at {@code ALL_WITH_TRACES}), reachable from the test's code through the static
 * methods of this class, and checked after the test and its {@code @AfterEach} methods have run.
 *
 * <p>At the end of a test the extension asks the collector to run if anything watched is still reachable
 * (see {@link LeakWatcher#check()}); the test fails if a watched object survives that, or if a tracked
 * resource was not closed. When {@code refkit-heap} is on the test class path, the failure message also
 * shows the path from a GC root that keeps each retained object alive (found in a heap dump written for
 * the purpose and deleted afterwards).
 *
 * <p><b>Warning:</b> whatever the test instance still refers to at the end of the test is reachable; a
 * watched object kept in a field of the test class is reported. Release it (set the field to null) in the
 * test or in an {@code @AfterEach} method.
 *
 * <p><b>Warning:</b> the static methods work on the thread that runs the test (and its {@code @BeforeEach}
 * and {@code @AfterEach} methods); on any other thread they find no test and throw.
 */
public final class LeakCheckExtension implements BeforeEachCallback, AfterEachCallback {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(LeakCheckExtension.class);
    private static final ThreadLocal<TestLeaks> CURRENT = new ThreadLocal<>();

    /** Created by JUnit from {@link LeakCheck} or {@code @ExtendWith}. */
    public LeakCheckExtension() {
    }

    /**
     * Watches {@code object}, which must be collected by the end of the current test.
     *
     * @param description what it is, in words that will make sense in the failure message
     * @param object the object that must be collected; held weakly
     * @return the key of the object's weak reference
     * @throws IllegalStateException if no test with a leak check runs on this thread
     */
    public static String expectCollected(Object object, String description) {
        return current("expectCollected").watcher.expectCollected(object, description);
    }

    /**
     * Tracks {@code resource}, which must be closed (through the returned handle) by the end of the current
     * test; the failure message shows where it was tracked.
     *
     * @param resource the resource that must be closed
     * @return the handle whose {@code close()} the resource's own close must call
     * @throws IllegalStateException if no test with a leak check runs on this thread
     */
    public static Tracked track(Object resource) {
        return current("track").tracker.track(resource);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        TestLeaks leaks = new TestLeaks(context.getDisplayName());
        context.getStore(NAMESPACE).put(TestLeaks.class, leaks);
        CURRENT.set(leaks);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        CURRENT.remove();
        TestLeaks leaks = context.getStore(NAMESPACE).remove(TestLeaks.class, TestLeaks.class);
        if (leaks == null) {
            return;
        }
        String failure = leaks.describeLeaks();
        if (failure != null) {
            throw new AssertionFailedError(failure);
        }
    }

    private static TestLeaks current(String method) {
        TestLeaks leaks = CURRENT.get();
        if (leaks == null) {
            throw new IllegalStateException("LeakCheckExtension." + method + " was called on thread \""
                    + Thread.currentThread().getName() + "\", where no leak-checked test is running: annotate "
                    + "the test class or method with @LeakCheck (or @ExtendWith(LeakCheckExtension.class)) and "
                    + "call it from the test's own thread");
        }
        return leaks;
    }

    /** What one test watches and tracks. */
    private static final class TestLeaks {
        final String testName;
        final LeakWatcher watcher = LeakWatcher.builder().gracePeriod(Duration.ZERO).build();
        final List<ResourceLeak> collectedUnclosed = new CopyOnWriteArrayList<>();
        final ResourceTracker<Object> tracker;

        TestLeaks(String testName) {
            this.testName = testName;
            this.tracker = ResourceTracker.builder("resources tracked by test " + testName)
                    .level(ResourceTracker.Level.ALL_WITH_TRACES)
                    .listener(collectedUnclosed::add)
                    .build();
        }

        /** The failure message, or null when the test leaked nothing. */
        String describeLeaks() {
            List<RetainedObject> retained = watcher.check();
            tracker.checkNow();
            List<ResourceLeak> unclosed = new ArrayList<>(collectedUnclosed);
            unclosed.addAll(tracker.unclosed());
            if (retained.isEmpty() && unclosed.isEmpty()) {
                return null;
            }
            StringBuilder message = new StringBuilder("test ").append(testName).append(" leaked");
            if (!retained.isEmpty()) {
                Map<String, String> paths = explain(retained, message);
                message.append('\n').append(count(retained.size(), "object")).append(" expected to be collected ")
                        .append(retained.size() == 1 ? "is" : "are").append(" still reachable:");
                for (RetainedObject object : retained) {
                    message.append("\n  - ").append(object.description())
                            .append(" (key ").append(object.key()).append(')');
                    String path = paths.get(object.key());
                    if (path != null) {
                        message.append("\n    retained through: ").append(path.replace("\n", "\n      "));
                    }
                }
            }
            if (!unclosed.isEmpty()) {
                message.append('\n').append(count(unclosed.size(), "tracked resource")).append(' ')
                        .append(unclosed.size() == 1 ? "was" : "were").append(" not closed:");
                for (ResourceLeak leak : unclosed) {
                    message.append("\n  - a ").append(leak.resourceClass().getName()).append(", tracked at:");
                    for (String frame : testFrames(leak.allocationSite())) {
                        message.append("\n      ").append(frame.strip());
                    }
                }
            }
            return message.toString();
        }

        /** The retaining paths from a heap dump, when refkit-heap is present; notes a failure in the message. */
        private Map<String, String> explain(List<RetainedObject> retained, StringBuilder message) {
            if (!LeakWatcher.canExplain()) {
                return Map.of();
            }
            Path folder = null;
            try {
                folder = Files.createTempDirectory("refkit-leak-check");
                Path dump = folder.resolve("retained.hprof");
                watcher.dumpHeap(dump);
                return watcher.explain(dump, retained);
            } catch (IOException | RuntimeException e) {
                message.append(" (the retaining paths could not be found: ").append(e).append(')');
                return Map.of();
            } finally {
                deleteQuietly(folder);
            }
        }

        private static void deleteQuietly(Path folder) {
            if (folder == null) {
                return;
            }
            try {
                Files.deleteIfExists(folder.resolve("retained.hprof"));
                Files.deleteIfExists(folder);
            } catch (IOException e) {
                // a leftover temporary file does not change the test's outcome
            }
        }

        /**
         * The frames of a trace that belong to the test: without this extension's own frame on top, and
         * cut where JUnit's machinery begins.
         */
        private static List<String> testFrames(String trace) {
            List<String> frames = new ArrayList<>();
            for (String frame : trace.lines().toList()) {
                if (frames.isEmpty() && frame.contains(LeakCheckExtension.class.getName() + ".")) {
                    continue;
                }
                if (frame.contains("at jdk.internal.reflect.") || frame.contains("at java.base/jdk.internal.reflect.")
                        || frame.contains("at org.junit.")) {
                    frames.add("...");
                    break;
                }
                frames.add(frame);
            }
            return frames;
        }

        private static String count(int n, String noun) {
            return n + " " + noun + (n == 1 ? "" : "s");
        }
    }
}
