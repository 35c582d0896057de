package dev.refkit.heap;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Instance count and shallow bytes per class: the figures {@code jmap -histo} reports. Class objects are
 * counted as instances of {@code java.lang.Class}.
 */
public final class Histogram {

    /**
     * One class's row.
     *
     * @param heapClass the class
     * @param instances objects of exactly this class
     * @param shallowBytes their shallow sizes added up
     */
    public record Entry(HeapClass heapClass, long instances, long shallowBytes) {
        /** {@return the class name in Java form} */
        public String className() {
            return heapClass.name();
        }
    }

    /** Largest shallow bytes first, then by name. */
    public static final Comparator<Entry> BY_BYTES = Comparator.comparingLong(Entry::shallowBytes).reversed()
            .thenComparing(Entry::className);
    /** Most instances first, then by name. */
    public static final Comparator<Entry> BY_INSTANCES = Comparator.comparingLong(Entry::instances).reversed()
            .thenComparing(Entry::className);

    private final List<Entry> entries;

    Histogram(List<Entry> entries) {
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(BY_BYTES);
        this.entries = List.copyOf(sorted);
    }

    /** {@return rows of the classes that have instances, largest shallow bytes first} */
    public List<Entry> entries() {
        return entries;
    }

    /**
     * Rows in another order, e.g. {@link #BY_INSTANCES}.
     *
     * @param order how to order the rows
     * @return the rows in that order
     */
    public List<Entry> sorted(Comparator<Entry> order) {
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(order);
        return sorted;
    }

    /**
     * The row of the class with this name, or {@code null} when no instance has it. When classes of the same
     * name were loaded by several loaders, their rows are added up. The name may be spelled as the VM or Java
     * spells it ({@link HeapClass#javaName}).
     *
     * @param className a class name, as Java or the VM spells it
     * @return its row, or {@code null}
     */
    public Entry entry(String className) {
        String wanted = HeapClass.javaName(className);
        Entry found = null;
        for (Entry e : entries) {
            if (e.className().equals(wanted)) {
                found = found == null ? e
                        : new Entry(found.heapClass(), found.instances() + e.instances(),
                                found.shallowBytes() + e.shallowBytes());
            }
        }
        return found;
    }

    /** {@return the instances of all classes together} */
    public long totalInstances() {
        return entries.stream().mapToLong(Entry::instances).sum();
    }

    /** {@return the shallow bytes of all classes together} */
    public long totalBytes() {
        return entries.stream().mapToLong(Entry::shallowBytes).sum();
    }
}
