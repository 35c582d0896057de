package dev.refkit.heap.analysis;

import dev.refkit.heap.index.ByteArray;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Finds the leak suspects of one heap and tells each the way a person would fix it.
 *
 * <p>The accumulation points come from the dominator tree ({@link AccumulationSearch}); each is described by the
 * shortest strong path to one representative accumulated object, read upward by {@link OwnerResolver} to its
 * owner. The kind follows from the owner, the container and what accumulates. Three searches add what the
 * dominator tree of the strong graph cannot see: objects a leak watcher expected to be collected, weak-keyed
 * entries whose value holds its key ({@link WeakKeyCycles}), and objects awaiting finalization
 * ({@link FinalizerBacklog}). Suspects with the same fingerprint are merged, a watched object absorbs the
 * suspect whose container holds it, and the thresholds apply to what is left.
 *
 * <p>Every step reads results already computed (reachability levels, the dominator tree, the strong
 * shortest-path tree) or walks under a budget, so the search stays linear in the heap's size.
 */
final class LeakSuspectSearch {

    static final String KEYED_WEAK_REFERENCE = "dev.refkit.leak.KeyedWeakReference";
    /** Watched references read at most; a dump with more is summarised by the first ones. */
    static final int MAX_WATCHED = 10_000;
    /** Members of a group whose paths are compared to find the way most of them are held. */
    static final int GROUP_SAMPLES = 32;
    /** Other holders named for a group's members, at most. */
    static final int MAX_OTHER_HOLDERS = 2;

    private final ObjectGraph graph;
    private final ByteArray levels;
    private final long finalizerBytes;
    private final DominatorTree dominators;
    private final ShortestPaths strongPaths;
    private final Supplier<ShortestPaths> allPaths;
    private final SuspectThresholds thresholds;
    private final long reachableBytes;
    private final ClassRoles roles;
    private final OwnerResolver owners;
    private final AccumulationSearch accumulations;

    LeakSuspectSearch(ObjectGraph graph, ReachabilityCensus census, DominatorTree dominators, ShortestPaths strongPaths,
                      Supplier<ShortestPaths> allPaths, SuspectThresholds thresholds) {
        this.graph = graph;
        this.levels = census.levels();
        this.finalizerBytes = census.shallowBytes(Reachability.FINALIZER);
        this.dominators = dominators;
        this.strongPaths = strongPaths;
        this.allPaths = allPaths;
        this.thresholds = thresholds;
        this.reachableBytes = dominators.reachableBytes();
        this.roles = ClassRoles.of(graph);
        this.owners = new OwnerResolver(graph, roles, strongPaths);
        this.accumulations = new AccumulationSearch(graph, dominators, roles, strongPaths);
    }

    List<LeakSuspect> search() {
        long threshold = thresholds.bytesIn(reachableBytes);
        List<SuspectDraft> drafts = new ArrayList<>();
        for (AccumulationSearch.Point point : accumulations.points(Math.max(1, threshold / 4))) {
            SuspectDraft draft = accumulation(point);
            if (draft != null) {
                drafts.add(draft);
            }
        }
        weakKeyCycles(drafts);
        SuspectDraft backlog = FinalizerBacklog.find(graph, levels, finalizerBytes, threshold, allPaths);
        if (backlog != null) {
            // the Finalizer references themselves (strongly held in their queues) are the same backlog
            drafts.removeIf(d -> FinalizerBacklog.FINALIZER.equals(d.accumulatedClass));
            drafts.add(backlog);
        }
        List<SuspectDraft> watched = watchedObjects();
        for (SuspectDraft w : watched) {
            drafts.removeIf(d -> {
                boolean holds = d.kind != LeakSuspect.Kind.FINALIZER_BACKLOG && d.container >= 0
                        && dominators.dominates(d.container, w.watched);
                if (holds) {
                    w.absorb(d);
                }
                return holds;
            });
        }
        drafts.addAll(watched);

        Map<String, SuspectDraft> merged = new LinkedHashMap<>();
        for (SuspectDraft draft : drafts) {
            SuspectDraft same = merged.putIfAbsent(draft.fingerprint(), draft);
            if (same != null) {
                same.merge(draft);
            }
        }
        List<SuspectDraft> kept = new ArrayList<>();
        for (SuspectDraft draft : merged.values()) {
            if (draft.kind == LeakSuspect.Kind.WATCHED_OBJECT_ALIVE || draft.retained >= threshold && !draft.bounded
                    && !(draft.selfCleaning && draft.kind != LeakSuspect.Kind.VALUE_REACHES_WEAK_KEY)
                    && !jdkOnly(draft)) {
                kept.add(draft);
            }
        }
        nameOtherHolders(kept);
        List<LeakSuspect> suspects = new ArrayList<>();
        for (SuspectDraft draft : kept) {
            suspects.add(draft.build(reachableBytes));
        }
        suspects.sort(Comparator.comparing((LeakSuspect s) -> s.kind() != LeakSuspect.Kind.WATCHED_OBJECT_ALIVE)
                .thenComparing(Comparator.comparingLong(LeakSuspect::retainedBytes).reversed())
                .thenComparing(LeakSuspect::fingerprint));
        return List.copyOf(suspects);
    }

