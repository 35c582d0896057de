package dev.refkit.heap.analysis;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a path from a GC root upward from the object that matters (a container, or where a stale class loader's
 * world is entered) to the reference a person would change: the nearest static field that holds an object on
 * the path (even when the shortest path arrives another way, through a worker thread say), else the thread and
 * frame at the root; on the way, the nearest named field of an application object (not of a collection's
 * internals). A ThreadLocal's value is owned by the ThreadLocal, named by the static field that holds it.
 * Steps through class loaders and class structure above the owner are context ("loaded by app"), not owners.
 */
final class OwnerResolver {

    private static final long NONE = -1;

    /**
     * An owner and the path drawn from it.
     *
     * @param owner     the owner
     * @param path      the path, spliced through the owner's static field when the shortest path did not pass it
     * @param ownerStep the owner's step in the path, -1 for the root
     * @param shift     how far positions on the original path moved in {@code path} (the splice)
     * @param signature the class and field names from the owner to the object resolved, for the fingerprint
     */
    record Resolution(LeakSuspect.Owner owner, GcRootPath path, int ownerStep, int shift, String signature) {
    }

    private final ObjectGraph graph;
    private final ClassRoles roles;
    private final ShortestPaths paths;
    /** Object → (class object << 32 | the static field's edge, counted from the class object's first) holding it. */
    private Map<Integer, Long> staticHolders;
    private java.util.BitSet heldByStatic;
    /**
     * Object → the object holding it that a static field holds, for objects one field below a static field's
     * plain object: {@code Executors.newSingleThreadExecutor()} puts the ThreadPoolExecutor one step below the
     * static field, behind a delegate.
     */
    private Map<Integer, Integer> belowStatics;

    OwnerResolver(ObjectGraph graph, ClassRoles roles, ShortestPaths paths) {
        this.graph = graph;
        this.roles = roles;
        this.paths = paths;
    }

    /** The object at a position of a path: 0 the root, {@code i} the target of step {@code i - 1}. */
    static int objectAt(GcRootPath path, int position) {
        return position == 0 ? path.root().object() : path.steps().get(position - 1).object();
    }

    /** The owner of the object at {@code position} of the path. */
    Resolution resolve(GcRootPath path, int position) {
        List<GcRootPath.Step> steps = path.steps();
        int nearestField = -1;
        for (int j = position; j >= 0; j--) {
            int object = objectAt(path, j);
            GcRootPath.Step step = j == 0 ? null : steps.get(j - 1);
            int holder = j == 0 ? -1 : objectAt(path, j - 1);
            if (step != null && step.reference().equals("value")
                    && step.holderType().equals("java.lang.ThreadLocal$ThreadLocalMap$Entry")) {
                return threadLocal(path, j, position);
            }
            if (step != null && step.reference().startsWith("static ")) {
                return staticOwner(path, j - 1, nearestField, position, 0);
            }
            long holderStatic = staticHolder(object);
            if (holderStatic != NONE) {
                return spliced(path, j, -1, holderStatic, nearestField, position);
            }
            int delegate = belowStatic(object);
            if (delegate >= 0 && delegate != holder) {
                return spliced(path, j, delegate, staticHolder(delegate), nearestField, position);
            }
            if (step == null || step.reference().startsWith("<")
                    || roles.isObject(graph, holder, ClassRoles.CLASS_LOADER)) {
                break;
            }
            if (nearestField < 0 && isNamedField(step) && isPlainHolder(holder)) {
                nearestField = j - 1;
            }
        }
        return rootOwner(path, nearestField, position);
    }

    private static boolean isNamedField(GcRootPath.Step step) {
        String reference = step.reference();
        return !reference.startsWith("[") && !reference.startsWith("<") && !reference.startsWith("static ");
    }

    /**
     * An application object that is not a collection or a node of one: its field is the one a person edits. A
     * JDK object's field ({@code ThreadPoolExecutor.workQueue}) stays on the path, but the owner is what holds
     * the JDK object.
     */
    private boolean isPlainHolder(int holder) {
        return graph.classForObject(holder) < 0 && !roles.isObject(graph, holder,
                ClassRoles.JDK | ClassRoles.CONTAINER | ClassRoles.WRAPPER | ClassRoles.OBJECT_ARRAY | ClassRoles.THREAD
                        | ClassRoles.THREAD_LOCAL_MAP | ClassRoles.LISTENER);
    }

    /**
     * The path through the static field that holds the object at {@code position}, directly ({@code delegate}
     * -1) or through the delegate it holds.
     */
    private Resolution spliced(GcRootPath path, int position, int delegate, long holderStatic, int nearestField,
                               int target) {
        int classObject = (int) (holderStatic >>> 32);
        long edge = staticEdge(holderStatic);
        GcRootPath prefix = paths.pathTo(classObject);
        List<GcRootPath.Step> steps = new ArrayList<>(prefix.steps());
        int object = objectAt(path, position);
        int first = delegate >= 0 ? delegate : object;
        steps.add(new GcRootPath.Step(first, Names.objectType(graph, first), Names.holderType(graph, classObject),
                graph.edgeName(edge), Reachability.STRONG));
        if (delegate >= 0) {
            steps.add(new GcRootPath.Step(object, Names.objectType(graph, object), Names.holderType(graph, delegate),
                    edgeName(delegate, object), Reachability.STRONG));
        }
        steps.addAll(path.steps().subList(position, path.steps().size()));
        int shift = steps.size() - path.steps().size();
        GcRootPath joined = new GcRootPath(prefix.root(), steps);
        return staticOwner(joined, prefix.steps().size(), nearestField < 0 ? -1 : nearestField + shift,
                target + shift, shift);
    }

