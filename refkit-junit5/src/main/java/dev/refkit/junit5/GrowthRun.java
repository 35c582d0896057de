package dev.refkit.junit5;

import com.sun.management.HotSpotDiagnosticMXBean;
import dev.refkit.heap.HeapDump;
import dev.refkit.heap.analysis.HeapAnalysis;
import dev.refkit.heap.analysis.HeapGrowth;
import dev.refkit.heap.analysis.PathProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One run of a {@link HeapGrowthCheck}: the scenario's rounds, a dump after each, the dumps' path profiles. Kept
 * apart from the check so that the check's class loads without refkit-heap and can say it is missing.
 */
final class GrowthRun {

    private final HeapGrowthCheck.Scenario scenario;
    private final int repetitions;
    private final int dumps;
    private final long deadline;
    private final Duration timeout;
    private final Path folder;
    private final boolean delete;

    GrowthRun(HeapGrowthCheck.Scenario scenario, int repetitions, int dumps, Duration timeout, Path folder,
              boolean delete) {
        this.scenario = scenario;
        this.repetitions = repetitions;
        this.dumps = dumps;
        this.timeout = timeout;
        this.deadline = System.nanoTime() + timeout.toNanos();
        this.folder = folder;
        this.delete = delete;
    }

    /** The failure message, or null when nothing grew. */
    String run() {
        List<PathProfile> profiles = new ArrayList<>();
        try {
            rounds();
            for (int d = 1; d <= dumps; d++) {
                rounds();
                Path file = folder.resolve("growth-" + d + ".hprof");
                try {
                    profiles.add(profile(file));
                } finally {
                    if (delete) {
                        deleteQuietly(file);
                    }
                }
                if (System.nanoTime() > deadline) {
                    return "HeapGrowthCheck ran out of time (" + timeout + ") after " + d + " of " + dumps
                            + " dumps; give it more with timeout(...) or fewer repetitions";
                }
            }
        } finally {
            if (delete) {
                try {
                    Files.deleteIfExists(folder);
                } catch (IOException ignored) {
                    // a dump could not be deleted: it says so below only if it matters
                }
            }
        }
        HeapGrowth growth = HeapGrowth.of(profiles, new HeapGrowth.Thresholds(Math.max(1, repetitions / 2), 0));
        List<HeapGrowth.GrowingPath> growing = growth.growing().stream()
                .filter(path -> !path.elementClass().startsWith("dev.refkit.heap.")).toList();
        if (growing.isEmpty()) {
            return null;
        }
        StringBuilder message = new StringBuilder(String.format(Locale.ROOT,
                "the heap grew at every one of %d dumps, %d repetitions apart: %d growing path%s", dumps, repetitions,
                growing.size(), growing.size() == 1 ? "" : "s"));
        for (HeapGrowth.GrowingPath path : growing) {
            message.append(String.format(Locale.ROOT, "%n  - %s → %s: %s %s (%s per repetition)", path.owner(),
                    simple(path.container()), String.join(" → ", path.counts().stream().map(String::valueOf).toList()),
                    path.elementClass(), bytes(path.bytesPerStep() / repetitions)));
            for (String line : path.path()) {
                message.append(System.lineSeparator()).append("      ").append(line);
            }
        }
        return message.toString();
    }

    private void rounds() {
        for (int r = 0; r < repetitions; r++) {
            try {
                scenario.run();
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException("the scenario failed: " + e, e);
            }
        }
    }

    private static PathProfile profile(Path file) {
        try {
            Files.deleteIfExists(file);
            ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class).dumpHeap(file.toString(), true);
            try (HeapDump dump = HeapDump.open(file)) {
                return HeapAnalysis.of(dump).pathProfile();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write or read the heap dump " + file + ": " + e.getMessage(), e);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // left in the temporary folder; the next run overwrites it
        }
    }

    private static String simple(String className) {
        return className.substring(className.lastIndexOf('.') + 1);
    }

    private static String bytes(long bytes) {
        return bytes < 1024 ? bytes + " B" : String.format(Locale.ROOT, "%.1f KB", bytes / 1024.0);
    }
}