    /** An accumulation point told as a suspect: its container, owner, kind and path; null when it has no strong path. */
    private SuspectDraft accumulation(AccumulationSearch.Point point) {
        AccumulationSearch.Accumulation found = accumulations.describe(point);
        int[] sample = point.isGroup() ? sample(point) : null;
        int representative = sample != null ? typicalMember(sample) : found.representative();
        if (!strongPaths.isReached(representative)) {
            return null;
        }
        GcRootPath path = strongPaths.pathTo(representative);
        int container = found.container();
        int position = container >= 0 ? positionOf(path, container) : -1;
        if (position < 0) {
            position = nearestContainer(path);
            container = OwnerResolver.objectAt(path, position);
        }
        SuspectDraft draft = new SuspectDraft();
        draft.container = container;
        draft.containerType = Names.className(graph, container);
        draft.linked = point.linked() && container == point.object();
        draft.single = !point.isGroup() && container == point.object()
                && dominators.firstChild(container) == dominators.endOfChildren(container);
        draft.containerRetained = dominators.retainedSize(container);
        if (point.isGroup()) {
            draft.containerDescription = String.format(Locale.ROOT, "%,d %s, each held apart",
                    point.members().length, Names.shortName(Names.className(graph, point.object())));
            draft.containerRetained = found.retained();
        }
        draft.elements = found.elements();
        draft.retained = found.retained();
        for (AccumulationSearch.Group group : found.groups()) {
            String via = group.firstPayload == group.firstElement ? ""
                    : accumulations.via(group.firstElement, group.firstPayload);
            draft.accumulate(Names.className(graph, group.firstPayload), via, group.count, group.retained);
        }
        draft.accumulatedClass = found.groups().isEmpty() ? draft.containerType
                : Names.className(graph, found.groups().get(0).firstPayload);

        int loader = staleLoader(path, position);
        OwnerResolver.Resolution resolution;
        if (loader >= 0) {
            int entry = entryInto(path, loader);
            resolution = owners.resolve(path, entry);
            LeakSuspect.Owner parentSide = resolution.owner();
            String loaderName = owners.loaderName(loader);
            draft.owner = new LeakSuspect.Owner(LeakSuspect.Owner.Type.STALE_CLASS_LOADER, "the stale class loader "
                    + loaderName + " (" + Names.className(graph, loader) + ")", parentSide.className(),
                    parentSide.field(), parentSide.threads(), parentSide.frame(), parentSide.description() + " → "
                    + Names.shortName(Names.objectType(graph, OwnerResolver.objectAt(path, entry))));
            draft.kind = LeakSuspect.Kind.STALE_CLASS_LOADER;
            draft.retained = Math.max(draft.retained, dominators.retainedSize(OwnerResolver.objectAt(path, entry)));
            draft.signature = "stale loader " + Names.className(graph, loader) + " kept by " + resolution.signature();
        } else {
            resolution = owners.resolve(path, position);
            draft.owner = resolution.owner();
            draft.signature = resolution.signature();
            draft.kind = kindOf(draft, resolution.path(), position + resolution.shift(), found);
        }
        if (sample != null) {
            draft.groupSample = sample;
            draft.groupSize = point.members().length;
            draft.groupClass = Names.shortName(Names.className(graph, point.object()));
        }
        draft.threads.addAll(draft.owner.threads());
        draft.path = resolution.path();
        draft.ownerStep = resolution.ownerStep();
        draft.containerStep = position + resolution.shift() - 1;
        draft.bounded = declaresBound(draft.path, draft.ownerStep, draft.containerStep + 1, found);
        draft.selfCleaning = selfCleaning(found);
        if (draft.kind == LeakSuspect.Kind.STUCK_EXECUTOR) {
            draft.owner = withContext(draft.owner, ExecutorWorkers.describe(graph, roles,
                    OwnerResolver.objectAt(draft.path, draft.containerStep)));
        }
        return draft;
    }

