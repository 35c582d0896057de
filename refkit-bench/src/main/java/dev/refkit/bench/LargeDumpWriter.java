package dev.refkit.bench;

import dev.refkit.heap.analysis.Reachability;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Locale;

/**
 * Writes a synthetic HPROF 1.0.2 heap dump of any size, streaming, in a few MB of memory: the input of the
 * measurements of issue #16 (dumps larger than memory, more than 2^31 objects or references).
 *
 * <pre>
 * java -Xmx64m -cp refkit-bench/target/benchmarks.jar dev.refkit.bench.LargeDumpWriter \
 *     (--objects N | --bytes SIZE) [--ids 8|4] [--minimal] [--seed N] [--fsync] [--estimate] FILE
 * </pre>
 * <ul>
 * <li>{@code --objects 300_000_000} stops at that many objects, {@code --bytes 30g} at that size of file
 * (k, m, g, t: powers of 1024); with both, at whichever comes first. The last structure may go a little past.
 * <li>By default the heap is an application's ({@link SyntheticJvmHeap}): JDK and application classes, linked
 * runs, hash maps, soft and weak references, big arrays, cross links, garbage; 7.6 references per object and
 * about 110 bytes of file per object (300 million objects: 33 GB). {@code --minimal} writes field-less objects instead ({@link MinimalHeap}),
 * 17 bytes each with {@code --ids 4}, and dense ids past 2^29 objects so that more than 2^31 fit.
 * <li>{@code --estimate} writes nothing: with {@code --minimal}, the file's size is computed; otherwise the
 * heap is generated into a byte counter, which takes the CPU time of writing without the disk.
 * <li>{@code --fsync} forces the file to the disk before the clock stops (otherwise the time is until the
 * last byte is in the page cache).
 * </ul>
 * It prints the objects by the reachability it intended, the references (as refkit counts edges: each object's
 * class, a class's super class and object statics, non-null fields and array elements), the GC roots, the
 * bytes and the write speed.
 */
public final class LargeDumpWriter {

    private LargeDumpWriter() {
    }

    /** What to write. */
    record Options(Path file, long objects, long bytes, int idSize, boolean minimal, long seed) {
    }

