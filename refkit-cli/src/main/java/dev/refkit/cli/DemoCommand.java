package dev.refkit.cli;

import dev.refkit.examples.Demo;
import dev.refkit.heap.HeapDump;
import dev.refkit.heap.ProgressListener;
import dev.refkit.heap.analysis.HeapAnalysis;
import dev.refkit.heap.analysis.HeapGrowth;
import dev.refkit.heap.analysis.PathProfile;
import dev.refkit.heap.analysis.LeakSuspect;
import dev.refkit.heap.analysis.PathOptions;
import dev.refkit.heap.analysis.PathTree;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The whole system at work: runs {@link Demo} in a child JVM with a small heap, relays its narration (progress
 * lines redrawn in place on a terminal), then analyzes the heap dump the child wrote of itself.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run the examples in a small-heap JVM and narrate: a soft-reference cache under pressure, "
                + "a listener leak, and the analyzer explaining the leak from a heap dump.")
final class DemoCommand implements Callable<Integer> {

    /** The leaked objects of the scenario, whose paths the demo shows. */
    static final String LEAKED_CLASS = "dev.refkit.examples.ListenerLeak$PriceView";

    @Option(names = "--work-dir", paramLabel = "DIR",
            description = "where the employee database and the heap dumps go (default: refkit/demo in your cache"
                    + " folder: $XDG_CACHE_HOME, else ~/.cache; %%LOCALAPPDATA%% on Windows)")
    Path workDir;

    @Option(names = "--heap", paramLabel = "SIZE", defaultValue = "128m",
            description = "the child JVM's maximum heap (default: ${DEFAULT-VALUE})")
    String heap;

    @Mixin
    OutputOptions output;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Path dir = (workDir != null ? workDir : defaultWorkDir(System.getenv(), System.getProperty("os.name"),
                System.getProperty("user.home"), System.getProperty("java.io.tmpdir"), System.getProperty("user.name")))
                .toAbsolutePath();
        createWorkDir(dir);
        Path dump = dir.resolve("demo.hprof");
        boolean terminal = System.console() != null && !output.quiet;