    private LeakSuspect.Kind kindOf(SuspectDraft draft, GcRootPath path, int containerPosition,
                                    AccumulationSearch.Accumulation found) {
        LeakSuspect.Owner.Type owner = draft.owner.type();
        if (owner == LeakSuspect.Owner.Type.THREAD_LOCAL) {
            return LeakSuspect.Kind.THREAD_LOCAL;
        }
        boolean queue = roles.isObject(graph, draft.container, ClassRoles.QUEUE);
        if (queue && containerPosition > 0) {
            int holder = OwnerResolver.objectAt(path, containerPosition - 1);
            if (roles.isObject(graph, holder, ClassRoles.EXECUTOR)
                    && "workQueue".equals(path.steps().get(containerPosition - 1).reference())) {
                return LeakSuspect.Kind.STUCK_EXECUTOR;
            }
        }
        AccumulationSearch.Group top = found.groups().isEmpty() ? null : found.groups().get(0);
        boolean wrapping = top != null && top.firstPayload != top.firstElement;
        if (queue && wrapping && roles.is(top.elementClass, ClassRoles.WRAPPER | ClassRoles.LISTENER)) {
            return LeakSuspect.Kind.QUEUED_TASKS;
        }
        if (wrapping && roles.is(top.elementClass, ClassRoles.LISTENER)) {
            return LeakSuspect.Kind.LISTENERS;
        }
        if (owner == LeakSuspect.Owner.Type.THREAD_STACK) {
            return LeakSuspect.Kind.THREAD_STACK;
        }
        boolean collection = roles.isObject(graph, draft.container, ClassRoles.CONTAINER | ClassRoles.OBJECT_ARRAY)
                || found.point().linked() || found.point().isGroup();
        if (collection && found.elements() > 1) {
            return owner == LeakSuspect.Owner.Type.STATIC_FIELD ? LeakSuspect.Kind.STATIC_COLLECTION
                    : LeakSuspect.Kind.FIELD_COLLECTION;
        }
        return LeakSuspect.Kind.LARGE_OBJECT;
    }

    /**
     * Whether an application class between the owner and the container, or the accumulated elements' class,
     * declares its bound ({@code maxMemory}, {@code capacity}, ...): a cache built to stay within a size, which
     * a single dump cannot show to be leaking (comparing dumps can).
     */
    private boolean declaresBound(GcRootPath path, int ownerStep, int containerPosition,
                                  AccumulationSearch.Accumulation found) {
        for (int i = Math.max(0, ownerStep); i <= containerPosition && i <= path.steps().size(); i++) {
            if (roles.isObject(graph, OwnerResolver.objectAt(path, i), ClassRoles.BOUNDED)) {
                return true;
            }
        }
        return !found.groups().isEmpty() && roles.is(found.groups().get(0).elementClass, ClassRoles.BOUNDED);
    }

    /**
     * Whether the elements are entries a map removes once the collector clears them: references registered with a
     * queue (the map's own nodes, as in {@code WeakHashMap}, or the value references a node holds, as in a soft-valued
     * cache). A map of references made without a queue keeps its cleared entries, and is no such map.
     */
    private boolean selfCleaning(AccumulationSearch.Accumulation found) {
        if (found.groups().isEmpty()) {
            return false;
        }
        int element = found.groups().get(0).firstElement;
        if (registered(element)) {
            return true;
        }
        for (long e = graph.firstEdge(element), end = graph.firstEdge(element + 1); e < end; e++) {
            if (graph.edgeStrength(e) == 0 && registered(graph.edgeTarget(e))) {
                return true;
            }
        }
        return false;
    }

    private boolean registered(int reference) {
        if (!roles.isObject(graph, reference, ClassRoles.REFERENCE)) {
            return false;
        }
        int queue = graph.strongField(reference, "queue");
        return queue >= 0 && !Names.className(graph, queue).equals("java.lang.ref.ReferenceQueue$Null");
    }

