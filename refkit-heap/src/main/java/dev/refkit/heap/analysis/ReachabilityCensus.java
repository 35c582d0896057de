package dev.refkit.heap.analysis;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Every object of a heap dump classified by the reachability rule, and the totals per {@link Reachability}
 * and per Java class.
 *
 * <p>Bytes are shallow sizes as the dump records them (HotSpot's instance field bytes plus the header the
 * reader assumes), so totals are estimates of the live heap, not of the process's memory.
 */
public final class ReachabilityCensus {

    /**
     * The objects of one Java class at one reachability.
     *
     * @param className    the class's name as Java writes it ({@code java.lang.String}, {@code int[]}), or
     *                     {@code "<no class>"} for objects the dump gives no class
     * @param reachability the reachability of these objects
     * @param count        how many objects
     * @param shallowBytes the sum of their shallow sizes
     */
    public record ClassCount(String className, Reachability reachability, long count, long shallowBytes) {
        public ClassCount {
            Objects.requireNonNull(className, "className");
            Objects.requireNonNull(reachability, "reachability");
        }
    }

    static final String NO_CLASS = "<no class>";

    private final byte[] levels;
    private final long[] counts;
    private final long[] bytes;
    private final List<ClassCount> classCounts;

    private ReachabilityCensus(byte[] levels, long[] counts, long[] bytes, List<ClassCount> classCounts) {
        this.levels = levels;
        this.counts = counts;
        this.bytes = bytes;
        this.classCounts = classCounts;
    }

    /** The per-object levels, for the analyses that build on the census. */
    byte[] levels() {
        return levels;
    }

    static ReachabilityCensus of(ObjectGraph graph) {
        byte[] levels = ReachabilityWalk.classify(graph);
        int kinds = Reachability.values().length;
        int classes = graph.classCount();
        // Row 'classes' collects the objects without a class.
        long[] classObjects = new long[(classes + 1) * kinds];
        long[] classBytes = new long[(classes + 1) * kinds];
        long[] counts = new long[kinds];
        long[] bytes = new long[kinds];
        for (int o = 0, n = graph.objectCount(); o < n; o++) {
            int level = levels[o];
            long size = graph.shallowSize(o);
            int cls = graph.classOf(o);
            int row = (cls < 0 || cls >= classes ? classes : cls) * kinds + level;
            counts[level]++;
            bytes[level] += size;
            classObjects[row]++;
            classBytes[row] += size;
        }
        List<ClassCount> rows = new ArrayList<>();
        for (int cls = 0; cls <= classes; cls++) {
            for (int level = 0; level < kinds; level++) {
                int row = cls * kinds + level;
                if (classObjects[row] > 0) {
                    String name = cls == classes ? NO_CLASS : graph.className(cls);
                    rows.add(new ClassCount(name, Reachability.ofOrdinal(level), classObjects[row], classBytes[row]));
                }
            }
        }
        rows.sort(Comparator.comparingLong(ClassCount::shallowBytes).reversed()
                .thenComparing(ClassCount::className).thenComparing(ClassCount::reachability));
        return new ReachabilityCensus(levels, counts, bytes, Collections.unmodifiableList(rows));
    }

    /** The reachability of one object, by its index in the heap graph. */
    public Reachability reachability(int object) {
        Objects.checkIndex(object, levels.length);
        return Reachability.ofOrdinal(levels[object]);
    }

    /** How many objects have the given reachability. */
    public long count(Reachability reachability) {
        return counts[reachability.ordinal()];
    }

    /** The shallow bytes of the objects that have the given reachability. */
    public long shallowBytes(Reachability reachability) {
        return bytes[reachability.ordinal()];
    }

    /** All objects' count. */
    public long totalCount() {
        long total = 0;
        for (long c : counts) {
            total += c;
        }
        return total;
    }

    /** All objects' shallow bytes. */
    public long totalShallowBytes() {
        long total = 0;
        for (long b : bytes) {
            total += b;
        }
        return total;
    }

    /** Shallow bytes per reachability, strongest first. */
    public Map<Reachability, Long> shallowBytesByReachability() {
        Map<Reachability, Long> map = new EnumMap<>(Reachability.class);
        for (Reachability r : Reachability.values()) {
            map.put(r, bytes[r.ordinal()]);
        }
        return map;
    }

    /** One row per (class, reachability) that has objects, most shallow bytes first. */
    public List<ClassCount> classCounts() {
        return classCounts;
    }

    /**
     * One line for a person: how much of the heap is only softly reachable (what the collector may take back
     * under memory pressure) and how much is already garbage, e.g. {@code "1,200 objects, 96.0 KB: strong
     * 80.0 KB (83.3%), only softly reachable 12.0 KB (12.5%), weak/finalizer/phantom 1.0 KB (1.0%),
     * unreachable garbage 3.0 KB (3.1%)"}.
     */
    public String summary() {
        long total = totalShallowBytes();
        long collectableSoon = bytes[Reachability.WEAK.ordinal()] + bytes[Reachability.FINALIZER.ordinal()]
                + bytes[Reachability.PHANTOM.ordinal()];
        return String.format(Locale.ROOT, "%,d objects, %s: strong %s, only softly reachable %s,"
                        + " weak/finalizer/phantom %s, unreachable garbage %s",
                totalCount(), Bytes.format(total),
                share(bytes[Reachability.STRONG.ordinal()], total),
                share(bytes[Reachability.SOFT.ordinal()], total),
                share(collectableSoon, total),
                share(bytes[Reachability.UNREACHABLE.ordinal()], total));
    }

    private static String share(long part, long total) {
        double percent = total == 0 ? 0 : 100.0 * part / total;
        return String.format(Locale.ROOT, "%s (%.1f%%)", Bytes.format(part), percent);
    }
}
