package dev.refkit.bench;

import dev.refkit.heap.HeapDump;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPInputStream;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;
import org.netbeans.lib.profiler.heap.Heap;
import org.netbeans.lib.profiler.heap.HeapFactory;
import shark.CloseableHeapGraph;
import shark.HprofHeapGraph;
import shark.HprofIndex;

/**
 * Time and memory to open and index a heap dump: refkit-heap, LeakCanary's Shark ({@code shark-graph})
 * and the NetBeans profiler heap library, each in its own forked JVM with the same {@code -Xmx}, plus the
 * raw sequential read of the file with the page cache warm. {@code refkit} is {@code HeapDump.open} (ids,
 * positions, classes, roots, histogram: what Shark's open builds); {@code refkit-graph} is the open
 * followed by reading the references into the CSR graph, which Shark and NetBeans leave for later.
 *
 * <pre>
 * java -cp refkit-bench/target/benchmarks.jar dev.refkit.bench.HeapIndexBenchmark \
 *     [--xmx 4g] [--runs 3] [--tools raw,refkit,refkit-graph,shark,netbeans] [--work DIR] DUMP...
 * </pre>
 *
 * A {@code .hprof.gz} dump is unpacked once into the work directory before anything is timed. Each line
 * printed is {@code tool dump seconds peak_heap_mb bytes_per_object retained_bytes_per_object}: the best
 * of the runs (every run's seconds go to standard error, as {@code # tool dump runs: ...});
 * {@code peak_heap_mb} is the largest heap in use right after a collection during the run (live data at its
 * peak, garbage not counted; with a generous {@code -Xmx} few collections happen, so it is a lower bound);
 * {@code bytes_per_object} is, for refkit, its own per-object index figure once the references are read
 * (ids, positions, classes; references excluded: the open alone holds less), and for the others the heap
 * retained after indexing divided by their object count, which {@code retained_bytes_per_object} gives for
 * refkit too.
 */
public final class HeapIndexBenchmark {

    private static final String RESULT = "RESULT";