    private Resolution staticOwner(GcRootPath path, int staticStep, int nearestField, int target, int shift) {
        GcRootPath.Step step = path.steps().get(staticStep);
        String className = step.holderType();
        String field = step.reference().substring("static ".length());
        int classObject = objectAt(path, staticStep);
        String staticName = "static field " + className + "." + field;
        String signature = "static " + Names.stable(className) + "." + field + signature(path, staticStep + 1, target);
        LeakSuspect.Owner owner;
        if (nearestField >= 0 && nearestField > staticStep) {
            GcRootPath.Step fieldStep = path.steps().get(nearestField);
            String holder = fieldStep.holderType();
            String context = (nearestField == staticStep + 1 ? "the " + Names.shortName(holder) + " in " : "reached from ")
                    + staticName;
            owner = new LeakSuspect.Owner(LeakSuspect.Owner.Type.INSTANCE_FIELD,
                    "field " + holder + "." + fieldStep.reference(), holder, fieldStep.reference(), List.of(), null,
                    context);
        } else {
            owner = new LeakSuspect.Owner(LeakSuspect.Owner.Type.STATIC_FIELD, staticName, className, field, List.of(),
                    null, Names.shortName(className) + " loaded by " + loaderName(declaringLoader(classObject)));
        }
        return new Resolution(owner, path, staticStep, shift, signature);
    }

    private Resolution rootOwner(GcRootPath path, int nearestField, int target) {
        GcRootPath.Root root = path.root();
        String thread = root.thread();
        if (thread == null && "THREAD_OBJECT".equals(root.kind())) {
            thread = graph.stringField(root.object(), "name", Names.MAX_NAME);
        }
        String where = rootPhrase(root, thread);
        String signature = "root " + root.kind() + (root.frame() == null ? "" : " " + method(root.frame()))
                + signature(path, 0, target);
        LeakSuspect.Owner owner;
        List<String> threads = thread == null ? List.of() : List.of(thread);
        if (nearestField >= 0) {
            GcRootPath.Step fieldStep = path.steps().get(nearestField);
            owner = new LeakSuspect.Owner(LeakSuspect.Owner.Type.INSTANCE_FIELD,
                    "field " + fieldStep.holderType() + "." + fieldStep.reference(), fieldStep.holderType(),
                    fieldStep.reference(), threads, root.frame(), "reached from " + where);
        } else if (thread != null) {
            String description = "thread \"" + thread + "\"" + (root.frame() != null ? " at " + root.frame()
                    + ", a local variable" : "THREAD_OBJECT".equals(root.kind()) ? "" : "'s stack");
            owner = new LeakSuspect.Owner(LeakSuspect.Owner.Type.THREAD_STACK, description, null, null, threads,
                    root.frame(), root.frame() != null ? "a GC root while the frame runs" : "a GC root while the thread runs");
        } else {
            owner = new LeakSuspect.Owner(LeakSuspect.Owner.Type.GC_ROOT, "GC root " + root.kind() + " ("
                    + root.objectType() + ")", null, null, threads, root.frame(), where);
        }
        return new Resolution(owner, path, -1, 0, signature);
    }

    private Resolution threadLocal(GcRootPath path, int valuePosition, int target) {
        int entry = objectAt(path, valuePosition - 1);
        int threadLocal = LeakSuspectSearch.referent(graph, entry);
        String className = null;
        String field = null;
        String description;
        if (threadLocal >= 0 && staticHolder(threadLocal) != NONE) {
            long holder = staticHolder(threadLocal);
            className = Names.holderType(graph, (int) (holder >>> 32));
            field = graph.edgeName(staticEdge(holder)).substring("static ".length());
            description = "ThreadLocal " + className + "." + field;
        } else {
            description = "a ThreadLocal" + (threadLocal >= 0 ? " (" + Names.objectType(graph, threadLocal) + ")" : "");
        }
        String thread = null;
        for (int i = valuePosition - 1; i >= 0 && thread == null; i--) {
            int object = objectAt(path, i);
            if (roles.isObject(graph, object, ClassRoles.THREAD)) {
                thread = graph.stringField(object, "name", Names.MAX_NAME);
            }
        }
        if (thread == null) {
            thread = path.root().thread();
        }
        List<String> threads = thread == null ? List.of() : List.of(thread);
        LeakSuspect.Owner owner = new LeakSuspect.Owner(LeakSuspect.Owner.Type.THREAD_LOCAL, description, className,
                field, threads, null, "its values live in the threads that set them, until remove() or the thread ends");
        String signature = "ThreadLocal " + (className == null ? "?" : Names.stable(className) + "." + field)
                + signature(path, valuePosition, target);
        return new Resolution(owner, path, -1, 0, signature);
    }