    public static void main(String[] args) throws IOException {
        long objects = 0;
        long bytes = 0;
        int idSize = 8;
        boolean minimal = false;
        boolean estimate = false;
        boolean fsync = false;
        long seed = 42;
        Path file = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--objects" -> objects = count(value(args, ++i));
                case "--bytes" -> bytes = size(value(args, ++i));
                case "--ids" -> idSize = Integer.parseInt(value(args, ++i));
                case "--minimal" -> minimal = true;
                case "--estimate" -> estimate = true;
                case "--fsync" -> fsync = true;
                case "--seed" -> seed = count(value(args, ++i));
                default -> {
                    if (args[i].startsWith("--") || file != null) {
                        usage("unknown option or second file: " + args[i]);
                    }
                    file = Path.of(args[i]);
                }
            }
        }
        if (objects <= 0 && bytes <= 0) {
            usage("say how big: --objects N or --bytes SIZE");
        }
        if (idSize != 4 && idSize != 8) {
            usage("--ids is 4 or 8");
        }
        if (minimal && objects <= 0) {
            usage("--minimal needs --objects N");
        }
        if (file == null && !estimate) {
            usage("name the file to write");
        }
        Options options = new Options(file, objects, bytes, idSize, minimal, seed);
        if (estimate) {
            estimate(options);
            return;
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long cpuStart = threads.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        DumpTally tally = write(options, fsync);
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpu = (threads.getCurrentThreadCpuTime() - cpuStart) / 1e9;
        System.out.printf(Locale.ROOT, "wrote %s: HPROF 1.0.2, %d-byte ids, %s heap, seed %d%n", file, idSize,
                minimal ? "minimal" : "application", seed);
        print(tally);
        System.out.printf(Locale.ROOT, "  time        %.1f s, %.0f MB/s (10^6 bytes)%s; the writing thread's CPU"
                        + " %.1f s, %.0f MB/s%n", seconds, tally.fileBytes / seconds / 1e6,
                fsync ? ", forced to disk" : ", until in the page cache", cpu, tally.fileBytes / cpu / 1e6);
    }

    /** Writes the dump {@code options} describe and returns what it holds. */
    static DumpTally write(Options options, boolean fsync) throws IOException {
        DumpTally tally;
        try (HprofStream out = HprofStream.create(options.file(), options.idSize(), HeapGenerator.TIMESTAMP)) {
            tally = generate(out, options);
        }
        if (fsync) {
            try (FileChannel channel = FileChannel.open(options.file(), StandardOpenOption.WRITE)) {
                channel.force(true);
            }
        }
        tally.fileBytes = Files.size(options.file());
        return tally;
    }

    private static DumpTally generate(HprofStream out, Options options) throws IOException {
        return options.minimal()
                ? new MinimalHeap(out, options.objects()).generate()
                : new SyntheticJvmHeap(out, options.seed(), options.objects(), options.bytes()).generate();
    }

    private static void estimate(Options options) throws IOException {
        if (options.minimal()) {
            long size = MinimalHeap.estimateBytes(options.objects(), options.idSize());
            long blocks = options.objects() / (MinimalHeap.BLOCK + 1);
            System.out.printf(Locale.ROOT, "a minimal dump of %,d objects with %d-byte ids%s would take %,d bytes"
                            + " (%s, %.1f bytes per object): about %,d references; nothing written%n",
                    options.objects(), options.idSize(),
                    options.idSize() == 4 && options.objects() > MinimalHeap.MAX_ALIGNED_32 ? " (dense ids)" : "",
                    size, bytes(size), (double) size / options.objects(),
                    options.objects() + blocks * (MinimalHeap.BLOCK / 2 + 1));
            return;
        }
        long start = System.nanoTime();
        HprofStream counting = HprofStream.counting(options.idSize(), HeapGenerator.TIMESTAMP);
        DumpTally tally = generate(counting, options);
        counting.close();
        tally.fileBytes = counting.position();
        System.out.printf(Locale.ROOT, "generated without writing (%.1f s): HPROF 1.0.2, %d-byte ids, seed %d%n",
                (System.nanoTime() - start) / 1e9, options.idSize(), options.seed());
        print(tally);
    }

    private static void print(DumpTally tally) {
        System.out.printf(Locale.ROOT, "  objects     %,d: %s%n", tally.objects(), tally.census());
        System.out.printf(Locale.ROOT, "              %,d classes, %,d instances, %,d object arrays,"
                        + " %,d primitive arrays%n", tally.classes, tally.instances, tally.objectArrays,
                tally.primitiveArrays);
        System.out.printf(Locale.ROOT, "  references  %,d (%.2f per object%s)%n", tally.references,
                tally.referencesPerObject(), tally.references > Integer.MAX_VALUE ? "; more than 2^31" : "");
        System.out.printf(Locale.ROOT, "  gc roots    %,d%n", tally.gcRoots);
        System.out.printf(Locale.ROOT, "  bytes       %,d (%s, %.1f per object)%n", tally.fileBytes,
                bytes(tally.fileBytes), (double) tally.fileBytes / tally.objects());
        System.out.printf(Locale.ROOT, "  heap        %s of objects in the VM that wrote it (%s strongly reachable)%n",
                bytes(Arrays.stream(tally.shallowBytes).sum()), bytes(tally.shallowBytes(Reachability.STRONG)));
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            usage(args[i - 1] + " needs a value");
        }
        return args[i];
    }

    /** A count: digits with optional underscores, e.g. {@code 300_000_000}. */
    static long count(String text) {
        return Long.parseLong(text.replace("_", "").replace(",", ""));
    }

    /** A size: a count with an optional k, m, g or t (powers of 1024), e.g. {@code 30g}. */
    static long size(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        int shift = switch (t.isEmpty() ? ' ' : t.charAt(t.length() - 1)) {
            case 'k' -> 10;
            case 'm' -> 20;
            case 'g' -> 30;
            case 't' -> 40;
            default -> 0;
        };
        return count(shift == 0 ? t : t.substring(0, t.length() - 1)) << shift;
    }

    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = n;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }

    private static void usage(String problem) {
        System.err.println("LargeDumpWriter: " + problem);
        System.err.println("usage: LargeDumpWriter (--objects N | --bytes SIZE) [--ids 8|4] [--minimal] [--seed N]"
                + " [--fsync] [--estimate] FILE");
        System.exit(2);
    }
}