        out.println("refkit demo: memory that is meant to go away");
        out.println("(the scenario runs in its own JVM, -Xmx" + heap + ", so that memory pressure is real)");
        int exit = runScenario(dir, dump, out, terminal);
        if (exit != 0) {
            spec.commandLine().getErr().println("refkit: the demo's JVM ended with exit code " + exit + "; its output is above");
            return RefkitCli.EXIT_UNREADABLE;
        }
        String fingerprint = explain(dump, out, terminal);
        growth(dump, out, terminal, fingerprint);
        out.println();
        out.println("Try it on your own JVM:");
        out.println("  jps -l                                   # find its process id");
        out.println("  ./refkit dump PID app.hprof --live       # write a heap dump of it");
        out.println("  ./refkit analyze app.hprof --html report.html");
        out.println("  ./refkit paths app.hprof --class com.example.Suspect");
        out.println("  ./refkit histogram " + dump + " --sort retained --top 20");
        out.flush();
        return 0;
    }

    /**
     * The demo's folder when none is given: the user's own, so that two users of one machine never share (nor
     * collide on) the database and the dumps. The cache folder of the platform's convention, else, without a home,
     * a folder named for the user in the temporary folder.
     */
    static Path defaultWorkDir(Map<String, String> env, String osName, String userHome, String tmpDir, String userName) {
        String xdg = env.get("XDG_CACHE_HOME");
        String localAppData = env.get("LOCALAPPDATA");
        if (osName != null && osName.startsWith("Windows") && localAppData != null && !localAppData.isBlank()) {
            return Path.of(localAppData, "refkit", "demo");
        }
        if (xdg != null && Path.of(xdg).isAbsolute()) {
            return Path.of(xdg, "refkit", "demo");
        }
        if (userHome != null && !userHome.isBlank() && !userHome.equals("?")) {
            return Path.of(userHome, ".cache", "refkit", "demo");
        }
        return Path.of(tmpDir, "refkit-demo-" + (userName == null ? "user" : userName.replaceAll("[^A-Za-z0-9._-]", "_")));
    }

    /** Creates the folder (for the user alone where the file system has owners), or says in one line why not. */
    private static void createWorkDir(Path dir) {
        try {
            if (!Files.isDirectory(dir)) {
                boolean posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
                Files.createDirectories(dir.getParent());
                if (posix) {
                    Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                } else {
                    Files.createDirectory(dir);
                }
            }
            if (!Files.isWritable(dir)) {
                throw new IOException("not writable");
            }
        } catch (IOException | UnsupportedOperationException e) {
            throw new UnwritableOutputException("cannot use " + Format.safe(dir.toString()) + " for the demo's database and"
                    + " dumps (" + (e instanceof java.nio.file.FileAlreadyExistsException ? "a file is there"
                    : e instanceof java.nio.file.AccessDeniedException ? "permission denied" : e.getMessage())
                    + "); name another folder with --work-dir DIR", e);
        }
    }

    private int runScenario(Path dir, Path dump, PrintWriter out, boolean terminal) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heap, "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                Demo.class.getName(), dir.toString(), dump.toString()));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        child.getOutputStream().close();
        boolean progressShown = false;
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = lines.readLine()) != null; ) {
                // progress is redrawn in place on standard error: standard output escapes terminal sequences
                PrintWriter err = spec.commandLine().getErr();
                if (line.startsWith(Demo.PROGRESS)) {
                    if (terminal) {
                        err.print("\r\033[K" + Format.fit(Format.safe(line.substring(Demo.PROGRESS.length())), TextReport.WIDTH));
                        err.flush();
                        progressShown = true;
                    }
                    continue;
                }
                if (progressShown) {
                    err.print("\r\033[K");
                    err.flush();
                    progressShown = false;
                }
                out.println(line);
                out.flush();
            }
        }
        if (!child.waitFor(60, TimeUnit.SECONDS)) {
            child.destroyForcibly();
            return -1;
        }
        return child.exitValue();
    }

    /** Step 5: the analysis of the demo's dump; returns the first suspect's fingerprint, or null. */
    private String explain(Path dump, PrintWriter out, boolean terminal) {
        out.println();
        out.println("6. The analyzer on that dump (what 'refkit analyze " + dump.getFileName() + "' shows)");
        ProgressListener progress = terminal ? TerminalProgress.on(spec.commandLine().getErr(), false) : ProgressListener.NONE;
        long start = System.nanoTime();
        try (HeapDump heap = Dumps.open(dump, progress)) {
            HeapAnalysis analysis = HeapAnalysis.of(heap);
            AnalysisReport report = AnalysisReport.of(heap, 5, progress);
            out.printf("   read and analyzed %s objects in %.1f s%n", Format.count(heap.info().objectCount()),
                    (System.nanoTime() - start) / 1e9);
            out.println("   " + TextReport.wrap(report.censusSummary(), TextReport.WIDTH - 3, "   "));
            out.println();
            out.println("   Why are the closed price views still in memory? The merged shortest paths from GC roots:");
            PathTree tree = analysis.mergedPathsToGcRoots(LEAKED_CLASS, PathOptions.excludingNonStrong());
            TextReport.tree(tree, object -> Format.id(heap.graph().objectId(object)), out);
            out.println();
            List<LeakSuspect> suspects = report.suspects();
            out.println("   The leak suspect" + (suspects.isEmpty() ? ": none" : suspects.size() == 1 ? ", told the way to fix it:"
                    : "s, the first told the way to fix it:"));
            int n = 1;
            for (LeakSuspect s : suspects.subList(0, Math.min(3, suspects.size()))) {
                out.printf("   %d. %s%n", n, TextReport.wrap(TextReport.readable(s.summary()), TextReport.WIDTH - 6, "      "));
                if (n++ == 1) {
                    TextReport.suspect(s, "      ", report::id, out);
                }
            }
            return suspects.isEmpty() ? null : suspects.get(0).fingerprint();
        } catch (UncheckedIOException e) {
            throw new UnreadableInputException("cannot analyze the demo's dump " + dump + ": " + e.getMessage(), e);
        }
    }

    /** Step 7: what {@code refkit diff} finds in the growth step's dumps. */
    private void growth(Path dump, PrintWriter out, boolean terminal, String suspectFingerprint) {
        List<Path> files = new ArrayList<>();
        for (int round = 1; round <= Demo.GROWTH_ROUNDS; round++) {
            files.add(Demo.growthDump(dump, round));
        }
        out.println();
        out.println("7. What grew across those dumps (what 'refkit diff " + String.join(" ",
                files.stream().map(f -> f.getFileName().toString()).toList()) + "' shows)");
        ProgressListener progress = terminal ? TerminalProgress.on(spec.commandLine().getErr(), false) : ProgressListener.NONE;
        List<PathProfile> profiles = new ArrayList<>();
        for (Path file : files) {
            try (HeapDump heap = Dumps.open(file, progress)) {
                profiles.add(HeapAnalysis.of(heap).pathProfile());
            }
        }
        HeapGrowth growth = HeapGrowth.of(profiles);
        if (growth.growing().isEmpty()) {
            out.println("   nothing grew at every step");
            return;
        }
        HeapGrowth.GrowingPath first = growth.growing().get(0);
        out.println("   " + TextReport.wrap(TextReport.readable(first.owner() + ": " + String.join(" → ",
                first.counts().stream().map(Format::count).toList()) + " " + first.elementClass()
                + (first.via().isEmpty() ? "" : " via " + first.via()) + ", +" + Format.bytes(first.bytesPerStep())
                + " per step"), TextReport.WIDTH - 3, "   "));
        for (String line : first.path()) {
            out.println("     " + TextReport.readable(line));
        }
        out.println("   fingerprint " + first.fingerprint() + (first.fingerprint().equals(suspectFingerprint)
                ? ": the same leak as the first suspect above" : ""));
    }
}
