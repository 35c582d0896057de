package dev.refkit.bench;

import dev.refkit.heap.HeapDump;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Opens one dump several times in this JVM and prints how long each phase of each open took, from the
 * phases refkit-heap reports to its progress listener ("indexing objects", "sorting objects", "reading
 * references"); the first open pays for JIT compilation and for touching new heap memory, later ones show
 * the work itself:
 * <pre>
 * java -Xmx4g -cp refkit-bench/target/benchmarks.jar dev.refkit.bench.HeapIndexPhases DUMP [OPENS]
 * </pre>
 */
public final class HeapIndexPhases {

    private HeapIndexPhases() {
    }

    public static void main(String[] args) throws Exception {
        Path dump = Path.of(args[0]);
        int opens = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        for (int run = 1; run <= opens; run++) {
            // phase names and start times, formatted after the open: a formatter's first use in a JVM
            // loads classes enough to show in the figures
            List<String> names = new ArrayList<>(List.of("starting"));
            long[] starts = new long[64];
            int[] phases = {1};
            long start = System.nanoTime();
            starts[0] = start;
            boolean[] opened = {false};
            try (HeapDump heap = HeapDump.open(dump, (name, done, total) -> {
                if (!opened[0] && !name.equals(names.get(names.size() - 1)) && phases[0] < starts.length) {
                    starts[phases[0]++] = System.nanoTime();
                    names.add(name);
                }
            })) {
                long end = System.nanoTime();
                opened[0] = true;
                StringBuilder times = new StringBuilder();
                for (int i = 0; i < phases[0]; i++) {
                    long to = i + 1 < phases[0] ? starts[i + 1] : end;
                    times.append(String.format(Locale.ROOT, " %s %.3f%s", names.get(i), (to - starts[i]) / 1e9,
                            i + 1 < phases[0] ? "," : ""));
                }
                heap.graph().firstReference(0);
                long read = System.nanoTime();
                System.out.printf(Locale.ROOT, "open %d: %.3f s (%,d objects):%s; then references %.3f s (%,d)%n",
                        run, (end - start) / 1e9, heap.graph().objectCount(), times, (read - end) / 1e9,
                        heap.info().referenceCount());
            }
        }
    }
}
