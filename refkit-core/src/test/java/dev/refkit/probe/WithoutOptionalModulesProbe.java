package dev.refkit.probe;

import dev.refkit.leak.LeakWatcher;
import dev.refkit.leak.ResourceLeak;
import dev.refkit.leak.ResourceTracker;
import dev.refkit.leak.RetainedObject;
import java.lang.ref.WeakReference;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Run in a child JVM limited to {@code java.base} by {@code LeakDetectionWithoutOptionalModulesTest}, on
 * the class path and with refkit-core as a named module (hence in a package of its own): exercises the
 * watcher and the tracker where {@code jdk.jfr} and {@code jdk.management} are absent and prints what
 * happened, one {@code name: value} line each.
 */
public final class WithoutOptionalModulesProbe {

    private WithoutOptionalModulesProbe() {
    }

    public static void main(String[] args) {
        System.out.println("refkit-core is a named module: " + LeakWatcher.class.getModule().isNamed());
        System.out.println("jdk.jfr present: " + ModuleLayer.boot().findModule("jdk.jfr").isPresent());
        System.out.println("jdk.management present: " + ModuleLayer.boot().findModule("jdk.management").isPresent());

        List<Object> holder = new ArrayList<>();
        LeakWatcher watcher = LeakWatcher.builder().gracePeriod(Duration.ZERO).build();
        Object view = new Object();
        holder.add(view);
        watcher.expectCollected(view, "held view");
        List<String> retained = new ArrayList<>();
        for (RetainedObject object : watcher.check()) {
            retained.add(object.description());
        }
        System.out.println("retained: " + retained);

        try {
            watcher.dumpHeap(Path.of(args[0]).resolve("probe.hprof"));
            System.out.println("dumpHeap: written");
        } catch (UnsupportedOperationException e) {
            System.out.println("dumpHeap: refused: " + e.getMessage());
        } catch (Exception e) {
            System.out.println("dumpHeap: failed: " + e);
        }

        List<ResourceLeak> leaks = new ArrayList<>();
        ResourceTracker<Object> tracker = ResourceTracker.builder("probe").level(ResourceTracker.Level.ALL_WITH_TRACES)
                .listener(leaks::add).build();
        WeakReference<Object> dropped = trackAndDrop(tracker);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60); // bounds both waits below
        while (leaks.isEmpty() && System.nanoTime() < deadline) {
            System.gc();
            tracker.checkNow();
        }
        System.out.println("resource collected: " + dropped.refersTo(null));
        System.out.println("leaks: " + leaks.size());
        System.out.println("holder still holds: " + holder.size());

        // Without listeners a tracker logs its reports through System.Logger (here the JDK's console logger).
        ResourceTracker<Object> logging = ResourceTracker.create("probe-logging", ResourceTracker.Level.ALL);
        trackAndDrop(logging);
        int found = 0;
        while (found == 0 && System.nanoTime() < deadline) {
            System.gc();
            found = logging.checkNow();
        }
        System.err.flush();
        System.out.println("leaks logged: " + found);
    }

    private static WeakReference<Object> trackAndDrop(ResourceTracker<Object> tracker) {
        Object socket = new Object();
        tracker.track(socket);
        return new WeakReference<>(socket);
    }
}
