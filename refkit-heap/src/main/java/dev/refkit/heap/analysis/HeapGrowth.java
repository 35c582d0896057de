package dev.refkit.heap.analysis;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What grew across dumps of one program taken over time, oldest first: the retaining paths whose objects grew
 * between every pair of consecutive dumps, then the classes that grew and those that shrank.
 *
 * <p>Objects cannot be matched across dumps (their ids are addresses, and the collector moves them), so growth is
 * found on what is stable: each dump's {@link PathProfile}, compared node by node. A node is <em>growing</em> when
 * both its count of objects and the bytes reached through it grew at every step, by at least the thresholds on
 * average; what is large but steady, or churns without growing (a bounded LRU replacing its entries), never is.
 * Of a growing branch, the first growing node below a steady one is reported (the elements of a list, not their
 * fields too), with its owner, its container and, through map nodes, lambdas and inner classes, what they hold.
 *
 * <pre>{@code
 * List<PathProfile> profiles = new ArrayList<>();
 * for (Path file : dumps) {
 *     try (HeapDump dump = HeapDump.open(file)) {
 *         profiles.add(HeapAnalysis.of(dump).pathProfile());
 *     }
 * }
 * HeapGrowth growth = HeapGrowth.of(profiles);
 * }</pre>
 *
 * @param dumps   how many dumps were compared
 * @param growing the growing paths, most bytes of growth per step first
 * @param grew    the classes whose strongly reachable instances grew at every step, most bytes first
 * @param shrank  the classes whose strongly reachable instances shrank at every step, most bytes first
 */
public record HeapGrowth(int dumps, List<GrowingPath> growing, List<ClassChange> grew, List<ClassChange> shrank) {

    /**
     * Copies the lists.
     *
     * @param dumps   how many dumps were compared
     * @param growing the growing paths, most bytes of growth per step first
     * @param grew    the classes whose strongly reachable instances grew at every step, most bytes first
     * @param shrank  the classes whose strongly reachable instances shrank at every step, most bytes first
     */
    public HeapGrowth {
        growing = List.copyOf(growing);
        grew = List.copyOf(grew);
        shrank = List.copyOf(shrank);
    }

    /**
     * How much a path must grow per step, on average, to be reported: both figures.
     *
     * @param objectsPerStep objects added per step
     * @param bytesPerStep   bytes added per step
     */
    public record Thresholds(long objectsPerStep, long bytesPerStep) {
        /** 10 objects and 16 KiB per step. */
        public static final Thresholds DEFAULTS = new Thresholds(10, 16 << 10);

        /**
         * Checks that a path must gain at least one object and zero or more bytes per step.
         *
         * @param objectsPerStep objects added per step
         * @param bytesPerStep   bytes added per step
         */
        public Thresholds {
            if (objectsPerStep < 1 || bytesPerStep < 0) {
                throw new IllegalArgumentException("objectsPerStep is " + objectsPerStep + " and bytesPerStep "
                        + bytesPerStep + "; give at least one object and zero or more bytes per step");
            }
        }
    }

    /**
     * A retaining path whose objects grew at every step.
     *
     * @param owner        the reference that holds it, as the leak suspects name it ({@code static field
     *                     app.AuditLog.EVENTS}, or the GC root)
     * @param container    the class of the collection the objects accumulate in
     * @param elementClass what accumulates, seen through map nodes, lambdas and inner classes
     * @param via          how each element holds it ({@code "HashMap$Node.value"}), or empty
     * @param path         the path from its anchor, one step a line ({@code static app.AuditLog.EVENTS → ArrayList})
     * @param counts       the objects at the path in each dump, oldest first
     * @param bytes        the bytes reached through the path in each dump, oldest first
     * @param fingerprint  the leak suspects' fingerprint of the same owner, container and element class
     */
    public record GrowingPath(String owner, String container, String elementClass, String via, List<String> path,
                              List<Long> counts, List<Long> bytes, String fingerprint) {
        /**
         * Checks the components and copies the lists.
         *
         * @param owner        the reference that holds it, as the leak suspects name it ({@code static field
         *     app.AuditLog.EVENTS}, or the GC root)
         * @param container    the class of the collection the objects accumulate in
         * @param elementClass what accumulates, seen through map nodes, lambdas and inner classes
         * @param via          how each element holds it ({@code "HashMap$Node.value"}), or empty
         * @param path         the path from its anchor, one step a line ({@code static app.AuditLog.EVENTS → ArrayList})
         * @param counts       the objects at the path in each dump, oldest first
         * @param bytes        the bytes reached through the path in each dump, oldest first
         * @param fingerprint  the leak suspects' fingerprint of the same owner, container and element class
         */
        public GrowingPath {
            Objects.requireNonNull(owner, "owner");
            path = List.copyOf(path);
            counts = List.copyOf(counts);
            bytes = List.copyOf(bytes);
        }

        /** {@return objects added per step, on average} */
        public long objectsPerStep() {
            return (counts.get(counts.size() - 1) - counts.get(0)) / Math.max(1, counts.size() - 1);
        }

        /** {@return bytes added per step, on average} */
        public long bytesPerStep() {
            return (bytes.get(bytes.size() - 1) - bytes.get(0)) / Math.max(1, bytes.size() - 1);
        }
    }

