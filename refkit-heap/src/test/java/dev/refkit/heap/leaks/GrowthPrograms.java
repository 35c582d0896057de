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
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * A corpus of small programs that run their workload in rounds and dump their live heap after each, so that
 * what leaks grows from dump to dump, and the dumps, written by child JVMs under each {@link Launcher}.
 *
 * <p>Each growth program holds, beside its leak, two structures that a comparison of dumps must never call
 * growing: a static cache larger than the leak at every dump that fills in the first round and then only
 * serves lookups ({@code Catalog.ITEMS}, a {@code HashMap} of 6,000 {@code Item}s with 2,000-byte pictures,
 * 12.2 MB retained), and a bounded LRU that churns ({@code RecentlyViewed.PAGES}, an {@code Lru}: a
 * {@code LinkedHashMap} in access order capped at 500 entries; each round puts 2,000 new {@code Page}s with
 * 1,000-byte previews, so every entry is replaced and the size stays 500, 0.55 MB retained). Class names are
 * nested in the program's class ({@code AuditLog} is {@code dev.refkit.heap.leaks.GrowingStaticList$AuditLog}).
 * Sizes are in MB of 2<sup>20</sup> bytes, measured under {@link Launcher#CLASS_PATH}: the owner's retained size
 * at the three dumps, and the growth per round of all strongly reachable shallow bytes (the same, give or take a
 * few KB: nothing else grows).
 *
 * <table>
 * <caption>Growth programs</caption>
 * <tr><th>program</th><th>owner</th><th>container</th><th>grows per round</th><th>retained by the owner</th>
 *     <th>heap per round</th></tr>
 * <tr><td>{@link GrowingStaticList}</td><td>static field {@code AuditLog.EVENTS}</td><td>{@code ArrayList}</td>
 *     <td>+1,000 {@code AuditEvent}s, each with a {@code byte[2,000]}</td><td>1.96, 3.92, 5.88 MB</td>
 *     <td>+1.96 MB</td></tr>
 * <tr><td>{@link GrowingListeners}</td><td>instance field {@code EventBus.listeners} of the static
 *     {@code App.BUS}</td><td>{@code CopyOnWriteArrayList}</td><td>+200 lambdas
 *     ({@code Widget$$Lambda}), each holding in {@code arg$1} a closed {@code Widget} with a
 *     {@code byte[10,000]}</td><td>1.92, 3.84, 5.76 MB</td><td>+1.92 MB</td></tr>
 * <tr><td>{@link GrowingSessions}</td><td>static field {@code SessionStore.SESSIONS}</td>
 *     <td>{@code ConcurrentHashMap}</td><td>+500 {@code Session}s, each with a {@code HashMap} of attributes
 *     holding a {@code byte[3,000]} and a {@code byte[2,000]}</td><td>2.59, 5.19, 7.78 MB</td>
 *     <td>+2.59 MB</td></tr>
 * <tr><td>{@link GrowingExecutorQueue}</td><td>static field {@code Pipeline.EXECUTOR}, whose one thread
 *     {@code pipeline-worker} is blocked in {@code Pipeline.awaitDownstream} from before the first round</td>
 *     <td>its {@code LinkedBlockingQueue}, a chain of nodes</td><td>+1,000 lambdas
 *     ({@code GrowingExecutorQueue$$Lambda}), each holding in {@code arg$1} a {@code Payload} with a
 *     {@code byte[2,000]}</td><td>1.98, 3.97, 5.95 MB</td><td>+1.98 MB</td></tr>
 * <tr><td>{@link NoLeak}</td><td colspan="4">nothing: besides the cache and the LRU, each round builds a report
 *     of 5,000 rows of 1,000 bytes, 5 MB, and drops it</td><td>0 (-1 KB from the first dump to the
 *     second)</td></tr>
 * </table>
 *
 * <p>A program runs each round in a method that returns before the dump, so that no local variable keeps a
 * round's temporary objects; it prints {@code ROUND n} before each round and makes the strings of a dump before
 * writing it, so that the first dump already holds what printing and (under the source launcher, which links
 * each string concatenation at its first use) concatenation keep, and no later dump holds more of the JDK. What
 * the JDK still adds is noise of one step: a string constant resolved when a method is compiled, cleaners run
 * between two dumps. Counted over all the objects of a dump, though, {@code int[]} grows by about 0.55 MB at
 * every step in every program, {@link NoLeak} too (+20 instances, then +0 or +1): the dead objects that the
 * serial collector's full collection leaves in place as fillers ({@code -XX:MarkSweepDeadRatio}, 5% by
 * default), which no GC root reaches. A comparison of dumps must count reachable objects only.
 *
 * <p>Dumps are written to {@code target/leak-dumps/NAME-LAUNCHER-N.hprof} (N = 1, 2, 3), once per program and
 * launcher in a test run, and reused by later runs unless the program's source is newer than the first dump
 * or the JVM or the command line changed (recorded, with the child's output, in {@code NAME-LAUNCHER.log}).
 * A dump is 16 to 25 MB under the class path and the own loader, 5 MB more under the source launcher: 970 MB for
 * the corpus.
 */
public final class GrowthPrograms {

    /**
     * What leaks in a program, by the same amount every round.
     *
     * @param owner         the reference a person would change, as {@code Class.field} in Java names, e.g.
     *                      {@code dev.refkit.heap.leaks.GrowingStaticList$AuditLog.EVENTS}
     * @param staticField   whether the owner is a static field; if not, it is an instance field of an object
     *                      that a static field holds
     * @param container     the class of the collection where the elements accumulate
     * @param elementClass  the class of which every element adds one instance, e.g.
     *                      {@code dev.refkit.heap.leaks.GrowingStaticList$AuditEvent}
     * @param via           how an element holds its instance of {@code elementClass} when the container holds
     *                      something else ({@code $$Lambda.arg$1}: a lambda capturing it), else {@code ""}
     * @param perRound      how many instances of {@code elementClass} each round adds
     * @param payloadBytes  the bytes of the elements' arrays that each round adds: a lower bound of the growth
     *                      per round of the owner's retained size and of the shallow bytes of {@code byte[]}
     */
    public record Growth(String owner, boolean staticField, String container, String elementClass, String via,
                         long perRound, long payloadBytes) {
    }

    /**
     * What must not grow, though it is larger than the leak or churns: its element count is the same at every
     * dump.
     *
     * @param owner        the static field, as {@code Class.field} in Java names
     * @param container    the class of the collection
     * @param elementClass the class of its values
     * @param count        how many values it holds at every dump
     */
    public record Flat(String owner, String container, String elementClass, long count) {
    }

    /** One program of the corpus: what grows in it (nothing for a healthy one) and what must not. */
    public record Program(String name, List<Growth> growing, List<Flat> flat) {
        /** The program's main class. */
        public String mainClass() {
            return LeakPrograms.PACKAGE + "." + name;
        }

        /** Whether a class, by its Java name, is the program's: its main class or one nested in it, lambdas too. */
        public boolean isProgramClass(String className) {
            return className.equals(mainClass()) || className.startsWith(mainClass() + "$");
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** How many rounds each program runs, and so how many dumps it writes. */
    public static final int DUMPS = 3;

    public static final List<Program> LEAKS = List.of(
            leak("GrowingStaticList", new Growth(inProgram("GrowingStaticList", "$AuditLog.EVENTS"), true,
                    "java.util.ArrayList", inProgram("GrowingStaticList", "$AuditEvent"), "", 1_000, 1_000 * 2_000L)),
            leak("GrowingListeners", new Growth(inProgram("GrowingListeners", "$EventBus.listeners"), false,
                    "java.util.concurrent.CopyOnWriteArrayList", inProgram("GrowingListeners", "$Widget"),
                    "$$Lambda.arg$1", 200, 200 * 10_000L)),
            leak("GrowingSessions", new Growth(inProgram("GrowingSessions", "$SessionStore.SESSIONS"), true,
                    "java.util.concurrent.ConcurrentHashMap", inProgram("GrowingSessions", "$Session"), "", 500,
                    500 * 5_000L)),
            leak("GrowingExecutorQueue", new Growth(inProgram("GrowingExecutorQueue", "$Pipeline.EXECUTOR"), true,
                    "java.util.concurrent.LinkedBlockingQueue", inProgram("GrowingExecutorQueue", "$Payload"),
                    "$$Lambda.arg$1", 1_000, 1_000 * 2_000L)));

    public static final List<Program> HEALTHY = List.of(new Program("NoLeak", List.of(), flat("NoLeak")));

    private static final long CHILD_SECONDS = 180;
    private static final Path SOURCES = Path.of("src", "test", "java", "dev", "refkit", "heap", "leaks");
    private static final Map<String, Object> LOCKS = new ConcurrentHashMap<>();
    private static final Set<String> CHECKED = ConcurrentHashMap.newKeySet();

    private GrowthPrograms() {
    }

    private static Program leak(String name, Growth growth) {
        return new Program(name, List.of(growth), flat(name));
    }

    /** The cache and the LRU that every program holds beside its leak. */
    private static List<Flat> flat(String program) {
        return List.of(
                new Flat(inProgram(program, "$Catalog.ITEMS"), "java.util.HashMap", inProgram(program, "$Item"), 6_000),
                new Flat(inProgram(program, "$RecentlyViewed.PAGES"), inProgram(program, "$Lru"),
                        inProgram(program, "$Page"), 500));
    }

    private static String inProgram(String program, String suffix) {
        return LeakPrograms.PACKAGE + "." + program + suffix;
    }

    /** Every program, leaks first. */
    public static List<Program> all() {
        return Stream.concat(LEAKS.stream(), HEALTHY.stream()).toList();
    }

    /**
     * The dumps of a program's heap after each of its rounds, oldest first, run under a launcher: written by
     * one child JVM the first time they are asked for in a test run, unless {@code target/leak-dumps} holds
     * them and they are still valid.
     *
     * @param program the program's simple class name, e.g. {@code GrowingStaticList}
     * @throws IllegalArgumentException when the program is not one of {@link #all()} (whose names share
     *                                  {@code target/leak-dumps} with {@link LeakPrograms}' without clashing)
     * @throws AssertionError           when the child JVM fails, does not print {@code DUMPED n} for every round
     *                                  or runs longer than 180 s; the message quotes its command and output
     */
    public static List<Path> dumps(String program, Launcher launcher) {
        if (all().stream().noneMatch(p -> p.name().equals(program))) {
            throw new IllegalArgumentException("no growth program " + program + "; they are " + all());
        }
        String name = program + "-" + launcher;
        synchronized (LOCKS.computeIfAbsent(name, n -> new Object())) {
            Path directory = moduleDirectory().resolve("target").resolve("leak-dumps");
            List<Path> dumps = numbered(directory, name);
            if (CHECKED.contains(name)) {
                return dumps;
            }
            try {
                Files.createDirectories(directory);
                List<Path> sources = new ArrayList<>(List.of(source(program)));
                if (launcher == Launcher.OWN_CLASS_LOADER) {
                    sources.add(source(OwnLoaderLauncher.class.getSimpleName()));
                }
                // the dumps are written under other names and moved once all are complete, so none is partial
                String partialPrefix = directory.resolve(name + ".partial").toString();
                List<String> command = command(program, launcher, partialPrefix);
                Path log = directory.resolve(name + ".log");
                String header = "# " + Runtime.version() + ": " + String.join(" ", command);
                if (!isValid(dumps, log, header, sources)) {
                    run(command, header, dumps, numbered(directory, name + ".partial"), log);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the dumps of " + name + " in " + directory, e);
            }
            CHECKED.add(name);
            return dumps;
        }
    }

    /** {@code PREFIX-1.hprof} to {@code PREFIX-3.hprof}: the names the programs give their dumps. */
    private static List<Path> numbered(Path directory, String prefix) {
        return IntStream.rangeClosed(1, DUMPS).mapToObj(n -> directory.resolve(prefix + "-" + n + ".hprof")).toList();
    }

    private static List<String> command(String program, Launcher launcher, String dumpPrefix) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(LeakPrograms.VM_OPTIONS);
        command.addAll(launcher.arguments(program, testClasses(), moduleDirectory().resolve(SOURCES)));
        command.add(dumpPrefix);
        command.add(Integer.toString(DUMPS));
        return command;
    }

    private static boolean isValid(List<Path> dumps, Path log, String header, List<Path> sources)
            throws IOException {
        if (!Files.exists(log) || !dumps.stream().allMatch(Files::exists)) {
            return false;
        }
        try (Stream<String> lines = Files.lines(log, StandardCharsets.UTF_8)) {
            if (!lines.findFirst().orElse("").equals(header)) {
                return false;
            }
        }
        for (Path source : sources) {
            if (Files.getLastModifiedTime(source).compareTo(Files.getLastModifiedTime(dumps.get(0))) > 0) {
                return false;
            }
        }
        return true;
    }

    /** Runs the child JVM in the dump directory (so that the class path's default, ".", holds no class). */
    private static void run(List<String> command, String header, List<Path> dumps, List<Path> partials, Path log)
            throws IOException {
        for (Path file : Stream.concat(dumps.stream(), partials.stream()).toList()) {
            Files.deleteIfExists(file); // the JVM refuses to dump into an existing file
        }
        Files.writeString(log, header + System.lineSeparator(), StandardCharsets.UTF_8);
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(log.getParent().toFile())
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
        List<String> printed = output.lines().toList();
        List<Integer> missing = IntStream.rangeClosed(1, DUMPS)
                .filter(n -> !printed.contains("DUMPED " + n) || !Files.exists(partials.get(n - 1)))
                .boxed().toList();
        if (child.exitValue() != 0 || !missing.isEmpty()) {
            throw new AssertionError("the child JVM exited with " + child.exitValue() + (missing.isEmpty() ? ""
                    : " and wrote no dump " + missing) + "; its log " + log + ":\n" + output);
        }
        for (int i = 0; i < DUMPS; i++) {
            Files.move(partials.get(i), dumps.get(i), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        }
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
            return Path.of(GrowthPrograms.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("the test classes' location is not a path", e);
        }
    }
}
