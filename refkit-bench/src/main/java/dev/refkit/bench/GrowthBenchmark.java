package dev.refkit.bench;

import dev.refkit.heap.HeapDump;
import dev.refkit.heap.analysis.HeapAnalysis;
import dev.refkit.heap.analysis.HeapGrowth;
import dev.refkit.heap.analysis.PathProfile;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Comparing dumps of one growing heap: the generated heap of {@link HeapAnalysisBenchmark}, dumped three times as
 * it grows to {@code --objects}, then each tool in its own forked JVM with the same {@code -Xmx}, printing
 * {@code tool phase seconds peak_heap_mb}:
 * <ul>
 * <li>{@code refkit-analyze}: open, census, dominators and leak suspects of the last dump, the cost of analysing
 * one dump (the budget: comparing three may take 3.5 times it);
 * <li>{@code refkit-diff}: each dump's path profile in turn ({@code profile_1} …), then {@link HeapGrowth}.
 * </ul>
 * The generator prints how long each dump took to write ({@code dump_N}), the other cost of a comparison. The
 * peer, LeakCanary 3's {@code ObjectGrowthDetector}, cannot run here: its JVM artifact (Shark 3.0-alpha-8, on
 * Maven Central) needs {@code androidx.collection}, which only Google's repository serves.
 *
 * <pre>
 * java -cp refkit-bench/target/benchmarks.jar dev.refkit.bench.GrowthBenchmark \
 *     [--objects 10000000] [--xmx 6g] [--tools refkit-analyze,refkit-diff,shark3] [--dumps PREFIX] [--keep]
 * </pre>
 */
public final class GrowthBenchmark {

    private static final long WAIT_MINUTES = 60;
    private static final int DUMPS = 3;

    private GrowthBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        long objects = 10_000_000;
        String xmx = "6g";
        String tools = "refkit-analyze,refkit-diff";
        String prefix = null;
        boolean keep = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--objects" -> objects = Long.parseLong(args[++i].replace("_", ""));
                case "--xmx" -> xmx = args[++i];
                case "--tools" -> tools = args[++i];
                case "--dumps" -> prefix = args[++i];
                case "--keep" -> keep = true;
                case "--run" -> {
                    run(args[i + 1], files(args[i + 2]));
                    return;
                }
                case "--write" -> {
                    long total = Long.parseLong(args[i + 1]);
                    HeapAnalysisBenchmark.write(new long[] {total * 8 / 10, total * 9 / 10, total},
                            files(args[i + 2]).toArray(Path[]::new));
                    return;
                }
                default -> throw new IllegalArgumentException("unknown option " + args[i] + "; options: --objects N,"
                        + " --xmx SIZE, --tools refkit-analyze,refkit-diff, --dumps PREFIX, --keep");
            }
        }
        Path directory = null;
        if (prefix == null) {
            directory = Files.createTempDirectory("refkit-growth-bench");
            prefix = directory.resolve("growing").toString();
            long size = Math.max(2, objects * 120 / (1 << 30) + 1);
            fork(size + "g", List.of(), "--write", Long.toString(objects), prefix);
        }
        System.out.println("tool phase seconds peak_heap_mb");
        try {
            for (String tool : tools.split(",")) {
                fork(xmx, List.of(), "--run", tool.trim(), prefix);
            }
        } finally {
            if (directory != null && !keep) {
                for (Path file : files(prefix)) {
                    Files.deleteIfExists(file);
                }
                Files.deleteIfExists(directory);
            } else if (directory != null) {
                System.out.println("# dumps kept: " + prefix + "-{1,2,3}.hprof");
            }
        }
    }

    private static List<Path> files(String prefix) {
        List<Path> files = new ArrayList<>();
        for (int d = 1; d <= DUMPS; d++) {
            files.add(Path.of(prefix + "-" + d + ".hprof"));
        }
        return files;
    }

    private static void fork(String xmx, List<String> jvm, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + xmx, "-Xms" + xmx));
        command.addAll(jvm);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), GrowthBenchmark.class.getName()));
        command.addAll(List.of(args));
        await(command);
    }

    private static void await(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                System.out.println(line);
            }
        }
        if (!process.waitFor(WAIT_MINUTES, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException("the forked JVM did not finish within " + WAIT_MINUTES + " minutes");
        }
        if (process.exitValue() != 0) {
            System.out.println("# forked JVM exited with " + process.exitValue());
        }
    }

    private static void run(String tool, List<Path> files) throws IOException {
        long start = System.nanoTime();
        switch (tool) {
            case "refkit-analyze" -> {
                long t = System.nanoTime();
                try (HeapDump dump = HeapDump.open(files.get(files.size() - 1))) {
                    HeapAnalysis analysis = HeapAnalysis.of(dump);
                    analysis.reachability();
                    analysis.dominators();
                    int suspects = analysis.leakSuspects().size();
                    HeapAnalysisBenchmark.phase(tool, "analyze_last", t);
                    System.out.println("# " + suspects + " leak suspects in the last dump");
                }
            }
            case "refkit-diff" -> {
                List<PathProfile> profiles = new ArrayList<>();
                for (int d = 0; d < files.size(); d++) {
                    long t = System.nanoTime();
                    try (HeapDump dump = HeapDump.open(files.get(d))) {
                        profiles.add(HeapAnalysis.of(dump).pathProfile());
                    }
                    HeapAnalysisBenchmark.phase(tool, "profile_" + (d + 1), t);
                    System.gc(); // as refkit diff does: the last dump's index goes before the next is read
                }
                long t = System.nanoTime();
                HeapGrowth growth = HeapGrowth.of(profiles);
                HeapAnalysisBenchmark.phase(tool, "compare", t);
                System.out.println("# " + growth.growing().size() + " growing paths"
                        + (growth.growing().isEmpty() ? "" : "; the first: " + growth.growing().get(0).owner() + " → "
                        + growth.growing().get(0).elementClass() + " " + growth.growing().get(0).counts()));
            }
            default -> throw new IllegalArgumentException("unknown tool " + tool + "; tools: refkit-analyze, refkit-diff");
        }
        HeapAnalysisBenchmark.phase(tool, "total", start);
    }
}