    /**
     * One class's strongly reachable instances in each dump, oldest first.
     *
     * @param className     the class
     * @param instances     instances per dump
     * @param shallowBytes  their shallow bytes per dump
     * @param retainedBytes what they retain together per dump
     */
    public record ClassChange(String className, List<Long> instances, List<Long> shallowBytes,
                              List<Long> retainedBytes) {
        /**
         * Checks the components and copies the lists.
         *
         * @param className     the class
         * @param instances     instances per dump
         * @param shallowBytes  their shallow bytes per dump
         * @param retainedBytes what they retain together per dump
         */
        public ClassChange {
            Objects.requireNonNull(className, "className");
            instances = List.copyOf(instances);
            shallowBytes = List.copyOf(shallowBytes);
            retainedBytes = List.copyOf(retainedBytes);
        }
    }

    /**
     * The growth across the profiles, oldest first, at the default thresholds.
     *
     * @param profiles one profile per dump, oldest first, at least two
     * @return what grew
     */
    public static HeapGrowth of(List<PathProfile> profiles) {
        return of(profiles, Thresholds.DEFAULTS);
    }

    /**
     * The growth across the profiles, oldest first.
     *
     * @param profiles one profile per dump, oldest first, at least two
     * @param thresholds what a path must gain per step to count
     * @return what grew
     */
    public static HeapGrowth of(List<PathProfile> profiles, Thresholds thresholds) {
        Objects.requireNonNull(thresholds, "thresholds");
        if (profiles.size() < 2) {
            throw new IllegalArgumentException("compare at least two dumps, not " + profiles.size());
        }
        List<GrowingPath> growing = new GrowthReader(profiles, thresholds).growingPaths();
        List<ClassChange> grew = new ArrayList<>();
        List<ClassChange> shrank = new ArrayList<>();
        classes(profiles, thresholds, grew, shrank);
        return new HeapGrowth(profiles.size(), growing, grew, shrank);
    }

    private static void classes(List<PathProfile> profiles, Thresholds thresholds, List<ClassChange> grew,
                                List<ClassChange> shrank) {
        List<Map<String, PathProfile.ClassTotals>> byName = new ArrayList<>();
        for (PathProfile profile : profiles) {
            Map<String, PathProfile.ClassTotals> map = new HashMap<>();
            for (PathProfile.ClassTotals c : profile.classes()) {
                map.merge(c.className(), c, (a, b) -> new PathProfile.ClassTotals(a.className(),
                        a.instances() + b.instances(), a.shallowBytes() + b.shallowBytes(),
                        a.retainedBytes() + b.retainedBytes()));
            }
            byName.add(map);
        }
        Map<String, Boolean> names = new HashMap<>();
        byName.forEach(map -> map.keySet().forEach(name -> names.put(name, true)));
        for (String name : names.keySet()) {
            List<Long> instances = new ArrayList<>();
            List<Long> shallow = new ArrayList<>();
            List<Long> retained = new ArrayList<>();
            for (Map<String, PathProfile.ClassTotals> map : byName) {
                PathProfile.ClassTotals c = map.get(name);
                instances.add(c == null ? 0 : c.instances());
                shallow.add(c == null ? 0 : c.shallowBytes());
                retained.add(c == null ? 0 : c.retainedBytes());
            }
            ClassChange change = new ClassChange(name, instances, shallow, retained);
            // bytes: shallow or retained, whichever moved more (small objects that hold big ones grow in retained bytes)
            if (monotonic(instances, 1) && perStep(instances) >= thresholds.objectsPerStep()
                    && Math.max(perStep(shallow), perStep(retained)) >= thresholds.bytesPerStep()) {
                grew.add(change);
            } else if (monotonic(instances, -1) && -perStep(instances) >= thresholds.objectsPerStep()
                    && -Math.min(perStep(shallow), perStep(retained)) >= thresholds.bytesPerStep()) {
                shrank.add(change);
            }
        }
        Comparator<ClassChange> mostBytes = Comparator.comparingLong((ClassChange c) -> -Math.abs(perStep(c.shallowBytes())))
                .thenComparing(ClassChange::className);
        grew.sort(mostBytes);
        shrank.sort(mostBytes);
    }

    /** Whether every step moves in the direction (1 up, -1 down), strictly. */
    static boolean monotonic(List<Long> values, int direction) {
        for (int i = 1; i < values.size(); i++) {
            if (Long.signum(values.get(i) - values.get(i - 1)) != direction) {
                return false;
            }
        }
        return true;
    }

    static long perStep(List<Long> values) {
        return (values.get(values.size() - 1) - values.get(0)) / Math.max(1, values.size() - 1);
    }
}
