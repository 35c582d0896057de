package dev.refkit.junit5;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Fails a test whose scenario makes the heap grow: runs the scenario repeatedly in the test's own JVM, dumps the
 * live heap after every few repetitions, and fails with the retaining paths that grew at every dump (the way
 * {@code refkit diff} names them: the static field, the container, what accumulates, the counts).
 *
 * <pre>{@code
 * @Test
 * void reopeningTheReportDoesNotLeak() {
 *     HeapGrowthCheck.builder().repetitionsPerDump(5).dumps(3).build()
 *             .assertNoGrowth(() -> window.close(window.open(ReportView::new)));
 * }
 * }</pre>
 *
 * <p>The scenario first runs {@code repetitionsPerDump} times unmeasured (lazy initialisation, caches filling),
 * then {@code dumps} times {@code repetitionsPerDump} times, each round followed by a dump. A path grows when its
 * objects grew between every pair of consecutive dumps by at least half the repetitions per dump, on average (one
 * object per repetition is a leak). What replaces its entries (a bounded cache) or does not change is never
 * growing. The check's own work (its dumps' profiles) is not counted.
 *
 * <p>Needs {@code dev.refkit:refkit-heap} on the test class path, and a HotSpot JVM (the dumps are written by
 * {@code com.sun.management.HotSpotDiagnosticMXBean}). Dumps go to a temporary folder and are deleted once read,
 * unless {@link Builder#keepDumpsIn(Path)} names a folder to keep them in. Each dump costs the time of writing the
 * live heap and reading it back (about a second for a test JVM of 100 MB).
 */
public final class HeapGrowthCheck {

    private final int repetitionsPerDump;
    private final int dumps;
    private final Duration timeout;
    private final Path keepDumpsIn;

    private HeapGrowthCheck(Builder builder) {
        this.repetitionsPerDump = builder.repetitionsPerDump;
        this.dumps = builder.dumps;
        this.timeout = builder.timeout;
        this.keepDumpsIn = builder.keepDumpsIn;
    }

    /**
     * A check of 5 repetitions per dump, 3 dumps, within 2 minutes.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** The scenario a check repeats. */
    @FunctionalInterface
    public interface Scenario {
        /**
         * Runs the scenario once: what a program does again and again (a request served, a view opened and
         * closed), leaving behind only what it should.
         *
         * @throws Exception whatever the scenario throws; it fails the check
         */
        void run() throws Exception;
    }

    /**
     * Runs the scenario and fails with an {@link AssertionError} naming the paths that grew at every dump.
     *
     * @param scenario what to repeat
     * @throws AssertionError        when a path grew at every dump, or the check ran out of time
     * @throws IllegalStateException when refkit-heap is not on the class path
     */
    public void assertNoGrowth(Scenario scenario) {
        Objects.requireNonNull(scenario, "scenario");
        if (!heapAnalyzerPresent()) {
            throw new IllegalStateException("HeapGrowthCheck needs refkit-heap: add dev.refkit:refkit-heap to the test"
                    + " class path (it reads the heap dumps the check writes); on the module path, also require"
                    + " dev.refkit.heap or add it with --add-modules dev.refkit.heap");
        }
        Path folder;
        try {
            folder = keepDumpsIn != null ? Files.createDirectories(keepDumpsIn) : Files.createTempDirectory("refkit-growth-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a folder for the heap dumps: " + e.getMessage(), e);
        }
        String failure = new GrowthRun(scenario, repetitionsPerDump, dumps, timeout, folder, keepDumpsIn == null).run();
        if (failure != null) {
            throw new AssertionError(failure);
        }
    }

    private static boolean heapAnalyzerPresent() {
        try {
            Class.forName("dev.refkit.heap.analysis.HeapGrowth", false, HeapGrowthCheck.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** How a check runs. */
    public static final class Builder {
        private int repetitionsPerDump = 5;
        private int dumps = 3;
        private Duration timeout = Duration.ofMinutes(2);
        private Path keepDumpsIn;

        private Builder() {
        }

        /**
         * How many times the scenario runs between two dumps (and, unmeasured, before the first): 1 to 10,000.
         *
         * @param repetitions 1 to 10,000
         * @return this builder
         */
        public Builder repetitionsPerDump(int repetitions) {
            if (repetitions < 1 || repetitions > 10_000) {
                throw new IllegalArgumentException("repetitionsPerDump(" + repetitions + "): give 1 to 10,000");
            }
            this.repetitionsPerDump = repetitions;
            return this;
        }

        /**
         * How many dumps to compare: 3 to 10 (growth at every step of two dumps is one step, too easily chance).
         *
         * @param dumps 3 to 10
         * @return this builder
         */
        public Builder dumps(int dumps) {
            if (dumps < 3 || dumps > 10) {
                throw new IllegalArgumentException("dumps(" + dumps + "): give 3 to 10");
            }
            this.dumps = dumps;
            return this;
        }

        /**
         * The most the whole check may take; past it, the check fails saying so.
         *
         * @param timeout more than zero
         * @return this builder
         */
        public Builder timeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout(" + timeout + "): give a positive duration");
            }
            this.timeout = timeout;
            return this;
        }

        /**
         * Keeps the dumps in this folder (created if needed) instead of deleting them.
         *
         * @param folder where to keep the dumps
         * @return this builder
         */
        public Builder keepDumpsIn(Path folder) {
            this.keepDumpsIn = Objects.requireNonNull(folder, "folder");
            return this;
        }

        /** {@return a check with these options} */
        public HeapGrowthCheck build() {
            return new HeapGrowthCheck(this);
        }
    }
}
