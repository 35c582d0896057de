package dev.refkit.heap.analysis;

import dev.refkit.heap.ProgressListener;
import dev.refkit.heap.index.ByteArray;
import dev.refkit.heap.index.Storage;
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
        /**
         * Checks that the class and the reachability are given.
         *
         * @param className    the class's name as Java writes it ({@code java.lang.String}, {@code int[]}), or
         *     {@code "<no class>"} for objects the dump gives no class
         * @param reachability the reachability of these objects
         * @param count        how many objects
         * @param shallowBytes the sum of their shallow sizes
         */
        public ClassCount {
            Objects.requireNonNull(className, "className");
            Objects.requireNonNull(reachability, "reachability");
        }
    }

    static final String NO_CLASS = "<no class>";

    private final ByteArray levels;
    private final boolean heldByJvm;
    private final long[] counts;
    private final long[] bytes;
    private final List<ClassCount> classCounts;

    private ReachabilityCensus(ByteArray levels, long[] counts, long[] bytes, List<ClassCount> classCounts,
                               boolean heldByJvm) {
        this.heldByJvm = heldByJvm;
        this.levels = levels;
        this.counts = counts;
        this.bytes = bytes;
        this.classCounts = classCounts;
    }

    /** The per-object levels, for the analyses that build on the census. */
    ByteArray levels() {
        return levels;
    }

    static ReachabilityCensus of(ObjectGraph graph) {
        return of(graph, ProgressListener.NONE);
    }

    /** The census, telling {@code listener} how far it has come: the walk, the tally and the live-dump check. */
    static ReachabilityCensus of(ObjectGraph graph, ProgressListener listener) {
        PhaseProgress progress = PhaseProgress.of(listener, "reachability", 4, graph.objectCount());
        ByteArray levels = ReachabilityWalk.classify(graph, progress);
        int kinds = Reachability.values().length;
        int classes = graph.classCount();
        // Row 'classes' collects the objects without a class.
        long[] classObjects = new long[(classes + 1) * kinds];
        long[] classBytes = new long[(classes + 1) * kinds];
        long[] counts = new long[kinds];
        long[] bytes = new long[kinds];
        for (int o = 0, n = graph.objectCount(); o < n; o++) {
            if ((o & PhaseProgress.MASK) == 0) {
                progress.at(1, o);
            }
            int level = levels.get(o);
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
        boolean heldByJvm = counts[Reachability.UNREACHABLE.ordinal()] > 0
                && unreachableHeldByJvm(graph, levels, progress);
        progress.done();
        return new ReachabilityCensus(levels, counts, bytes, Collections.unmodifiableList(rows), heldByJvm);
    }

    /**
     * Whether every unreachable object hangs from an unreachable object of a kind HotSpot keeps without writing a GC
     * root for it: an interned {@code String}, a class object (hidden classes), the {@code java.lang.invoke} and
     * reflection objects behind them (and their soft caches), the immutable collections of the class-data-sharing
     * archive, an object array a class holds, a thread the VM is starting or ending, or a filler a collector left
     * in the place of dead objects; a few others (at most 1%)
     * are allowed for what else the VM holds unwritten. Such a heap is a live dump (garbage was collected before it was written), and
     * its unreachable objects are the JVM's own, not garbage. One pass over the unreachable objects' references.
     */
    private static boolean unreachableHeldByJvm(ObjectGraph graph, ByteArray levels, PhaseProgress progress) {
        int unreachable = Reachability.UNREACHABLE.ordinal();
        int n = graph.objectCount();
        ByteArray referenced = graph.storage().bytes(n);
        for (int o = 0; o < n; o++) {
            if ((o & PhaseProgress.MASK) == 0) {
                progress.at(2, o);
            }
            if (levels.get(o) == unreachable) {
                for (long e = graph.firstEdge(o), end = graph.firstEdge(o + 1); e < end; e++) {
                    int target = graph.edgeTarget(e);
                    if (target != o) {
                        referenced.set(target, (byte) 1);
                    }
                }
            }
        }
        long tops = 0;
        long others = 0;
        for (int o = 0; o < n; o++) {
            if ((o & PhaseProgress.MASK) == 0) {
                progress.at(3, o);
            }
            if (levels.get(o) == unreachable && referenced.get(o) == 0) {
                tops++;
                if (!heldByJvm(graph, o)) {
                    others++;
                }
            }
        }
        Storage.free(referenced);
        // a few exceptions among many: what else the VM holds unwritten (a map the archived heap keeps, say)
        return tops >= 20 && others <= Math.max(2, tops / 100);
    }

    private static boolean heldByJvm(ObjectGraph graph, int object) {
        if (graph.classForObject(object) >= 0) {
            return true;
        }
        String name = Names.className(graph, object);
        // Thread: the thread object of a thread the VM is starting or ending, not yet or no longer in its list
        return name.equals("java.lang.String") || name.equals("java.lang.Thread") || name.startsWith("java.lang.invoke.")
                || name.startsWith("java.lang.reflect.") || name.startsWith("jdk.internal.reflect.")
                || name.startsWith("sun.reflect.")
                // object arrays: a class's resolved references and enum constants (its instance fields are unwritten)
                || name.endsWith("[]") && name.indexOf('.') > 0
                // the soft reflection data of classes (a class object's instance fields are not in the dump), and
                // the immutable collections of the class-data-sharing archive
                || name.startsWith("java.lang.ref.") || name.startsWith("java.util.ImmutableCollections$")
                // dead space a collector leaves in place is written as filler objects: int[] (and JDK 19+'s own)
                || name.equals("int[]") || name.startsWith("jdk.internal.vm.Filler");
    }

    /**
     * The reachability of one object, by its index in the heap graph.
     *
     * @param object the object's index
     * @return its reachability
     */
    public Reachability reachability(int object) {
        Objects.checkIndex(object, levels.length());
        return Reachability.ofOrdinal(levels.get(object));
    }

    /**
     * How many objects have the given reachability.
     *
     * @param reachability one of the six
     * @return how many objects have it
     */
    public long count(Reachability reachability) {
        return counts[reachability.ordinal()];
    }

    /**
     * The shallow bytes of the objects that have the given reachability.
     *
     * @param reachability one of the six
     * @return their shallow bytes
     */
    public long shallowBytes(Reachability reachability) {
        return bytes[reachability.ordinal()];
    }

    /** {@return how many objects the dump holds, all reachabilities together} */
    public long totalCount() {
        long total = 0;
        for (long c : counts) {
            total += c;
        }
        return total;
    }

    /** {@return all objects' shallow bytes} */
    public long totalShallowBytes() {
        long total = 0;
        for (long b : bytes) {
            total += b;
        }
        return total;
    }

    /** {@return shallow bytes per reachability, strongest first} */
    public Map<Reachability, Long> shallowBytesByReachability() {
        Map<Reachability, Long> map = new EnumMap<>(Reachability.class);
        for (Reachability r : Reachability.values()) {
            map.put(r, bytes[r.ordinal()]);
        }
        return map;
    }

    /** {@return one row per (class, reachability) that has objects, most shallow bytes first} */
    public List<ClassCount> classCounts() {
        return classCounts;
    }

    /**
     * Whether the unreachable objects are all ones HotSpot keeps without a GC root in the dump (interned strings,
     * hidden classes, reflection data): then the dump is live, and they are not garbage.
     *
     * @return whether the dump is live and its unreachable objects are the JVM's
     */
    public boolean unreachableHeldByJvm() {
        return heldByJvm;
    }

    /**
     * One line for a person: how much of the heap is only softly reachable (what the collector may take back
     * under memory pressure) and how much is already garbage, e.g. {@code "1,200 objects, 96.0 KB: strong
     * 80.0 KB (83.3%), only softly reachable 12.0 KB (12.5%), weak/finalizer/phantom 1.0 KB (1.0%),
     * unreachable garbage 3.0 KB (3.1%)"}.
     *
     * @return the census in one line
     */
    public String summary() {
        long total = totalShallowBytes();
        long collectableSoon = bytes[Reachability.WEAK.ordinal()] + bytes[Reachability.FINALIZER.ordinal()]
                + bytes[Reachability.PHANTOM.ordinal()];
        return String.format(Locale.ROOT, "%,d objects, %s: strong %s, only softly reachable %s,"
                        + " weak/finalizer/phantom %s, %s %s",
                totalCount(), Bytes.format(total),
                share(bytes[Reachability.STRONG.ordinal()], total),
                share(bytes[Reachability.SOFT.ordinal()], total),
                share(collectableSoon, total),
                heldByJvm ? "held by the JVM without a GC root in the dump (interned strings, hidden classes,"
                        + " reflection data, fillers of dead space; a live dump)" : "unreachable garbage",
                share(bytes[Reachability.UNREACHABLE.ordinal()], total));
    }

    private static String share(long part, long total) {
        double percent = total == 0 ? 0 : 100.0 * part / total;
        return String.format(Locale.ROOT, "%s (%.1f%%)", Bytes.format(part), percent);
    }
}
