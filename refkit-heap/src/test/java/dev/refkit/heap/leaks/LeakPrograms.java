package dev.refkit.heap.leaks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A corpus of small programs, each holding one classic leak, and the dumps of their heaps, written by child
 * JVMs under each {@link Launcher}.
 *
 * <p>Each leak program builds its leak, then beside it a larger cache held softly ({@code SoftCache.ENTRIES},
 * a static {@code Map<String, SoftReference<byte[]>>} of 64 KB thumbnails) that must never be blamed,
 * waits (on latches, barriers or counts, never on time) until the leak is in place, and dumps its live
 * heap. The owner is the reference a person would change to fix the leak; the container is where objects
 * accumulate. Sizes are in MB of 2<sup>20</sup> bytes, as refkit prints them: what accumulates, without the
 * containers' own bytes. Class names are nested in the program's class ({@code ReportCache} is
 * {@code dev.refkit.heap.leaks.UnboundedStaticMap$ReportCache}).
 *
 * <table>
 * <caption>Leak programs</caption>
 * <tr><th>program</th><th>owner</th><th>container</th><th>accumulated</th><th>soft cache</th></tr>
 * <tr><td>{@link UnboundedStaticMap}</td><td>static field {@code ReportCache.RENDERED}</td>
 *     <td>{@code HashMap}</td><td>2,000 {@code byte[10,000]}: 19.1 MB</td><td>36 MB</td></tr>
 * <tr><td>{@link LapsedListeners}</td><td>instance field {@code PriceFeed.listeners} of the static
 *     {@code Market.FEED}</td><td>{@code CopyOnWriteArrayList}</td><td>300 {@code ChartView}s, each with a
 *     {@code byte[50,000]}, 14.3 MB: 100 through lambdas ({@code $$Lambda.arg$1}), 100 through bound
 *     method references ({@code $$Lambda.arg$1}), 100 through anonymous classes
 *     ({@code ChartView$1.this$0})</td><td>27 MB</td></tr>
 * <tr><td>{@link ThreadLocalInPool}</td><td>ThreadLocal {@code ReportContext.BUFFER} in the threads
 *     {@code pool-1-thread-1} and {@code pool-1-thread-2}, idle in their pool</td><td>an {@code ArrayList}
 *     per thread, a value of its {@code ThreadLocalMap}</td><td>50 {@code byte[200,000]} per thread: 9.5 MB
 *     each, 19.1 MB</td><td>36 MB</td></tr>
 * <tr><td>{@link WeakMapValueHoldsKey}</td><td>static field {@code WidgetRegistry.STATE}; each value's
 *     {@code WidgetState.widget} is its own weak key</td><td>{@code WeakHashMap}</td><td>2,000
 *     {@code WidgetState}s (and their {@code Widget}s), each with a {@code byte[10,000]}: 19.1 MB</td>
 *     <td>36 MB</td></tr>
 * <tr><td>{@link SessionRegistry}</td><td>instance field {@code Server.sessions} of the static
 *     {@code Server.INSTANCE}</td><td>{@code ConcurrentHashMap}</td><td>1,000 {@code Session}s with 20,000
 *     bytes of attributes: 19.1 MB</td><td>36 MB</td></tr>
 * <tr><td>{@link TasksCaptureOuter}</td><td>static field {@code Scheduler.PENDING}</td>
 *     <td>{@code ConcurrentLinkedQueue}, a chain of 1,000 nodes</td><td>1,000 anonymous tasks
 *     {@code Document$1}, each holding in {@code this$0} a {@code Document} with a {@code byte[20,000]}:
 *     19.1 MB</td><td>36 MB</td></tr>
 * <tr><td>{@link StaleClassLoader}</td><td>parent-side static field {@code HostRegistry.HANDLERS}, whose
 *     first element, a {@code Plugin$ReportHandler}, is of the stale loader {@code webapp-v1}; the live
 *     loader {@code webapp-v2}, kept by {@code Host.CURRENT}, holds as much, legitimately</td><td>static
 *     field {@code Plugin.CACHE} ({@code ArrayList}) of the stale loader's class</td><td>200
 *     {@code byte[100,000]}: 19.1 MB</td><td>36 MB</td></tr>
 * <tr><td>{@link FinalizerBacklog}</td><td>the finalizer queue; the Finalizer thread is stuck in
 *     {@code StuckConnection.finalize()}</td><td>{@code java.lang.ref.Finalizer}s, in the finalizer queue and
 *     in {@code Finalizer.unfinalized}</td><td>40,000 {@code NativeBuffer}s, each with a {@code byte[700]},
 *     only finalizer-reachable: 28.4 MB (and 1.5 MB of strongly held {@code Finalizer}s)</td><td>50 MB</td></tr>
 * <tr><td>{@link StuckExecutor}</td><td>static field {@code Ingest.EXECUTOR}, whose one thread
 *     {@code ingest-executor} is blocked in {@code Ingest.awaitUpstream}</td><td>its
 *     {@code LinkedBlockingQueue}, a chain of 5,000 nodes</td><td>5,000 lambdas ({@code StuckExecutor$$Lambda},
 *     not the first task's) holding a {@code byte[5,000]} in {@code arg$1}: 23.8 MB</td><td>40 MB</td></tr>
 * <tr><td>{@link RunningThreadBatch}</td><td>thread {@code ingest-worker} at {@code Ingest.run}, local
 *     {@code batch}</td><td>{@code ArrayList}</td><td>2,500 {@code byte[10,000]}: 23.8 MB</td>
 *     <td>40 MB</td></tr>
 * <tr><td>{@link ManySmallSessions}</td><td>static field {@code Tracker.VISITS}</td><td>{@code HashMap}</td>
 *     <td>200,000 {@code Visit}s of 40 bytes, 107 bytes each with their {@code Long} key, node and table
 *     slot: 20.3 MB</td><td>32 MB</td></tr>
 * <tr><td>{@link SharedRowValues}</td><td>static field {@code Store.ROWS}, whose emails are also held by
 *     {@code Store.BY_EMAIL} (the shortest path to the largest runs through {@code Store.lastInsert})</td>
 *     <td>{@code HashMap}; no one object dominates the emails</td><td>40,000 {@code Email}s, each with a
 *     {@code byte[1,000]}: 42.1 MB</td><td>32 MB</td></tr>
 * </table>
 *
 * <p>The healthy programs must yield no suspect: {@link IdleProgram}, a fresh JVM that only dumps, and
 * {@link HealthySoftCache}, 32 MB held softly beside 200 {@code Product}s held by {@code Catalog.PRODUCTS}.
 *
 * <p>Under {@link Launcher#SOURCE_LAUNCHER} and {@link Launcher#OWN_CLASS_LOADER}, the program's loader is
 * also the context class loader of its threads; under all three, that loader reaches every static field
 * of the program, so a suspect that names the loader names no culprit.
 *
 * <p>Each program is one self-contained source file with JDK imports only, so that the source launcher can
 * run it; that is why each declares its own {@code SoftCache} and dump helper instead of sharing them.
 *
 * <p>Dumps are written to {@code target/leak-dumps/NAME-LAUNCHER.hprof}, once per program and launcher in a
 * test run, and reused by later runs unless the program's source is newer or the JVM or the command line
 * changed (recorded, with the child's output, in {@code NAME-LAUNCHER.log}). The names are fixed, so at
 * most one dump per program and launcher exists: 2.3 GB for the whole corpus.
 */
public final class LeakPrograms {

    /** One program of the corpus and a class whose instances show that it ran. */
    public record Program(String name, String keyClass, long keyInstances) {
        /** The program's main class. */
        public String mainClass() {
            return PACKAGE + "." + name;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static final String PACKAGE = "dev.refkit.heap.leaks";

    public static final List<Program> LEAKS = List.of(
            program("UnboundedStaticMap", "$ReportCache", 0),
            program("LapsedListeners", "$ChartView", 300),
            program("ThreadLocalInPool", "$ReportContext", 0),
            program("WeakMapValueHoldsKey", "$WidgetState", 2_000),
            program("SessionRegistry", "$Session", 1_000),
            program("TasksCaptureOuter", "$Document", 1_000),
            program("StaleClassLoader", "$Plugin$ReportHandler", 2),
            program("FinalizerBacklog", "$NativeBuffer", 40_000),
            program("StuckExecutor", "$Ingest", 0),
            program("RunningThreadBatch", "$Ingest", 1),
            program("ManySmallSessions", "$Visit", 200_000),
            program("SharedRowValues", "$Email", 40_000));

    public static final List<Program> HEALTHY = List.of(
            program("IdleProgram", "", 0),
            program("HealthySoftCache", "$Product", 200));

    /**
     * JVM options of every child. Serial GC: one collector thread on a shared machine, and a
     * {@code System.gc()} that collects the whole heap. C1 only: the programs are short, and it halves the
     * source launcher's in-memory compilation (UnboundedStaticMap: 0.95 to 0.49 s).
     */
    static final List<String> VM_OPTIONS = List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

    private static final long CHILD_SECONDS = 120;
    private static final Path SOURCES = Path.of("src", "test", "java", "dev", "refkit", "heap", "leaks");
    private static final Map<String, Object> LOCKS = new ConcurrentHashMap<>();
    private static final Set<String> CHECKED = ConcurrentHashMap.newKeySet();

    private LeakPrograms() {
    }

    private static Program program(String name, String keyClassSuffix, long keyInstances) {
        return new Program(name, PACKAGE + "." + name + keyClassSuffix, keyInstances);
    }

    /** Every program, leaks first. */
    public static List<Program> all() {
        return Stream.concat(LEAKS.stream(), HEALTHY.stream()).toList();
    }

    /**
     * The dump of a program's heap run under a launcher: written by a child JVM the first time it is asked
     * for in a test run, unless {@code target/leak-dumps} holds one that is still valid.
     *
     * @param program the program's simple class name, e.g. {@code UnboundedStaticMap}
     * @throws AssertionError when the child JVM fails, does not print {@code DUMPED} or runs longer than 120 s;
     *                        the message quotes its command and output
     */
    public static Path dump(String program, Launcher launcher) {
        String name = program + "-" + launcher;
        synchronized (LOCKS.computeIfAbsent(name, n -> new Object())) {
            Path dumps = moduleDirectory().resolve("target").resolve("leak-dumps");
            Path dump = dumps.resolve(name + ".hprof");
            if (CHECKED.contains(name)) {
                return dump;
            }
            try {
                Files.createDirectories(dumps);
                List<Path> sources = new ArrayList<>(List.of(source(program)));
                if (launcher == Launcher.OWN_CLASS_LOADER) {
                    sources.add(source(OwnLoaderLauncher.class.getSimpleName()));
                }
                // the dump is written under another name and moved once complete, so a dump is never partial
                Path partial = dumps.resolve(name + ".partial.hprof");
                List<String> command = command(program, launcher, partial);
                Path log = dumps.resolve(name + ".log");
                String header = "# " + Runtime.version() + ": " + String.join(" ", command);
                if (!isValid(dump, log, header, sources)) {
                    run(command, header, dump, partial, log);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the dump of " + name + " in " + dumps, e);
            }
            CHECKED.add(name);
            return dump;
        }
    }

    private static List<String> command(String program, Launcher launcher, Path dump) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(VM_OPTIONS);
        command.addAll(launcher.arguments(program, testClasses(), moduleDirectory().resolve(SOURCES)));
        command.add(dump.toString());
        return command;
    }

    private static boolean isValid(Path dump, Path log, String header, List<Path> sources) throws IOException {
        if (!Files.exists(dump) || !Files.exists(log)) {
            return false;
        }
        try (Stream<String> lines = Files.lines(log, StandardCharsets.UTF_8)) {
            if (!lines.findFirst().orElse("").equals(header)) {
                return false;
            }
        }
        for (Path source : sources) {
            if (Files.getLastModifiedTime(source).compareTo(Files.getLastModifiedTime(dump)) > 0) {
                return false;
            }
        }
        return true;
    }

    /** Runs the child JVM in the dump directory (so that the class path's default, ".", holds no class). */
    private static void run(List<String> command, String header, Path dump, Path partial, Path log)
            throws IOException {
        Files.deleteIfExists(dump);
        Files.deleteIfExists(partial); // the JVM refuses to dump into an existing file
        Files.writeString(log, header + System.lineSeparator(), StandardCharsets.UTF_8);
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(dump.getParent().toFile())
                .redirectErrorStream(true)
                .redirectOutput(Redirect.appendTo(log.toFile()));
        // the source launcher refuses a program whose class is also on the class path
        builder.environment().remove("CLASSPATH");
        Process child = builder.start();
        boolean ended;
        try {
            ended = child.waitFor(CHILD_SECONDS, TimeUnit.SECONDS);
            if (!ended) {
                child.destroyForcibly().waitFor(CHILD_SECONDS, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            child.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for: " + header, e);
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        if (!ended) {
            throw new AssertionError("the child JVM ran longer than " + CHILD_SECONDS + " s and was destroyed; its log "
                    + log + ":\n" + output);
        }
        if (child.exitValue() != 0 || !output.lines().anyMatch("DUMPED"::equals) || !Files.exists(partial)) {
            throw new AssertionError("the child JVM exited with " + child.exitValue() + (Files.exists(partial)
                    ? "" : " and wrote no dump") + "; its log " + log + ":\n" + output);
        }
        Files.move(partial, dump, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static Path source(String program) {
        Path source = moduleDirectory().resolve(SOURCES).resolve(program + ".java");
        if (!Files.isRegularFile(source)) {
            throw new IllegalArgumentException("no program " + program + ": " + source + " does not exist");
        }
        return source;
    }

    /** The module's directory: Maven's {@code basedir}, else the working directory, which Surefire sets to it. */
    private static Path moduleDirectory() {
        String basedir = System.getProperty("basedir");
        Path module = (basedir == null ? Path.of("") : Path.of(basedir)).toAbsolutePath();
        if (!Files.isDirectory(module.resolve(SOURCES))) {
            throw new IllegalStateException(module + " holds no " + SOURCES + "; run the tests from the module's"
                    + " directory or set the system property basedir to it");
        }
        return module;
    }

    private static Path testClasses() {
        try {
            return Path.of(LeakPrograms.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("the test classes' location is not a path", e);
        }
    }
}
