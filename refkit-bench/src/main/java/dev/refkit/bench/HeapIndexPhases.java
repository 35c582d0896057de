package dev.refkit.bench;

import dev.refkit.heap.HeapDump;
import java.nio.file.Path;
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
            StringBuilder phases = new StringBuilder();
            long start = System.nanoTime();
            long[] phaseStart = {start};
            String[] phase = {"starting"};
            boolean[] opened = {false};
            try (HeapDump heap = HeapDump.open(dump, (name, done, total) -> {
                if (!opened[0] && !name.equals(phase[0])) {
                    long now = System.nanoTime();
                    phases.append(String.format(Locale.ROOT, " %s %.3f,", phase[0], (now - phaseStart[0]) / 1e9));
                    phase[0] = name;
                    phaseStart[0] = now;
                }
            })) {
                long end = System.nanoTime();
                phases.append(String.format(Locale.ROOT, " %s %.3f", phase[0], (end - phaseStart[0]) / 1e9));
                opened[0] = true;
                heap.graph().firstReference(0);
                long read = System.nanoTime();
                System.out.printf(Locale.ROOT, "open %d: %.3f s (%,d objects):%s; then references %.3f s (%,d)%n",
                        run, (end - start) / 1e9, heap.graph().objectCount(), phases, (read - end) / 1e9,
                        heap.info().referenceCount());
            }
        }
    }
}
