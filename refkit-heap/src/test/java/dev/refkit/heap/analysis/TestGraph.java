package dev.refkit.heap.analysis;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A small heap graph built by hand, in the shape the analyses read. */
final class TestGraph implements ObjectGraph {

    private final int n;
    private final int[] first;
    private final int[] target;
    private final byte[] strength;
    private final String[] names;
    private final int[] roots;
    private final String[] rootKinds;
    private final String[] rootThreads;
    private final String[] rootFrames;
    private final long[] sizes;
    private final int[] classOf;
    private final int[] classFor;
    private final List<String> classNames;
    private final int[] superClasses;
    private final Map<Long, String> strings;
    private final int[] rootThreadObjects;
    private final int[] rootFrameDepths;
    private final int[] classObjects;
    private final int[] classLoaders;
    private final Map<Integer, List<String>> fields;

    private TestGraph(Builder b) {
        n = b.sizes.size();
        first = new int[n + 1];
        for (int[] edge : b.edges) {
            first[edge[0] + 1]++;
        }
        for (int o = 0; o < n; o++) {
            first[o + 1] += first[o];
        }
        int[] cursor = first.clone();
        target = new int[b.edges.size()];
        strength = new byte[b.edges.size()];
        names = new String[b.edges.size()];
        for (int i = 0; i < b.edges.size(); i++) {
            int[] edge = b.edges.get(i);
            int slot = cursor[edge[0]]++;
            target[slot] = edge[1];
            strength[slot] = (byte) edge[2];
            names[slot] = b.edgeNames.get(i);
        }
        roots = b.roots.stream().mapToInt(Integer::intValue).toArray();
        rootKinds = b.rootKinds.toArray(String[]::new);
        rootThreads = b.rootThreads.toArray(String[]::new);
        rootFrames = b.rootFrames.toArray(String[]::new);
        sizes = b.sizes.stream().mapToLong(Long::longValue).toArray();
        classOf = b.classOf.stream().mapToInt(Integer::intValue).toArray();
        classFor = b.classFor.stream().mapToInt(Integer::intValue).toArray();
        classNames = List.copyOf(b.classNames);
        superClasses = b.superClasses.stream().mapToInt(Integer::intValue).toArray();
        strings = Map.copyOf(b.strings);
        rootThreadObjects = b.rootThreadObjects.stream().mapToInt(Integer::intValue).toArray();
        rootFrameDepths = b.rootFrameDepths.stream().mapToInt(Integer::intValue).toArray();
        classObjects = new int[classNames.size()];
        java.util.Arrays.fill(classObjects, -1);
        for (int o = 0; o < n; o++) {
            if (classFor[o] >= 0) {
                classObjects[classFor[o]] = o;
            }
        }
        classLoaders = new int[classNames.size()];
        java.util.Arrays.fill(classLoaders, -1);
        b.loaders.forEach((cls, loader) -> classLoaders[cls] = loader);
        fields = Map.copyOf(b.fields);
    }

    static Builder builder() {
        return new Builder();
    }

    static final class Builder {
        private final List<Long> sizes = new ArrayList<>();
        private final List<Integer> classOf = new ArrayList<>();
        private final List<Integer> classFor = new ArrayList<>();
        private final List<int[]> edges = new ArrayList<>();
        private final List<String> edgeNames = new ArrayList<>();
        private final List<Integer> roots = new ArrayList<>();
        private final List<String> rootKinds = new ArrayList<>();
        private final List<String> rootThreads = new ArrayList<>();
        private final List<String> rootFrames = new ArrayList<>();
        private final List<String> classNames = new ArrayList<>();
        private final List<Integer> superClasses = new ArrayList<>();
        private final Map<String, Integer> classIds = new HashMap<>();
        private final Map<Long, String> strings = new HashMap<>();
        private final List<Integer> rootThreadObjects = new ArrayList<>();
        private final List<Integer> rootFrameDepths = new ArrayList<>();
        private final Map<Integer, Integer> loaders = new HashMap<>();
        private final Map<Integer, List<String>> fields = new HashMap<>();

        /** Declares a class (without a class object) and returns its id. */
        int declareClass(String name, String superName) {
            Integer existing = classIds.get(name);
            if (existing != null) {
                return existing;
            }
            int superId = superName == null ? -1 : declareClass(superName, null);
            int id = classNames.size();
            classNames.add(name);
            superClasses.add(superId);
            classIds.put(name, id);
            return id;
        }

