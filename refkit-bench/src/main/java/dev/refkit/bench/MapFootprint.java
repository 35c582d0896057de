package dev.refkit.bench;

import java.lang.ref.Reference;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.openjdk.jol.info.GraphLayout;
import org.openjdk.jol.vm.VM;

/**
 * Bytes per entry of refkit's {@code ReferenceMap} and its peers, measured with JOL over the map's object
 * graph, keys and values excluded: {@code (size(map with n entries) - size(empty map)) / n}.
 * Prints one line per impl and config, {@code impl config bytes_per_entry}, for 100,000 entries, or for
 * each entry count given as an argument (each block headed by a {@code # entries=N} line).
 *
 * <pre>
 * java -cp refkit-bench/target/benchmarks.jar dev.refkit.bench.MapFootprint [N ...]
 * </pre>
 */
public final class MapFootprint {

    private MapFootprint() {
    }

    public static void main(String[] args) {
        List<Integer> sizes = new ArrayList<>();
        for (String arg : args) {
            sizes.add(Integer.parseInt(arg.replace("_", "")));
        }
        if (sizes.isEmpty()) {
            sizes.add(100_000);
        }
        for (int entries : sizes) {
            if (sizes.size() > 1) {
                System.out.println("# entries=" + entries);
            }
            for (String config : MapPeers.CONFIGS) {
                for (String impl : MapPeers.IMPLS) {
                    if (MapPeers.supports(impl, config)) {
                        System.out.printf("%s %s %.1f%n", impl, config, bytesPerEntry(impl, config, entries));
                    }
                }
            }
        }
    }

    static double bytesPerEntry(String impl, String config, int entries) {
        // Built the way maps are usually built: default capacity, grown by insertion.
        Map<Object, Object> empty = MapPeers.create(impl, config, 16);
        long base = GraphLayout.parseInstance(empty).totalSize();
        Map<Object, Object> map = MapPeers.create(impl, config, 16);
        Object[] keys = new Object[entries];
        Object[] values = new Object[entries];
        for (int i = 0; i < entries; i++) {
            keys[i] = new ReferenceMapBenchmark.Key(i);
            values[i] = new ReferenceMapBenchmark.Key(-i - 1);
            map.put(keys[i], values[i]);
        }
        // Sizes, not address sets: objects may move between two walks. Every key and value is in the map's
        // graph (JOL follows Reference.referent like any other field), so their total is subtracted.
        long keysAndValues = GraphLayout.parseInstance(keys, values).totalSize()
                - VM.current().sizeOf(keys) - VM.current().sizeOf(values);
        long total = GraphLayout.parseInstance(map).totalSize() - keysAndValues;
        if (map.size() != entries) {
            throw new IllegalStateException(impl + " " + config + ": " + map.size() + " entries of " + entries
                    + " left: a collection cleared entries whose keys and values were still held");
        }
        Reference.reachabilityFence(keys);
        Reference.reachabilityFence(values);
        return (double) (total - base) / entries;
    }
}
