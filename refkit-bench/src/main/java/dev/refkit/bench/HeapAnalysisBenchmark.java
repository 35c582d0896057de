package dev.refkit.bench;

import com.sun.management.HotSpotDiagnosticMXBean;
import dev.refkit.heap.HeapDump;
import dev.refkit.heap.analysis.DominatorTree;
import dev.refkit.heap.analysis.HeapAnalysis;
import dev.refkit.heap.analysis.LeakSuspect;
import dev.refkit.heap.analysis.ReachabilityCensus;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.ref.SoftReference;
import java.lang.ref.WeakReference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.netbeans.lib.profiler.heap.Heap;
import org.netbeans.lib.profiler.heap.HeapFactory;
import shark.CloseableHeapGraph;
import shark.HprofHeapGraph;
import shark.HprofIndex;
import shark.internal.ObjectDominators;

/**
 * Heap analysis, refkit against its peers, on one generated dump: each tool runs in its own forked JVM with
 * the same {@code -Xmx} and prints one line per phase, {@code tool phase seconds peak_heap_mb}, where the peak
 * is the JVM's peak heap use so far (all heap pools' peaks added).
 *
 * <p>The dump is written by a forked JVM: a forest of linked nodes with cross links to earlier nodes (so that
 * dominators are not just a tree), every 64th node also holding a soft or weak reference, about
 * {@code --objects} objects in all, dumped with {@code live=true}.
 *
 * <pre>
 * java -cp refkit-bench/target/benchmarks.jar dev.refkit.bench.HeapAnalysisBenchmark \
 *     [--objects 10000000] [--xmx 6g] [--tools refkit,shark,netbeans] [--dump FILE] [--keep]
 * </pre>
 * Phases: refkit {@code open}, {@code reachability}, {@code dominators}, {@code top_retainers},
 * {@code leak_suspects}; Shark 2.14
 * {@code open} (index), {@code dominators} ({@code ObjectDominators}: full dominator tree, retained sizes and
 * the biggest retainers); NetBeans profiler heap library {@code open}, {@code retained}
 * ({@code getBiggestObjectsByRetainedSize}: dominator tree and retained sizes); each tool also {@code total}.
 */
public final class HeapAnalysisBenchmark {

    private static final long WAIT_MINUTES = 60;
    private static final int TOP = 20;

