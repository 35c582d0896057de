package dev.refkit.heap.analysis;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** A leak suspect while it is assembled and merged with others of the same fingerprint. */
final class SuspectDraft {

    LeakSuspect.Kind kind;
    LeakSuspect.Owner owner;
    final Set<String> threads = new LinkedHashSet<>();
    int container;
    String containerType;
    /** The container in a phrase when the generic one does not fit (the finalizer queue), else null. */
    String containerDescription;
    boolean linked;
    /**
     * For objects of one class that no one object dominates: the members whose paths were compared, the largest
     * first, so that the structures that also hold them can be named once the suspects are known; else null.
     */
    int[] groupSample;
    /** The group's size and the members' class, for its description. */
    int groupSize;
    String groupClass;
    /** Whether the container is a single object that accumulates nothing (a leaf of the dominator tree). */
    boolean single;
    /** Whether the structure declares its bound (see {@code LeakSuspectSearch.declaresBound}): not a suspect. */
    boolean bounded;
    /** Whether the elements are references a map removes once cleared (see {@code LeakSuspectSearch.selfCleaning}). */
    boolean selfCleaning;
    long elements;
    int containers = 1;
    long containerRetained;
    final Map<String, long[]> accumulated = new LinkedHashMap<>();
    final Map<String, String[]> accumulatedNames = new LinkedHashMap<>();
    GcRootPath path;
    int ownerStep;
    int containerStep;
    String signature;
    String accumulatedClass;
    long retained;
    /** Bytes added to the strongly reachable ones for the heap share (a backlog's are not strongly reachable). */
    long shareBase;
    /** The watched object (for a watched suspect), else -1. */
    int watched = -1;
    String quote;

    void accumulate(String className, String via, long count, long retainedBytes) {
        String key = className + "\u0000" + via;
        long[] totals = accumulated.computeIfAbsent(key, k -> new long[2]);
        accumulatedNames.putIfAbsent(key, new String[] {className, via});
        totals[0] += count;
        totals[1] += retainedBytes;
    }

    String fingerprint() {
        return SuspectText.fingerprint(signature, accumulatedClass);
    }

    /** Adds another draft's objects: the same leak seen at another container or in another thread. */
    void merge(SuspectDraft other) {
        retained += other.retained;
        elements += other.elements;
        containers += other.containers;
        containerRetained += other.containerRetained;
        threads.addAll(other.threads);
        other.accumulated.forEach((key, totals) -> {
            String[] names = other.accumulatedNames.get(key);
            accumulate(names[0], names[1], totals[0], totals[1]);
        });
    }

    /** Takes over a container suspect that holds this (watched) object: one leak, told once. */
    void absorb(SuspectDraft holder) {
        container = holder.container;
        containerType = holder.containerType;
        linked = holder.linked;
        elements = holder.elements;
        containerRetained = holder.containerRetained;
        retained = Math.max(retained, holder.retained);
        threads.addAll(holder.threads);
        accumulated.clear();
        accumulatedNames.clear();
        holder.accumulated.forEach((key, totals) -> {
            String[] names = holder.accumulatedNames.get(key);
            accumulate(names[0], names[1], totals[0], totals[1]);
        });
    }

    List<LeakSuspect.Accumulated> accumulatedList() {
        List<LeakSuspect.Accumulated> list = new ArrayList<>();
        accumulated.forEach((key, totals) -> {
            String[] names = accumulatedNames.get(key);
            list.add(new LeakSuspect.Accumulated(names[0], totals[0], totals[1], names[1]));
        });
        list.sort((a, b) -> a.retainedBytes() != b.retainedBytes() ? Long.compare(b.retainedBytes(), a.retainedBytes())
                : Long.compare(b.count(), a.count()));
        return list;
    }

    LeakSuspect.Container containerRecord() {
        if (containerDescription != null) {
            return new LeakSuspect.Container(container, containerType, containerDescription, containerRetained);
        }
        String shortType = Names.shortName(containerType);
        if (single) {
            return new LeakSuspect.Container(container, containerType, containers == 1 ? article(shortType) + " "
                    + shortType : String.format(Locale.ROOT, "%,d %s, each held apart", containers, shortType),
                    containerRetained);
        }
        String count;
        if (linked && !ClassRoles.simpleName(containerType).matches(".*(Queue|Deque|List|Map|Set)$")) {
            count = String.format(Locale.ROOT, "a linked chain of %,d %s", elements, shortType);
        } else {
            boolean map = shortType.contains("Map") || shortType.contains("Table") || shortType.endsWith("Cache");
            count = String.format(Locale.ROOT, "%s %s of %,d %s", article(shortType), shortType, elements,
                    map ? "entries" : "elements");
        }
        if (containers > 1) {
            count = String.format(Locale.ROOT, "%,d × %s with %,d %s in all", containers, shortType, elements,
                    count.endsWith("entries") ? "entries" : "elements");
        }
        return new LeakSuspect.Container(container, containerType, count, containerRetained);
    }

    LeakSuspect.Owner ownerRecord() {
        List<String> names = List.copyOf(threads);
        String description = owner.description();
        if (names.size() > 1 && owner.type() == LeakSuspect.Owner.Type.THREAD_STACK) {
            description = SuspectText.threads(names) + (owner.frame() == null ? "" : " at " + owner.frame()
                    + ", a local variable");
        }
        return new LeakSuspect.Owner(owner.type(), description, owner.className(), owner.field(), names, owner.frame(),
                owner.context());
    }

    LeakSuspect build(long reachableBytes) {
        long base = reachableBytes + shareBase;
        double share = base == 0 ? 0 : Math.min(1, (double) retained / base);
        LeakSuspect.Owner ownerRecord = ownerRecord();
        LeakSuspect.Container containerRecord = containerRecord();
        List<LeakSuspect.Accumulated> list = accumulatedList();
        String summary = SuspectText.summary(kind, ownerRecord, containerRecord, list, retained, share, quote);
        String hint = SuspectText.hint(kind, ownerRecord, containerRecord, list);
        return new LeakSuspect(kind, summary, ownerRecord, containerRecord, list, path, ownerStep, containerStep, hint,
                fingerprint(), retained, share);
    }

    static String article(String word) {
        return word.isEmpty() || "AEIOUaeiou".indexOf(word.charAt(0)) < 0 ? "a" : "an";
    }
}
