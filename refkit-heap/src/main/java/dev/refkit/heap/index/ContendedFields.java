package dev.refkit.heap.index;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The JDK classes that HotSpot pads for {@code @Contended}, and how, by JDK version. A dump does not keep
 * annotations, so a class is recognised by its name and the instance fields it declares.
 *
 * <p>HotSpot honours {@code @Contended} ({@code sun.misc.Contended} in JDK 8,
 * {@code jdk.internal.vm.annotation.Contended} from JDK 9) only in classes of the boot and platform loaders
 * unless {@code -XX:-RestrictContended} is given, which this table assumes is not: application classes are
 * never padded. An annotated class ({@link Padding#wholeClass}) is padded before its first field and after its
 * last; annotated fields with the same group name are laid out together, after the class's other fields,
 * padded before and after (see {@link FieldLayout} for where the padding goes in each layout generation). The
 * padding is {@code -XX:ContendedPaddingWidth}, 128 bytes by default.
 *
 * <p>Where it comes from: the OpenJDK sources of JDK 8 ({@code jdk8u}), 11 ({@code jdk11u}), 21
 * ({@code jdk21u}) and 25, every {@code @Contended} in {@code java.base} (the only module that has any), and
 * the class files of JDK 17 and 25, which {@code ContendedFieldsTest} reads again on the JDK it runs on and
 * compares with this table. The entries of a class are tried in order and the first whose fields the class
 * declares applies; the fields named with {@code when} tell a JDK's version of the class from the others.
 */
final class ContendedFields {

    /**
     * How a class is padded.
     *
     * @param wholeClass the class is annotated: padding before its first field and after its last
     * @param groups     the names of the annotated fields, one list per group, in the order the JDK declares
     *                   the groups' first fields
     */
    record Padding(boolean wholeClass, List<List<String>> groups) {
        static final Padding NONE = new Padding(false, List.of());

        boolean any() {
            return wholeClass || !groups.isEmpty();
        }
    }

    /** An entry of the table: applies to a class that declares every field of its groups and of {@code when}. */
    private record Entry(Padding padding, List<String> when) {
        boolean appliesTo(List<ClassRecord.Field> declared) {
            for (List<String> group : padding.groups()) {
                if (!declaresAll(declared, group)) {
                    return false;
                }
            }
            return declaresAll(declared, when);
        }
    }

    private static final Map<String, List<Entry>> TABLE = new HashMap<>();

    private static void add(String className, Padding padding, String... when) {
        TABLE.computeIfAbsent(className, k -> new java.util.ArrayList<>()).add(new Entry(padding, List.of(when)));
    }

    private static Padding whole() {
        return new Padding(true, List.of());
    }

    private static Padding group(String... fields) {
        return new Padding(false, List.of(List.of(fields)));
    }

    static {
        // JDK 19 and later: the Thread with a FieldHolder has no padded group
        add("java.lang.Thread", Padding.NONE, "holder");
        // JDK 8 to 18: @Contended("tlr")
        add("java.lang.Thread", group("threadLocalRandomSeed", "threadLocalRandomProbe",
                "threadLocalRandomSecondarySeed"));
        // JDK 21 to 25 (at least): @Contended("fjpctl") on ctl and parallelism
        add("java.util.concurrent.ForkJoinPool", group("ctl", "parallelism"));
        // JDK 8: the class is annotated (told by its AtomicLong stealCounter)
        add("java.util.concurrent.ForkJoinPool", whole(), "stealCounter");
        // JDK 9 to 17: @Contended("fjpctl") on ctl
        add("java.util.concurrent.ForkJoinPool", group("ctl"));
        // JDK 25: @Contended("w") on six fields
        add("java.util.concurrent.ForkJoinPool$WorkQueue",
                group("top", "phase", "stackPred", "source", "nsteals", "parking"));
        // JDK 21: @Contended("w") on five fields, access among them
        add("java.util.concurrent.ForkJoinPool$WorkQueue", group("top", "access", "phase", "source", "nsteals"));
        // JDK 8 to 11: the class is annotated (it still has its pool field)
        add("java.util.concurrent.ForkJoinPool$WorkQueue", whole(), "pool");
        // JDK 17: @Contended("w") on three fields
        add("java.util.concurrent.ForkJoinPool$WorkQueue", group("top", "source", "nsteals"));
        add("java.util.concurrent.ConcurrentHashMap$CounterCell", whole());
        add("java.util.concurrent.atomic.Striped64$Cell", whole());
        // JDK 8 to 21: the node is annotated; JDK 25's node (no collides) is not, its Slot is
        add("java.util.concurrent.Exchanger$Node", whole(), "collides");
        add("java.util.concurrent.Exchanger$Slot", whole());
        // JDK 9 and later: the class is annotated, and @Contended("c") on demand and waiting
        add("java.util.concurrent.SubmissionPublisher$BufferedSubscription",
                new Padding(true, List.of(List.of("demand", "waiting"))));
    }

    private ContendedFields() {
    }

    /** How HotSpot pads the class of this name that declares these instance fields. */
    static Padding of(String className, List<ClassRecord.Field> declared) {
        List<Entry> entries = TABLE.get(className);
        if (entries != null) {
            for (Entry e : entries) {
                if (e.appliesTo(declared)) {
                    return e.padding();
                }
            }
        }
        return Padding.NONE;
    }

    /** The names of the classes in the table. */
    static java.util.Set<String> classNames() {
        return java.util.Collections.unmodifiableSet(TABLE.keySet());
    }

    private static boolean declaresAll(List<ClassRecord.Field> declared, List<String> names) {
        for (String name : names) {
            boolean found = false;
            for (ClassRecord.Field f : declared) {
                found |= f.name().equals(name);
            }
            if (!found) {
                return false;
            }
        }
        return true;
    }
}