    private HeapAnalysisBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        long objects = 10_000_000;
        String xmx = "6g";
        String tools = "refkit,shark,netbeans";
        Path dump = null;
        boolean keep = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--objects" -> objects = Long.parseLong(args[++i].replace("_", ""));
                case "--xmx" -> xmx = args[++i];
                case "--tools" -> tools = args[++i];
                case "--dump" -> dump = Path.of(args[++i]);
                case "--keep" -> keep = true;
                case "--run" -> {
                    run(args[i + 1], Path.of(args[i + 2]));
                    return;
                }
                case "--write" -> {
                    write(Long.parseLong(args[i + 1]), Path.of(args[i + 2]));
                    return;
                }
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + "; options: --objects N, --xmx SIZE, --tools refkit,shark,netbeans, --dump FILE, --keep");
            }
        }
        Path directory = null;
        if (dump == null) {
            directory = Files.createTempDirectory("refkit-heap-bench");
            dump = directory.resolve("generated.hprof");
            long size = Math.max(2, objects * 120 / (1 << 30) + 1);
            fork(size + "g", "--write", Long.toString(objects), dump.toString());
        }
        System.out.println("tool phase seconds peak_heap_mb");
        try {
            for (String tool : tools.split(",")) {
                fork(xmx, "--run", tool.trim(), dump.toString());
            }
        } finally {
            if (directory != null && !keep) {
                try (var files = Files.list(directory)) {
                    for (Path p : files.toList()) {
                        deleteTree(p);
                    }
                }
                Files.deleteIfExists(directory);
            } else if (directory != null) {
                System.out.println("# dump kept: " + dump);
            }
        }
    }

    private static void deleteTree(Path path) throws IOException {
        if (Files.isDirectory(path)) {
            try (var files = Files.list(path)) {
                for (Path p : files.toList()) {
                    deleteTree(p);
                }
            }
        }
        Files.deleteIfExists(path);
    }

    private static void fork(String xmx, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx" + xmx, "-Xms" + xmx,
                "-cp", System.getProperty("java.class.path"), HeapAnalysisBenchmark.class.getName()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                System.out.println(line);
            }
        }
        if (!process.waitFor(WAIT_MINUTES, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException("the forked JVM (" + String.join(" ", args) + ") did not finish within "
                    + WAIT_MINUTES + " minutes");
        }
        if (process.exitValue() != 0) {
            System.out.println("# forked JVM (" + String.join(" ", args) + ") exited with " + process.exitValue());
        }
    }

    // ---- the generated heap ----

    /** A node of the generated heap: a chain link, an optional cross link, an optional soft or weak holder. */
    static final class Node {
        Node next;
        Node cross;
        Object holder;
        int value;
    }

    static Object[] forest;


    private static void write(long objects, Path file) throws IOException {
        write(new long[] {objects}, new Path[] {file});
    }

    /**
     * Grows the generated heap and dumps it (live) each time it reaches the next count of objects: one dump for
     * this benchmark, several of one growing heap for {@link GrowthBenchmark}.
     */
    static void write(long[] dumpAt, Path[] files) throws IOException {
        SplittableRandom random = new SplittableRandom(42);
        int chains = 1_000;
        forest = new Object[chains];
        Node[] recent = new Node[4096];
        long made = 0;
        int chain = 0;
        Node[] tails = new Node[chains];
        for (int d = 0; d < dumpAt.length; d++) {
            while (made < dumpAt[d]) {
                Node node = new Node();
                node.value = (int) made;
                made++;
                if (tails[chain] == null) {
                    forest[chain] = node;
                } else {
                    tails[chain].next = node;
                }
                tails[chain] = node;
                int slot = (int) (made & (recent.length - 1));
                if (random.nextInt(4) == 0 && recent[slot] != null) {
                    node.cross = recent[random.nextInt(recent.length)];
                }
                if ((made & 63) == 0) {
                    node.holder = random.nextBoolean() ? new SoftReference<>(recent[slot]) : new WeakReference<>(recent[slot]);
                    made++;
                }
                recent[slot] = node;
                if (random.nextInt(64) == 0) {
                    chain = random.nextInt(chains);
                }
            }
            long start = System.nanoTime();
            ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class).dumpHeap(files[d].toString(), true);
            System.out.printf(Locale.ROOT, "# generated %,d objects (%,d bytes of dump) in %s; dump_%d %.3f s%n", made,
                    Files.size(files[d]), files[d], d + 1, (System.nanoTime() - start) / 1e9);
        }
    }

    // ---- one tool in this JVM ----

    private static long start;

    private static void run(String tool, Path file) throws Exception {
        start = System.nanoTime();
        switch (tool) {
            case "refkit" -> runRefkit(file);
            case "shark" -> runShark(file);
            case "netbeans" -> runNetBeans(file);
            default -> throw new IllegalArgumentException("unknown tool " + tool + "; tools: refkit, shark, netbeans");
        }
        phase(tool, "total", start);
    }

    private static void runRefkit(Path file) throws IOException {
        long t = System.nanoTime();
        try (HeapDump dump = HeapDump.open(file)) {
            t = phase("refkit", "open", t);
            HeapAnalysis analysis = HeapAnalysis.of(dump);
            ReachabilityCensus census = analysis.reachability();
            t = phase("refkit", "reachability", t);
            DominatorTree tree = analysis.dominators();
            t = phase("refkit", "dominators", t);
            List<DominatorTree.Retainer> top = tree.topRetainers(TOP);
            t = phase("refkit", "top_retainers", t);
            List<LeakSuspect> suspects = analysis.leakSuspects();
            phase("refkit", "leak_suspects", t);
            System.out.println("# refkit " + census.summary() + "; largest retainer " + top.get(0));
            System.out.println("# refkit " + suspects.size() + " leak suspects"
                    + (suspects.isEmpty() ? "" : "; the first: " + suspects.get(0).summary()));
        }
    }

    private static void runShark(Path file) throws IOException {
        long t = System.nanoTime();
        try (CloseableHeapGraph graph = HprofHeapGraph.Companion.openHeapGraph(file.toFile(), null,
                HprofIndex.Companion.defaultIndexedGcRootTags())) {
            t = phase("shark", "open", t);
            String rendered = new ObjectDominators().renderDominatorTree(graph, List.of(),
                    (int) Math.min(Integer.MAX_VALUE, Files.size(file) / 100), null, false);
            phase("shark", "dominators", t);
            System.out.println("# shark rendered " + rendered.lines().count() + " dominator lines");
        }
    }

    private static void runNetBeans(Path file) throws IOException {
        long t = System.nanoTime();
        File copy = file.toFile();
        Heap heap = HeapFactory.createHeap(copy);
        t = phase("netbeans", "open", t);
        List<?> biggest = heap.getBiggestObjectsByRetainedSize(TOP);
        phase("netbeans", "retained", t);
        System.out.println("# netbeans " + biggest.size() + " biggest objects, "
                + heap.getSummary().getTotalLiveInstances() + " live instances");
    }

    static long phase(String tool, String phase, long since) {
        long now = System.nanoTime();
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        System.out.printf(Locale.ROOT, "%s %s %.3f %d%n", tool, phase, (now - since) / 1e9, peak >> 20);
        return now;
    }
}