    /** How a root holds its object, in a phrase: {@code thread "main" at Demo.run(Demo.java:12)}. */
    static String rootPhrase(GcRootPath.Root root, String thread) {
        if (thread != null) {
            return "thread \"" + thread + "\"" + (root.frame() != null ? " at " + root.frame() : "");
        }
        return "GC root " + root.kind();
    }

    /** A frame's method without its line: {@code app.Ingest.run(Ingest.java:42)} → {@code app.Ingest.run}. */
    static String method(String frame) {
        int paren = frame.indexOf('(');
        return paren < 0 ? frame : frame.substring(0, paren);
    }

    /** The steps after {@code fromPosition} up to the object at {@code target}, generalised. */
    String signature(GcRootPath path, int fromPosition, int target) {
        StringBuilder text = new StringBuilder();
        for (int i = fromPosition; i < target && i < path.steps().size(); i++) {
            GcRootPath.Step step = path.steps().get(i);
            String reference = step.reference().startsWith("[") ? "[*]" : step.reference();
            text.append(" → ").append(Names.stable(step.holderType())).append(' ').append(reference);
        }
        if (target > 0 && target <= path.steps().size()) {
            text.append(" → ").append(Names.stable(path.steps().get(target - 1).objectType()));
        }
        return text.toString();
    }

    /** The loader that defined the class a class object stands for, or -1 for the boot loader. */
    int declaringLoader(int classObject) {
        int cls = graph.classForObject(classObject);
        return cls < 0 ? -1 : graph.classLoaderOf(cls);
    }

    /** The loader that defined an object's class (for a class object: the class it stands for), or -1. */
    int loaderOf(int object) {
        int cls = graph.classForObject(object);
        if (cls < 0) {
            cls = graph.classOf(object);
        }
        return cls < 0 ? -1 : graph.classLoaderOf(cls);
    }

    /** A class loader as a person names it: its name ({@code app}, {@code platform}) or its class. */
    String loaderName(int loader) {
        if (loader < 0) {
            return "the boot loader";
        }
        String name = graph.stringField(loader, "name", Names.MAX_NAME);
        return name != null ? name : Names.shortName(Names.className(graph, loader));
    }

    private String edgeName(int holder, int target) {
        for (long e = graph.firstEdge(holder), end = graph.firstEdge(holder + 1); e < end; e++) {
            if (graph.edgeTarget(e) == target && graph.edgeStrength(e) == 0) {
                return graph.edgeName(e);
            }
        }
        return "?";
    }

    /** The plain object held by a static field that holds this object through one of its fields, or -1. */
    int belowStatic(int object) {
        if (belowStatics == null) {
            staticHolder(object);
            Map<Integer, Integer> below = new HashMap<>();
            for (int held : staticHolders.keySet()) {
                if (graph.classForObject(held) >= 0 || roles.isObject(graph, held, ClassRoles.CONTAINER
                        | ClassRoles.OBJECT_ARRAY | ClassRoles.PRIMITIVE_ARRAY | ClassRoles.WRAPPER
                        | ClassRoles.THREAD | ClassRoles.CLASS_LOADER)) {
                    continue;
                }
                for (long e = graph.firstEdge(held), end = graph.firstEdge(held + 1); e < end; e++) {
                    int target = graph.edgeTarget(e);
                    if (graph.edgeStrength(e) == 0 && graph.classForObject(target) < 0) {
                        below.putIfAbsent(target, held);
                    }
                }
            }
            belowStatics = below;
        }
        return belowStatics.getOrDefault(object, -1);
    }

    /** Whether a static field holds the object: a bit per object, for callers that ask of every object. */
    boolean heldByStatic(int object) {
        if (heldByStatic == null) {
            staticHolder(object);
            java.util.BitSet bits = new java.util.BitSet(graph.objectCount());
            staticHolders.keySet().forEach(bits::set);
            heldByStatic = bits;
        }
        return heldByStatic.get(object);
    }

    /** The edge of a static holder ({@link #staticHolder}). */
    long staticEdge(long holder) {
        return graph.firstEdge((int) (holder >>> 32)) + (int) holder;
    }

    /**
     * The static field holding an object, as (class object << 32 | its edge's position among the class object's
     * edges), or {@link #NONE}.
     */
    long staticHolder(int object) {
        if (staticHolders == null) {
            Map<Integer, Long> holders = new HashMap<>();
            for (int c = 0, classes = graph.classCount(); c < classes; c++) {
                int classObject = graph.classObject(c);
                if (classObject < 0) {
                    continue;
                }
                long first = graph.firstEdge(classObject);
                for (long e = first, end = graph.firstEdge(classObject + 1); e < end; e++) {
                    if (graph.edgeStrength(e) == 0 && graph.isStaticField(e)) {
                        holders.putIfAbsent(graph.edgeTarget(e), ((long) classObject << 32) | (e - first));
                    }
                }
            }
            staticHolders = holders;
        }
        return staticHolders.getOrDefault(object, NONE);
    }
}