    /**
     * Whether the JDK holds only its own objects: the owner (its class, or the frame of a thread's stack), the
     * container and what accumulates are all the JDK's (a jshell's completion index, the runtime image's
     * directory). Nothing in such a suspect is code the reader can change.
     */
    private static boolean jdkOnly(SuspectDraft draft) {
        if (draft.kind == LeakSuspect.Kind.FINALIZER_BACKLOG || draft.kind == LeakSuspect.Kind.STALE_CLASS_LOADER) {
            return false;
        }
        String ownerClass = draft.owner.className() != null ? draft.owner.className()
                : draft.owner.frame() != null ? draft.owner.frame() : "java.";
        if (!isJdkType(ownerClass) || !isJdkType(draft.containerType)) {
            return false;
        }
        for (LeakSuspect.Accumulated a : draft.accumulatedList()) {
            if (!isJdkType(a.className())) {
                return false;
            }
        }
        return true;
    }

    private static boolean isJdkType(String name) {
        String element = name.replace("[]", "");
        return PRIMITIVES.contains(element) || ClassRoles.isJdk(element);
    }

    private static final java.util.Set<String> PRIMITIVES = java.util.Set.of("boolean", "char", "float", "double",
            "byte", "short", "int", "long");

    private static LeakSuspect.Owner withContext(LeakSuspect.Owner owner, String context) {
        return context == null ? owner : new LeakSuspect.Owner(owner.type(), owner.description(), owner.className(),
                owner.field(), owner.threads(), owner.frame(), context);
    }

    /** The position of an object on a path, or -1. */
    private static int positionOf(GcRootPath path, int object) {
        for (int i = path.steps().size(); i >= 0; i--) {
            if (OwnerResolver.objectAt(path, i) == object) {
                return i;
            }
        }
        return -1;
    }

    /** Up to {@link #GROUP_SAMPLES} members of a group, spread over it, largest first as the members are sorted. */
    private int[] sample(AccumulationSearch.Point point) {
        int[] members = point.members();
        int samples = Math.min(GROUP_SAMPLES, members.length);
        int[] sample = new int[samples];
        for (int i = 0; i < samples; i++) {
            sample[i] = members[(int) ((long) i * members.length / samples)];
        }
        return sample;
    }

    /**
     * The member of a group whose strong path is the one most of the sample shares. Objects that no one object
     * dominates are usually shared by two structures (a table and its index), and the shortest path to one of
     * them may run through a single holder of that one (the last statement's parameters): the way most are held
     * names the owner. Among paths shared by as many, the one found first; of a path, its largest member.
     */
    private int typicalMember(int[] sample) {
        Map<String, int[]> bySignature = new LinkedHashMap<>(); // signature -> {count, largest member}
        for (int member : sample) {
            if (strongPaths.isReached(member)) {
                GcRootPath path = strongPaths.pathTo(member);
                String signature = owners.resolve(path, nearestContainer(path)).signature();
                bySignature.computeIfAbsent(signature, k -> new int[] {0, member})[0]++;
            }
        }
        int best = sample[0];
        int bestCount = 0;
        for (int[] counted : bySignature.values()) {
            if (counted[0] > bestCount) {
                best = counted[1];
                bestCount = counted[0];
            }
        }
        return best;
    }