    private HeapIndexBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length >= 3 && args[0].equals("--child")) {
            child(args[1], Path.of(args[2]));
            return;
        }
        String xmx = "4g";
        int runs = 3;
        List<String> tools = List.of("raw", "refkit", "refkit-graph", "shark", "netbeans");
        Path work = Path.of(System.getProperty("java.io.tmpdir"));
        List<Path> dumps = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--xmx" -> xmx = args[++i];
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--tools" -> tools = List.of(args[++i].split(","));
                case "--work" -> work = Path.of(args[++i]);
                default -> dumps.add(Path.of(args[i]));
            }
        }
        if (dumps.isEmpty()) {
            System.err.println("usage: HeapIndexBenchmark [--xmx 4g] [--runs 3] "
                    + "[--tools raw,refkit,refkit-graph,shark,netbeans]"
                    + " [--work DIR] DUMP...");
            System.exit(2);
        }
        System.out.println("tool dump seconds peak_heap_mb bytes_per_object retained_bytes_per_object");
        for (Path given : dumps) {
            Path dump = given;
            boolean unpacked = false;
            if (given.getFileName().toString().endsWith(".gz")) {
                dump = unpack(given, work);
                unpacked = true;
            }
            try {
                for (String tool : tools) {
                    String best = null;
                    double bestSeconds = Double.MAX_VALUE;
                    StringBuilder every = new StringBuilder();
                    for (int run = 0; run < runs; run++) {
                        deleteNetBeansCache(dump);   // NetBeans would otherwise reuse the index of the last run
                        String[] result = fork(tool, dump, xmx);
                        deleteNetBeansCache(dump);
                        if (result == null) {
                            break;
                        }
                        double seconds = Double.parseDouble(result[0]);
                        every.append(' ').append(result[0]);
                        if (seconds < bestSeconds) {
                            bestSeconds = seconds;
                            best = String.join(" ", result);
                        }
                    }
                    System.out.println(tool + " " + given.getFileName() + " " + (best == null ? "failed" : best));
                    // every fork's seconds, in the order run, for the spread behind the best
                    System.err.println("# " + tool + " " + given.getFileName() + " runs:" + every);
                }
            } finally {
                if (unpacked) {
                    Files.deleteIfExists(dump);
                }
            }
        }
    }

    /** NetBeans keeps its index in {@code DUMP.nbcache} beside the dump and loads it on the next open. */
    private static void deleteNetBeansCache(Path dump) throws IOException {
        Path cache = dump.resolveSibling(dump.getFileName() + ".nbcache");
        if (Files.isDirectory(cache)) {
            try (var files = Files.walk(cache)) {
                for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    private static Path unpack(Path gz, Path work) throws IOException {
        String name = gz.getFileName().toString();
        Path target = Files.createTempFile(work, name.substring(0, name.length() - 3) + "-", ".hprof");
        try (InputStream in = new GZIPInputStream(Files.newInputStream(gz), 1 << 16);
             OutputStream out = Files.newOutputStream(target)) {
            in.transferTo(out);
        }
        return target;
    }

    /** Runs one measurement in a fresh JVM; returns its figures, or null (reported) when it failed. */
    private static String[] fork(String tool, Path dump, String xmx) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-Xmx" + xmx, "-cp",
                System.getProperty("java.class.path"), HeapIndexBenchmark.class.getName(), "--child", tool,
                dump.toString()).redirectErrorStream(true).start();
        String[] result = null;
        StringBuilder output = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (line.startsWith(RESULT + " ")) {
                    result = line.substring(RESULT.length() + 1).split(" ");
                } else {
                    output.append(line).append('\n');
                }
            }
        }
        if (!p.waitFor(1, TimeUnit.HOURS) || p.exitValue() != 0 || result == null) {
            p.destroyForcibly();
            System.err.println(tool + " failed on " + dump + ":\n" + output);
            return null;
        }
        return result;
    }

    /** The largest heap in use just after a collection: live data at its peak, not allocation volume. */
    private static final AtomicLong PEAK_AFTER_GC = new AtomicLong();

    private static void watchCollections() {
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            ((NotificationEmitter) gc).addNotificationListener((notification, handback) -> {
                if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
                    GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from(
                            (CompositeData) notification.getUserData());
                    long used = 0;
                    for (MemoryUsage usage : info.getGcInfo().getMemoryUsageAfterGc().values()) {
                        used += usage.getUsed();
                    }
                    PEAK_AFTER_GC.accumulateAndGet(used, Math::max);
                }
            }, null, null);
        }
    }

    private static void child(String tool, Path dump) throws Exception {
        collect();
        long baseline = usedHeap();
        watchCollections();
        if (tool.equals("raw")) {
            rawRead(dump);
        }
        long start = System.nanoTime();
        Object index;
        long objects;
        double ownFigure = -1;
        switch (tool) {
            case "raw" -> {
                index = rawRead(dump);
                objects = 0;
            }
            case "refkit", "refkit-graph" -> {
                HeapDump heap = HeapDump.open(dump);
                if (tool.equals("refkit-graph")) {
                    heap.graph().firstReference(0);
                }
                index = heap;
                objects = heap.graph().objectCount();
            }
            case "shark" -> {
                CloseableHeapGraph graph = HprofHeapGraph.Companion.openHeapGraph(dump.toFile(), null,
                        HprofIndex.Companion.defaultIndexedGcRootTags());
                index = graph;
                objects = graph.getObjectCount();
            }
            case "netbeans" -> {
                Heap heap = HeapFactory.createHeap(dump.toFile());
                heap.getAllClasses();
                // the first lookup of an instance builds the library's id index
                for (Object root : heap.getGCRoots()) {
                    ((org.netbeans.lib.profiler.heap.GCRoot) root).getInstance();
                    break;
                }
                objects = heap.getSummary().getTotalLiveInstances();
                index = heap;
            }
            default -> throw new IllegalArgumentException("unknown tool " + tool);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        collect();
        long retained = usedHeap() - baseline;
        long peak = Math.max(PEAK_AFTER_GC.get(), usedHeap());
        Reference.reachabilityFence(index);
        if (index instanceof HeapDump heap) {
            ownFigure = heap.info().indexBytesPerObject();   // reads the references if the open did not
        }
        double retainedPerObject = objects > 0 ? (double) retained / objects : 0;
        System.out.println(String.format(Locale.ROOT, "%s %.3f %d %.1f %.1f", RESULT, seconds, peak >> 20,
                ownFigure >= 0 ? ownFigure : retainedPerObject, retainedPerObject));
        if (index instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }

    /** Reads the whole file sequentially; returns a checksum so the reads cannot be elided. */
    private static Long rawRead(Path dump) throws IOException {
        long sum = 0;
        ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
        try (FileChannel channel = FileChannel.open(dump, StandardOpenOption.READ)) {
            while (channel.read(buffer) > 0) {
                buffer.flip();
                while (buffer.remaining() >= 8) {
                    sum += buffer.getLong();
                }
                buffer.clear();
            }
        }
        return sum;
    }

    private static void collect() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
    }

    private static long usedHeap() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
