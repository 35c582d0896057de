package dev.refkit.heap.analysis;

import dev.refkit.heap.GcRoot;
import dev.refkit.heap.GcRootKind;
import dev.refkit.heap.HeapClass;
import dev.refkit.heap.HeapGraph;
import dev.refkit.heap.ObjectRef;
import dev.refkit.heap.ReferenceKind;
import dev.refkit.heap.index.Storage;
import java.util.List;

/**
 * The analyses' view of a {@link HeapGraph}: references and their strengths straight from the graph's
 * arrays, names decoded from the dump only when a result shows them.
 *
 * <p>Android's {@code UNREACHABLE} "roots" mark objects the VM found unreachable; they are not roots here.
 */
final class HeapGraphView implements ObjectGraph {

    private static final int[] STRENGTH_OF_KIND = new int[ReferenceKind.values().length];

    static {
        for (ReferenceKind kind : ReferenceKind.values()) {
            STRENGTH_OF_KIND[kind.ordinal()] = switch (kind) {
                case FIELD, STATIC_FIELD, ARRAY_ELEMENT, CLASS_STRUCTURE -> Reachability.STRONG.ordinal();
                case SOFT_REFERENT -> Reachability.SOFT.ordinal();
                case WEAK_REFERENT -> Reachability.WEAK.ordinal();
                case FINALIZER_REFERENT -> Reachability.FINALIZER.ordinal();
                case PHANTOM_REFERENT -> Reachability.PHANTOM.ordinal();
            };
        }
    }

    private final HeapGraph graph;
    private final List<HeapClass> classes;
    /** Indexes of the graph's GC roots that count as roots. */
    private final int[] roots;
    private final int[] rootObjects;

    HeapGraphView(HeapGraph graph) {
        this.graph = graph;
        this.classes = graph.classes();
        int count = 0;
        for (int i = 0, n = graph.gcRootCount(); i < n; i++) {
            if (countsAsRoot(graph.gcRoot(i))) {
                count++;
            }
        }
        roots = new int[count];
        rootObjects = new int[count];
        for (int i = 0, r = 0, n = graph.gcRootCount(); i < n; i++) {
            GcRoot root = graph.gcRoot(i);
            if (countsAsRoot(root)) {
                roots[r] = i;
                rootObjects[r++] = root.object();
            }
        }
    }

    private boolean countsAsRoot(GcRoot root) {
        return root.kind() != GcRootKind.UNREACHABLE && root.object() >= 0 && root.object() < graph.objectCount();
    }

    @Override
    public int objectCount() {
        return graph.objectCount();
    }

    @Override
    public Storage storage() {
        return graph.storage();
    }

    @Override
    public long firstEdge(int object) {
        return graph.firstReference(object);
    }

    @Override
    public int edgeTarget(long edge) {
        return graph.referenceTarget(edge);
    }

    @Override
    public int edgeStrength(long edge) {
        return STRENGTH_OF_KIND[graph.referenceKind(edge).ordinal()];
    }

    @Override
    public int edgeSource(long edge) {
        return graph.referenceSource(edge);
    }

    @Override
    public String edgeName(long edge) {
        return graph.referenceName(edge);
    }

    @Override
    public String[] edgeNames(int object) {
        return graph.referenceNames(object);
    }

    @Override
    public boolean isStaticField(long edge) {
        return graph.referenceKind(edge) == ReferenceKind.STATIC_FIELD;
    }

    @Override
    public int rootCount() {
        return roots.length;
    }

    @Override
    public int rootObject(int root) {
        return rootObjects[root];
    }

    @Override
    public String rootKind(int root) {
        return graph.gcRoot(roots[root]).kind().name();
    }

    @Override
    public String rootThread(int root) {
        GcRoot gcRoot = graph.gcRoot(roots[root]);
        int thread = gcRoot.kind() == GcRootKind.THREAD_OBJECT && gcRoot.thread() < 0 ? gcRoot.object() : gcRoot.thread();
        if (thread < 0 || thread >= graph.objectCount()) {
            return null;
        }
        String name = stringField(thread, "name", Names.MAX_NAME);
        return name != null ? name : "thread " + Long.toHexString(graph.objectId(thread));
    }

    @Override
    public String rootFrame(int root) {
        GcRoot gcRoot = graph.gcRoot(roots[root]);
        return gcRoot.frame() == null ? null : gcRoot.frame().toString();
    }

    @Override
    public int rootThreadObject(int root) {
        int thread = graph.gcRoot(roots[root]).thread();
        return thread >= 0 && thread < graph.objectCount() ? thread : -1;
    }

    @Override
    public int rootFrameDepth(int root) {
        return graph.gcRoot(roots[root]).frameDepth();
    }

    @Override
    public long shallowSize(int object) {
        return graph.shallowSize(object);
    }

    @Override
    public int classOf(int object) {
        HeapClass c = graph.classOf(object);
        return c == null ? -1 : c.index();
    }

    @Override
    public int classCount() {
        return classes.size();
    }

    @Override
    public String className(int classId) {
        return classes.get(classId).name();
    }

    @Override
    public int superClassOf(int classId) {
        HeapClass superClass = classes.get(classId).superClass();
        return superClass == null ? -1 : superClass.index();
    }

    @Override
    public int classForObject(int object) {
        HeapClass c = graph.asClass(object);
        return c == null ? -1 : c.index();
    }

    @Override
    public int classObject(int classId) {
        int object = classes.get(classId).objectIndex();
        return object >= 0 && object < graph.objectCount() ? object : -1;
    }

    @Override
    public int classLoaderOf(int classId) {
        int loader = classes.get(classId).classLoader();
        return loader >= 0 && loader < graph.objectCount() ? loader : -1;
    }

    @Override
    public List<String> primitiveFieldNames(int classId) {
        List<String> names = new java.util.ArrayList<>();
        for (HeapClass.Field field : classes.get(classId).fields()) {
            if (field.type() != dev.refkit.heap.hprof.BasicType.OBJECT) {
                names.add(field.name());
            }
        }
        return names;
    }

    @Override
    public String stringField(int object, String fieldName) {
        return stringField(object, fieldName, Integer.MAX_VALUE);
    }

    @Override
    public String stringField(int object, String fieldName, int maxChars) {
        Object value;
        try {
            value = graph.fieldValue(object, fieldName);
        } catch (IllegalArgumentException noSuchField) {
            return null;
        }
        if (value instanceof ObjectRef ref && ref.object() >= 0) {
            return graph.stringValue(ref.object(), maxChars);
        }
        return null;
    }
}
