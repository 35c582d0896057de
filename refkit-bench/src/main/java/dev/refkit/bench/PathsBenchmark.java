package dev.refkit.bench;

import com.sun.management.HotSpotDiagnosticMXBean;
import dev.refkit.heap.HeapClass;
import dev.refkit.heap.HeapDump;
import dev.refkit.heap.HeapGraph;
import dev.refkit.heap.ObjectRef;
import dev.refkit.heap.analysis.GcRootPath;
import dev.refkit.heap.analysis.HeapAnalysis;
import dev.refkit.heap.analysis.PathOptions;
import dev.refkit.heap.analysis.PathTree;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * {@code refkit paths} on ordinary structures that are large in one dimension: for each size, a forked JVM dumps a
 * heap holding an {@code ArrayList} of SIZE items and a linked chain of SIZE links, and another forked JVM times
 * the merged paths to every item, to every link, and the one path to the chain's last link. Prints
 * {@code size query seconds}; time that grows linearly with the size is the claim.
 *
 * <pre>
 * java -cp refkit-bench/target/benchmarks.jar dev.refkit.bench.PathsBenchmark [--sizes 1000000,10000000] [--xmx 4g]
 * </pre>
 */
public final class PathsBenchmark {

    /** An element of the big list. */
    static final class Item {
        int value;
    }

    /** A link of the deep chain. */
    static final class Link {
        Link next;
    }

    static List<Item> items;
    static Link chain;

    private PathsBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        String sizes = "250000,1000000,2500000,10000000";
        String xmx = "4g";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--sizes" -> sizes = args[++i];
                case "--xmx" -> xmx = args[++i];
                case "--write" -> {
                    write(Integer.parseInt(args[i + 1]), Path.of(args[i + 2]));
                    return;
                }
                case "--run" -> {
                    run(Path.of(args[i + 1]), args[i + 2]);
                    return;
                }
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + "; options: --sizes N,N..., --xmx SIZE");
            }
        }
        Path directory = Files.createTempDirectory("refkit-paths-bench");
        System.out.println("size query seconds");
        try {
            for (String size : sizes.split(",")) {
                Path dump = directory.resolve("paths-" + size + ".hprof");
                fork(xmx, "--write", size, dump.toString());
                fork(xmx, "--run", dump.toString(), size);
                Files.deleteIfExists(dump);
            }
        } finally {
            Files.deleteIfExists(directory);
        }
    }

    private static void fork(String xmx, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + xmx, "-Xss16m", "-cp", System.getProperty("java.class.path"), PathsBenchmark.class.getName()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                System.out.println(line);
            }
        }
        if (!process.waitFor(30, TimeUnit.MINUTES) || process.exitValue() != 0) {
            System.out.println("# forked JVM (" + String.join(" ", args) + ") failed or timed out");
        }
    }

    private static void write(int size, Path file) throws IOException {
        items = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            Item item = new Item();
            item.value = i;
            items.add(item);
        }
        Link head = new Link();
        Link tail = head;
        for (int i = 1; i < size; i++) {
            tail.next = new Link();
            tail = tail.next;
        }
        chain = head;
        tail = null;
        head = null;
        ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class).dumpHeap(file.toString(), true);
    }

    private static void run(Path file, String size) throws IOException {
        try (HeapDump dump = HeapDump.open(file)) {
            HeapAnalysis analysis = HeapAnalysis.of(dump);
            analysis.reachability();
            long t = System.nanoTime();
            PathTree items = analysis.mergedPathsToGcRoots(Item.class.getName(), PathOptions.excludingNonStrong());
            t = print(size, "merged_paths_to_items", t, items.reached());
            PathTree links = analysis.mergedPathsToGcRoots(Link.class.getName(), PathOptions.excludingNonStrong());
            t = print(size, "merged_paths_to_links", t, links.reached());
            int last = lastLink(dump.graph());
            List<GcRootPath> path = analysis.pathsToGcRoots(last, PathOptions.excludingNonStrong());
            print(size, "path_to_last_link", t, path.get(0).length());
        }
    }

    private static long print(String size, String query, long since, long found) {
        long now = System.nanoTime();
        System.out.printf(Locale.ROOT, "%s %s %.3f  # %,d%n", size, query, (now - since) / 1e9, found);
        return now;
    }

    private static int lastLink(HeapGraph graph) {
        HeapClass link = graph.findClass(Link.class.getName());
        for (int o = 0; o < graph.objectCount(); o++) {
            if (graph.classOf(o) == link && !(graph.fieldValue(o, "next") instanceof ObjectRef)) {
                return o;
            }
        }
        throw new IllegalStateException("no last link");
    }
}