        /** Adds an instance of the named class (declared on first use) with the given shallow size. */
        int object(String className, long size) {
            return add(className == null ? -1 : declareClass(className, null), -1, size);
        }

        /** Adds an instance of a class declared with its superclass. */
        int object(String className, String superName, long size) {
            return add(declareClass(className, superName), -1, size);
        }

        /** Adds the class object standing for the named class. */
        int classObject(String className, long size) {
            return add(declareClass("java.lang.Class", null), declareClass(className, null), size);
        }

        int object(long size) {
            return add(-1, -1, size);
        }

        private int add(int cls, int represented, long size) {
            sizes.add(size);
            classOf.add(cls);
            classFor.add(represented);
            return sizes.size() - 1;
        }

        Builder ref(int from, int to) {
            return ref(from, to, Reachability.STRONG, "f" + to);
        }

        Builder ref(int from, int to, String name) {
            return ref(from, to, Reachability.STRONG, name);
        }

        Builder ref(int from, int to, Reachability strength, String name) {
            edges.add(new int[] {from, to, strength.ordinal()});
            edgeNames.add(name);
            return this;
        }

        Builder root(int object) {
            return root(object, "STICKY_CLASS", null, null);
        }

        Builder root(int object, String kind, String thread, String frame) {
            return root(object, kind, thread, frame, -1, frame == null ? -1 : 0);
        }

        /** A root held by a thread object's stack, at a frame depth (0 the top). */
        Builder root(int object, String kind, String thread, String frame, int threadObject, int frameDepth) {
            roots.add(object);
            rootKinds.add(kind);
            rootThreads.add(thread);
            rootFrames.add(frame);
            rootThreadObjects.add(threadObject);
            rootFrameDepths.add(frameDepth);
            return this;
        }

        /** Declares primitive instance fields of the named class. */
        Builder primitiveFields(String className, String... names) {
            fields.put(declareClass(className, null), List.of(names));
            return this;
        }

        /** Records that the named class was defined by the given class loader object. */
        Builder loader(String className, int loaderObject) {
            loaders.put(declareClass(className, null), loaderObject);
            return this;
        }

        Builder string(int object, String field, String text) {
            strings.put(((long) object << 32) | field.hashCode() & 0xffffffffL, text);
            return this;
        }

        TestGraph build() {
            return new TestGraph(this);
        }
    }

    @Override public int objectCount() { return n; }
    @Override public long firstEdge(int object) { return first[object]; }
    @Override public int edgeTarget(long edge) { return target[(int) edge]; }
    @Override public int edgeSource(long edge) {
        int source = 0;
        while (first[source + 1] <= edge) { // objects without edges share their first edge with the next
            source++;
        }
        return source;
    }
    @Override public int edgeStrength(long edge) { return strength[(int) edge]; }
    @Override public String edgeName(long edge) { return names[(int) edge]; }
    @Override public int rootCount() { return roots.length; }
    @Override public int rootObject(int root) { return roots[root]; }
    @Override public String rootKind(int root) { return rootKinds[root]; }
    @Override public String rootThread(int root) { return rootThreads[root]; }
    @Override public String rootFrame(int root) { return rootFrames[root]; }
    @Override public long shallowSize(int object) { return sizes[object]; }
    @Override public int classOf(int object) { return classOf[object]; }
    @Override public int classCount() { return classNames.size(); }
    @Override public String className(int classId) { return classNames.get(classId); }
    @Override public int superClassOf(int classId) { return superClasses[classId]; }
    @Override public int classForObject(int object) { return classFor[object]; }
    @Override public boolean isStaticField(long edge) { return names[(int) edge].startsWith("static "); }
    @Override public int rootThreadObject(int root) { return rootThreadObjects[root]; }
    @Override public int rootFrameDepth(int root) { return rootFrameDepths[root]; }
    @Override public int classObject(int classId) { return classObjects[classId]; }
    @Override public int classLoaderOf(int classId) { return classLoaders[classId]; }
    @Override public List<String> primitiveFieldNames(int classId) { return fields.getOrDefault(classId, List.of()); }

    @Override
    public String stringField(int object, String fieldName) {
        return strings.get(((long) object << 32) | fieldName.hashCode() & 0xffffffffL);
    }
}