    /**
     * Names, in the description of each group suspect, the other structures that hold its members: the owners,
     * other than the suspect's, of strong references to at least two of its sampled members (one member's own
     * holder, such as the last statement's parameters, is no structure). One pass over the reference targets (one
     * array, read in order) for all the suspects together, and only when a group is among them; the holder of a
     * reference found is its edge's source.
     */
    private void nameOtherHolders(List<SuspectDraft> drafts) {
        Map<Integer, SuspectDraft> groupOf = new HashMap<>();
        BitSet sampled = new BitSet(graph.objectCount());
        for (SuspectDraft draft : drafts) {
            if (draft.groupSample != null) {
                for (int member : draft.groupSample) {
                    groupOf.putIfAbsent(member, draft);
                    sampled.set(member);
                }
            }
        }
        if (groupOf.isEmpty()) {
            return;
        }
        Map<SuspectDraft, Map<String, Set<Integer>>> holders = new HashMap<>();
        for (long edge = 0, references = graph.firstEdge(graph.objectCount()); edge < references; edge++) {
            int target = graph.edgeTarget(edge);
            if (!sampled.get(target) || graph.edgeStrength(edge) != Reachability.STRONG.ordinal()) {
                continue;
            }
            int holder = graph.edgeSource(edge);
            SuspectDraft draft = groupOf.get(target);
            if (holder == target || !strongPaths.isReached(holder)) {
                continue;
            }
            GcRootPath path = strongPaths.pathTo(holder);
            String owner = owners.resolve(path, nearestContainer(path)).owner().description();
            if (!owner.equals(draft.owner.description())) {
                holders.computeIfAbsent(draft, d -> new LinkedHashMap<>())
                        .computeIfAbsent(owner, o -> new HashSet<>()).add(target);
            }
        }
        holders.forEach((draft, byOwner) -> {
            List<String> shared = byOwner.entrySet().stream().filter(e -> e.getValue().size() >= 2)
                    .sorted(Comparator.comparingInt((Map.Entry<String, Set<Integer>> e) -> -e.getValue().size()))
                    .limit(MAX_OTHER_HOLDERS).map(Map.Entry::getKey).toList();
            if (!shared.isEmpty()) {
                String type = Names.shortName(draft.containerType);
                draft.containerDescription = String.format(Locale.ROOT, "%s %s whose %,d %s are also held by %s",
                        SuspectDraft.article(type), type, draft.groupSize, draft.groupClass,
                        String.join(" and ", shared));
            }
        });
    }

    /** The nearest collection or object array above the path's target, or the target's holder. */
    private int nearestContainer(GcRootPath path) {
        int last = path.steps().size();
        for (int i = last - 1; i >= 0; i--) {
            if (roles.isObject(graph, OwnerResolver.objectAt(path, i), ClassRoles.CONTAINER)) {
                return i;
            }
        }
        for (int i = last - 1; i >= 0; i--) {
            if (roles.isObject(graph, OwnerResolver.objectAt(path, i), ClassRoles.OBJECT_ARRAY)) {
                return i;
            }
        }
        return Math.max(0, last - 1);
    }

    /**
     * A class loader above the container on the path that only its own objects keep alive: reached from one of
     * its classes ({@code <loader>}) and dominated by one of its classes or instances. A loader held by anything
     * else (a launcher's local variable, a server's field) is alive on purpose.
     */
    private int staleLoader(GcRootPath path, int position) {
        for (int i = 1; i <= position; i++) {
            GcRootPath.Step step = path.steps().get(i - 1);
            int loader = step.object();
            if (!"<loader>".equals(step.reference()) || !roles.isObject(graph, loader, ClassRoles.CLASS_LOADER)) {
                continue;
            }
            int dominator = dominators.immediateDominator(loader);
            if (dominator >= 0 && owners.loaderOf(dominator) == loader) {
                return loader;
            }
        }
        return -1;
    }

    /** The first object on the path that belongs to the loader: where its world is entered from outside. */
    private int entryInto(GcRootPath path, int loader) {
        for (int i = 1; i <= path.steps().size(); i++) {
            if (owners.loaderOf(OwnerResolver.objectAt(path, i)) == loader) {
                return i;
            }
        }
        return path.steps().size();
    }

    /** Marks the suspects whose container holds weak-keyed entries that hold their own keys; adds the others. */
    private void weakKeyCycles(List<SuspectDraft> drafts) {
        for (WeakKeyCycles.Cycle cycle : WeakKeyCycles.find(graph, levels, dominators)) {
            boolean marked = false;
            for (SuspectDraft draft : drafts) {
                if (draft.kind != LeakSuspect.Kind.STALE_CLASS_LOADER && holdsEntry(draft.container, cycle.entry)) {
                    draft.kind = LeakSuspect.Kind.VALUE_REACHES_WEAK_KEY;
                    marked = true;
                }
            }
            if (!marked && strongPaths.isReached(cycle.entry)) {
                drafts.add(weakKeyCycle(cycle));
            }
        }
    }

    /** Whether the container holds the entry itself: a few dominator levels up, through arrays and map nodes only. */
    private boolean holdsEntry(int container, int entry) {
        int current = entry;
        for (int level = 0; level < AccumulationSearch.CONTAINER_LEVELS + 1 && current >= 0; level++) {
            current = dominators.immediateDominator(current);
            if (current == container) {
                return true;
            }
            if (current < 0 || !roles.isObject(graph, current, ClassRoles.OBJECT_ARRAY | ClassRoles.WRAPPER)) {
                return false;
            }
        }
        return false;
    }

