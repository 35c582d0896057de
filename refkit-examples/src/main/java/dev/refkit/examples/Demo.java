package dev.refkit.examples;

import com.sun.management.HotSpotDiagnosticMXBean;
import dev.refkit.cache.CacheStats;
import dev.refkit.examples.ListenerLeak.Feed;
import dev.refkit.examples.ListenerLeak.Price;
import dev.refkit.examples.ListenerLeak.PriceView;
import java.io.PrintStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.ref.WeakReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The narrated scenario behind {@code refkit demo}, run in a JVM of its own with a small heap: the employee
 * directory under a Zipf workload, memory pressure arriving, the lapsed-listener leak, and finally a heap dump
 * of this JVM for the analyzer.
 *
 * <p>Arguments: the folder for the directory database, the file to write the heap dump to. Output is plain
 * lines; a line starting with {@value #PROGRESS} is a progress update that a terminal may show in place of the
 * previous one (the launching command decides).
 */
public final class Demo {

    /** Marks a line as a transient progress update. */
    public static final String PROGRESS = "~";

    /** The leaky price feed of step 3; static, as such registries usually are, so that the dump shows why. */
    static Feed strongPriceFeed;

    private static final int EMPLOYEES = EmployeeDatabase.DEFAULT_EMPLOYEES;
    private static final int KEEP_RECENT = 1_000;
    private static final int REQUESTS = 80_000;
    private static final int VIEWS = 200;
    private static final int VIEW_PIXEL_BYTES = 64 * 1024;

    private final PrintStream out;
    /** About how much the cached records take, measured around the first workload. */
    private long cacheBytes;

    private Demo(PrintStream out) {
        this.out = out;
    }

    /**
     * Runs the scenario in this JVM and narrates it on standard output; {@code refkit demo} runs it in a JVM of its
     * own with a small heap.
     *
     * @param args the work folder (for the database) and the heap dump to write
     * @throws Exception whatever stops the scenario
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: Demo DATABASE_FOLDER DUMP_FILE");
            System.exit(2);
        }
        new Demo(System.out).run(Path.of(args[0]), Path.of(args[1]));
    }

    private void run(Path databaseFolder, Path dumpFile) throws Exception {
        out.printf("This JVM: Java %s, max heap %s, %s.%n", Runtime.version().feature(), mb(Runtime.getRuntime().maxMemory()),
                ManagementFactory.getGarbageCollectorMXBeans().get(0).getName().replace(" Copy", "") + " collector");
        memoryPressure(employeeDirectories(databaseFolder));
        listenerLeak();
        dumpHeap(dumpFile);
        growth(dumpFile);
    }

    /** Rounds of the growth step, and the views each round opens and closes on the strong feed. */
    public static final int GROWTH_ROUNDS = 3;
    static final int GROWTH_VIEWS = 50;

    /**
     * The leak seen growing: three more rounds of views opened and closed on the strong feed, the live heap dumped
     * after each ({@code demo-growth-1.hprof} … beside the first dump), for {@code refkit diff}.
     */
    private void growth(Path dumpFile) throws Exception {
        heading("5. The leak grows: " + GROWTH_ROUNDS + " more rounds of " + GROWTH_VIEWS
                + " views on the strong feed, the heap dumped after each");
        for (int round = 1; round <= GROWTH_ROUNDS; round++) {
            for (int i = 0; i < GROWTH_VIEWS; i++) {
                new PriceView("round-" + round + "-" + i, strongPriceFeed, VIEW_PIXEL_BYTES);
            }
            Path file = growthDump(dumpFile, round);
            Files.deleteIfExists(file);
            ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class).dumpHeap(file.toString(), true);
            out.printf("   round %d: %,d registrations on the strong feed; wrote %s%n", round,
                    strongPriceFeed.registrations(), file.getFileName());
        }
    }

    /**
     * The file of the growth step's dump after {@code round}, beside the demo's dump.
     *
     * @param dumpFile the demo's dump
     * @param round 1 and on
     * @return the file beside it
     */
    public static Path growthDump(Path dumpFile, int round) {
        String name = dumpFile.getFileName().toString().replaceFirst("\\.hprof$", "");
        return dumpFile.resolveSibling(name + "-growth-" + round + ".hprof");
    }

    private Directories employeeDirectories(Path folder) throws Exception {
        heading("1. The employee directory: a ReferenceCache in front of an H2 database, two ways:\n"
                + "   soft values (the " + String.format("%,d", KEEP_RECENT) + " most recently used held strongly),"
                + " and memorySensitive()");
        boolean fresh = !Files.exists(folder.resolve("employees.mv.db"));
        long start = System.nanoTime();
        if (fresh) {
            out.printf("   creating the database in %s with %,d employees (first run only) ...%n", folder, EMPLOYEES);
        }
        EmployeeDatabase database = EmployeeDatabase.openFile(folder, EMPLOYEES);
        out.printf("   database %s: %,d employees (%s)%n", fresh ? "created" : "opened", database.size(), seconds(start));
        Directories directories = new Directories(new EmployeeDirectory(database, KEEP_RECENT),
                EmployeeDirectory.memorySensitive(database));
        long emptyCaches = liveBytes();

        out.printf("   %,d requests, Zipf-distributed over all ids (a few employees asked for all the time),"
                + " each asked of both:%n", REQUESTS);
        ZipfSampler zipf = new ZipfSampler(EMPLOYEES, 1.0, 2026);
        for (int i = 1; i <= REQUESTS; i++) {
            directories.get(EmployeeDatabase.idOf(zipf.next()));
            if (i % 10_000 == 0) {
                out.println(PROGRESS + "   requests " + String.format("%,d", i) + "  " + status(directories.soft, "soft")
                        + "  |  " + status(directories.sensitive, "memory-sensitive"));
            }
        }
        out.printf("   requests %,d%n", REQUESTS);
        out.println("   soft values      : " + status(directories.soft, "soft"));
        out.println("   memory-sensitive : " + status(directories.sensitive, "memory-sensitive"));
        Runtime rt = Runtime.getRuntime();
        out.printf("   heap %s  GC %,d ms%n", mb(rt.totalMemory() - rt.freeMemory()), gcMillis());
        cacheBytes = Math.max(0, liveBytes() - emptyCaches);
        return directories;
    }

    /** The two directories of the demo, over one database: soft values, and memory-sensitive. */
    private record Directories(EmployeeDirectory soft, EmployeeDirectory sensitive) {
        void get(String id) {
            soft.getEmployee(id);
            sensitive.getEmployee(id);
        }
    }

    /**
     * The other part of the program takes memory a megabyte at a time while requests go on, until the collector
     * has to clear soft references; the narration says when each cache gave memory back and how much. Then the
     * other part releases it all, and both caches serve while they refill.
     */
    private void memoryPressure(Directories directories) {
        heading("2. Memory pressure: another part of the program needs more and more memory");
        EmployeeDirectory soft = directories.soft;
        EmployeeDirectory sensitive = directories.sensitive;
        long max = Runtime.getRuntime().maxMemory();
        out.printf("   the caches hold about %s together, %s is free; the other part takes 1 MB at a time while"
                + " requests go on%n   (records in memory):%n", mb(cacheBytes), mb(max - liveBytes()));
        ZipfSampler zipf = new ZipfSampler(EMPLOYEES, 1.0, 7);
        List<byte[]> ballast = new ArrayList<>();
        long firstRelease = -1;
        try {
            while (soft.collectedRecords() == 0 && ballast.size() < 2 * max / (1024 * 1024)) {
                ballast.add(new byte[1024 * 1024]);
                for (int i = 0; i < 20; i++) {
                    directories.get(EmployeeDatabase.idOf(zipf.next()));
                }
                boolean released = firstRelease < 0 && sensitive.releasedRecords() > 0;
                if (released) {
                    firstRelease = ballast.size();
                }
                if (released || ballast.size() % 16 == 0) {
                    out.printf("   other part %3d MB: soft values %,6d  memory-sensitive %,6d%s%n", ballast.size(),
                            soft.recordsInMemory(), sensitive.recordsInMemory(),
                            released ? "  <- a collection left the heap above its mark: it gives back the least used"
                                    : "");
                }
            }
        } catch (OutOfMemoryError e) {
            // Not expected: the other part asked for more than even empty caches free. Say so, don't hide it.
            ballast.subList(0, Math.min(8, ballast.size())).clear();
            out.println("   the other part's request could not be met even with the caches emptied: " + e.getMessage());
        }
        out.printf("   other part %3d MB: soft values %,6d  memory-sensitive %,6d  <- the collector cleared %,d soft"
                        + " values at once%n   no OutOfMemoryError; memory-sensitive had given back %,d records,"
                        + " from %,d MB on, before any soft reference went%n", ballast.size(), soft.recordsInMemory(),
                sensitive.recordsInMemory(), soft.collectedRecords(), sensitive.releasedRecords(),
                Math.max(0, firstRelease));

        ballast.clear();
        CacheStats softStats = soft.stats();
        CacheStats sensitiveStats = sensitive.stats();
        int requests = 25_000;
        for (int i = 0; i < requests; i++) {
            directories.get(EmployeeDatabase.idOf(zipf.next()));
        }
        CacheStats softDuring = soft.stats().minus(softStats);
        CacheStats sensitiveDuring = sensitive.stats().minus(sensitiveStats);
        out.printf("   the other part releases its memory; %,d more requests while both caches refill:%n"
                        + "   soft values hit rate %.1f%% (%,d loads), memory-sensitive %.1f%% (%,d loads)%n", requests,
                100 * softDuring.hitRate(), softDuring.loadCount(), 100 * sensitiveDuring.hitRate(),
                sensitiveDuring.loadCount());
        out.println("   (in one heap the memory-sensitive cache gives way to the soft one too: see docs/CACHING.md)");
    }

    /** A directory's figures. */
    private static String status(EmployeeDirectory directory, String kind) {
        CacheStats s = directory.stats();
        return String.format("hit rate %.1f%%  database loads %,d  in memory %,d  %s %,d", 100 * s.hitRate(),
                s.loadCount(), directory.recordsInMemory(), kind.equals("soft") ? "collected" : "released",
                kind.equals("soft") ? directory.collectedRecords() : directory.releasedRecords());
    }

    private void listenerLeak() {
        heading("3. The lapsed listener: " + VIEWS + " price views opened and closed,\n"
                + "   each subscribed to a long-lived feed three times");
        strongPriceFeed = new ListenerLeak.StrongFeed();
        long strongRetained = openAndCloseViews(strongPriceFeed);
        out.printf("   feed = List<Consumer<Price>>  : %3d of %d closed views still in memory (%,d registrations)%n",
                strongRetained, VIEWS, strongPriceFeed.registrations());
        Feed weakFeed = new ListenerLeak.WeakFeed();
        long weakRetained = openAndCloseViews(weakFeed);
        out.printf("   feed = refkit Listeners       : %3d of %d closed views still in memory (%,d registrations)%n",
                weakRetained, VIEWS, weakFeed.registrations());
        out.printf("   the strong feed keeps %s of views alive; the dump below shows the path that does it%n",
                mb(strongRetained * VIEW_PIXEL_BYTES));
    }

    /** Opens VIEWS views on the feed, publishes to them, drops them, collects, and counts the survivors. */
    private static long openAndCloseViews(Feed feed) {
        List<WeakReference<PriceView>> closed = new ArrayList<>();
        for (int i = 0; i < VIEWS; i++) {
            closed.add(new WeakReference<>(new PriceView("view-" + i, feed, VIEW_PIXEL_BYTES)));
        }
        feed.publish(new Price("ACME", 4_200));
        awaitCollection(closed);
        long survivors = closed.stream().filter(view -> view.get() != null).count();
        // The collector clears references at once; the reference handler enqueues them a moment later, and
        // only then can the feed expunge them. Give it a bounded number of collections to get there.
        for (int round = 0; round < 50 && feed.registrations() > 3 * survivors; round++) {
            System.gc();
        }
        return survivors;
    }

    /**
     * Collects until every view that can be collected is, within a bound: a weak sentinel made after the views
     * proves that a full collection ran; three in a row with no change in the survivors end the wait.
     */
    private static void awaitCollection(List<WeakReference<PriceView>> views) {
        long survivors = -1;
        int stable = 0;
        for (int round = 0; round < 50 && stable < 3; round++) {
            WeakReference<Object> sentinel = new WeakReference<>(new Object());
            while (sentinel.get() != null) {
                System.gc();
            }
            long now = views.stream().filter(view -> view.get() != null).count();
            stable = now == survivors ? stable + 1 : 0;
            survivors = now;
        }
    }

    private void dumpHeap(Path file) throws Exception {
        heading("4. Dumping this JVM's heap (live objects) for the analyzer");
        Files.deleteIfExists(file);
        long start = System.nanoTime();
        ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class).dumpHeap(file.toString(), true);
        out.printf("   wrote %s (%s, %s)%n", file, mb(Files.size(file)), seconds(start));
    }

    private void heading(String text) {
        out.println();
        out.println(text);
    }

    /** Bytes of live objects: heap used right after a full collection (soft references are kept by it). */
    private static long liveBytes() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static long gcMillis() {
        long total = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            total += Math.max(0, gc.getCollectionTime());
        }
        return total;
    }

    private static String mb(long bytes) {
        return String.format("%,.1f MB", bytes / (1024.0 * 1024));
    }

    private static String seconds(long startNanos) {
        return String.format("%.1f s", (System.nanoTime() - startNanos) / 1e9);
    }
}