    private SuspectDraft weakKeyCycle(WeakKeyCycles.Cycle cycle) {
        GcRootPath path = strongPaths.pathTo(cycle.value);
        int position = nearestContainer(path);
        OwnerResolver.Resolution resolution = owners.resolve(path, position);
        SuspectDraft draft = new SuspectDraft();
        draft.kind = LeakSuspect.Kind.VALUE_REACHES_WEAK_KEY;
        draft.owner = resolution.owner();
        draft.threads.addAll(draft.owner.threads());
        draft.container = OwnerResolver.objectAt(path, position);
        draft.containerType = Names.className(graph, draft.container);
        draft.elements = cycle.count;
        draft.containerRetained = dominators.retainedSize(draft.container);
        draft.accumulate(Names.className(graph, cycle.value), "", cycle.count, cycle.retained);
        draft.accumulatedClass = Names.className(graph, cycle.value);
        draft.path = resolution.path();
        draft.ownerStep = resolution.ownerStep();
        draft.containerStep = position + resolution.shift() - 1;
        draft.signature = resolution.signature() + " entry " + Names.className(graph, cycle.entry) + " key "
                + Names.className(graph, cycle.key);
        draft.retained = cycle.retained;
        return draft;
    }

    /** Referents of {@code KeyedWeakReference}s that are still strongly reachable, one draft each. */
    private List<SuspectDraft> watchedObjects() {
        boolean[] watcherClasses = subclassesOf(graph, KEYED_WEAK_REFERENCE);
        List<SuspectDraft> found = new ArrayList<>();
        for (int ref = 0, n = graph.objectCount(); ref < n && found.size() < MAX_WATCHED; ref++) {
            int cls = graph.classOf(ref);
            if (cls < 0 || cls >= watcherClasses.length || !watcherClasses[cls]) {
                continue;
            }
            int referent = referent(graph, ref);
            if (referent < 0 || levels.get(referent) != Reachability.STRONG.ordinal() || !strongPaths.isReached(referent)) {
                continue;
            }
            GcRootPath path = strongPaths.pathTo(referent);
            int target = path.steps().size();
            OwnerResolver.Resolution resolution = owners.resolve(path, target);
            SuspectDraft draft = new SuspectDraft();
            draft.kind = LeakSuspect.Kind.WATCHED_OBJECT_ALIVE;
            draft.watched = referent;
            draft.owner = resolution.owner();
            draft.threads.addAll(draft.owner.threads());
            int position = nearestContainer(path);
            draft.container = OwnerResolver.objectAt(path, position);
            draft.containerType = Names.className(graph, draft.container);
            draft.elements = 1;
            draft.containerRetained = dominators.retainedSize(draft.container);
            draft.retained = dominators.retainedSize(referent);
            draft.accumulate(Names.className(graph, referent), "", 1, draft.retained);
            draft.accumulatedClass = Names.className(graph, referent);
            draft.path = resolution.path();
            draft.ownerStep = resolution.ownerStep();
            draft.containerStep = Math.min(position + resolution.shift(), resolution.path().steps().size()) - 1;
            draft.signature = resolution.signature();
            String description = graph.stringField(ref, "description", SuspectText.MAX_QUOTE + 1);
            String key = graph.stringField(ref, "key", SuspectText.MAX_QUOTE + 1);
            draft.quote = "\"" + SuspectText.quote(description) + "\" (key " + SuspectText.quote(key) + ")";
            found.add(draft);
        }
        return found;
    }

    /** The referent of a {@code java.lang.ref.Reference} instance (its one non-strong edge), or -1 when cleared. */
    static int referent(ObjectGraph graph, int reference) {
        for (long e = graph.firstEdge(reference), end = graph.firstEdge(reference + 1); e < end; e++) {
            if (graph.edgeStrength(e) != 0) {
                return graph.edgeTarget(e);
            }
        }
        return -1;
    }

    /** Which classes are the named class or extend it. */
    static boolean[] subclassesOf(ObjectGraph graph, String className) {
        int classes = graph.classCount();
        boolean[] result = new boolean[classes];
        for (int c = 0; c < classes; c++) {
            int steps = 0;
            for (int k = c; k >= 0 && steps <= classes; k = graph.superClassOf(k), steps++) {
                if (className.equals(graph.className(k))) {
                    result[c] = true;
                    break;
                }
            }
        }
        return result;
    }
}
