package dev.refkit.heap.analysis;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * What each class of a heap is to the leak search, decided once from class names and superclass chains (a
 * heap dump records no interfaces): a collection, a node inside one, a thread, a class loader, a listener.
 */
final class ClassRoles {

    static final int CONTAINER = 1;
    static final int QUEUE = 1 << 1;
    static final int OBJECT_ARRAY = 1 << 2;
    static final int PRIMITIVE_ARRAY = 1 << 3;
    static final int JDK = 1 << 4;
    static final int CLASS_LOADER = 1 << 5;
    static final int THREAD = 1 << 6;
    /** Holds what matters through one field: collection nodes and entries, lambdas, anonymous classes, tasks. */
    static final int WRAPPER = 1 << 7;
    static final int LISTENER = 1 << 8;
    static final int THREAD_LOCAL_MAP = 1 << 9;
    static final int EXECUTOR = 1 << 10;
    /** An application class that declares its bound (a {@code maxMemory}, {@code capacity}, {@code limit} field). */
    static final int BOUNDED = 1 << 11;
    /** A part of a segmented map (refkit's {@code dev.refkit.map.Segment}, Guava's {@code LocalCache$Segment}). */
    static final int SEGMENT = 1 << 12;
    /** A {@code java.lang.ref.Reference}. */
    static final int REFERENCE = 1 << 13;

    private static final Set<String> PRIMITIVE_ARRAYS = Set.of("boolean[]", "char[]", "float[]", "double[]", "byte[]",
            "short[]", "int[]", "long[]");
    private static final Set<String> CONTAINER_ROOTS = Set.of("java.util.AbstractCollection", "java.util.AbstractMap",
            "java.util.Dictionary");
    private static final String[] CONTAINER_SUFFIXES = {"List", "Map", "Set", "Queue", "Deque", "Vector", "Stack",
        "Table", "Collection", "Multimap", "Multiset", "Bag", "Cache"};
    private static final String[] LISTENER_WORDS = {"Listener", "Callback", "Handler", "Observer", "Subscriber",
        "Subscription", "Consumer", "Hook"};
    private static final Set<String> TASK_WRAPPERS = Set.of("java.util.concurrent.FutureTask",
            "java.util.concurrent.Executors$RunnableAdapter", "java.util.concurrent.CompletableFuture$AsyncRun",
            "java.util.concurrent.CompletableFuture$AsyncSupply",
            "java.util.concurrent.ScheduledThreadPoolExecutor$ScheduledFutureTask", "java.util.KeyValueHolder",
            "java.util.AbstractMap$SimpleEntry", "java.util.AbstractMap$SimpleImmutableEntry");

    private static final Pattern BOUND_FIELD = Pattern.compile(
            "(max|maximum|limit|capacity)([A-Z_].*)?|.*(Capacity|Limit|MaxSize|MaxEntries|MaxWeight|MaxMemory|Bound)");

    private final int[] roles;

    private ClassRoles(int[] roles) {
        this.roles = roles;
    }

    static ClassRoles of(ObjectGraph graph) {
        int classes = graph.classCount();
        int[] roles = new int[classes];
        for (int c = 0; c < classes; c++) {
            roles[c] = rolesOf(graph, c, classes);
        }
        return new ClassRoles(roles);
    }

    private static int rolesOf(ObjectGraph graph, int c, int classes) {
        String name = graph.className(c);
        if (name.endsWith("[]")) {
            return PRIMITIVE_ARRAYS.contains(name) ? PRIMITIVE_ARRAY : OBJECT_ARRAY;
        }
        int role = isJdk(name) ? JDK : 0;
        boolean containerAncestor = false;
        int steps = 0;
        for (int k = c; k >= 0 && steps <= classes; k = graph.superClassOf(k), steps++) {
            String ancestor = graph.className(k);
            if (CONTAINER_ROOTS.contains(ancestor)) {
                containerAncestor = true;
            } else if (ancestor.equals("java.lang.ClassLoader")) {
                role |= CLASS_LOADER;
            } else if (ancestor.equals("java.lang.Thread")) {
                role |= THREAD;
            } else if (ancestor.equals("java.util.concurrent.ThreadPoolExecutor")) {
                role |= EXECUTOR;
            } else if (ancestor.equals("java.lang.ref.Reference")) {
                role |= REFERENCE;
            }
        }
        int ancestors = 0;
        for (int k = c; k >= 0 && ancestors <= classes && (role & JDK) == 0; k = graph.superClassOf(k), ancestors++) {
            if (isJdk(graph.className(k))) {
                break;
            }
            for (String field : graph.primitiveFieldNames(k)) {
                if (BOUND_FIELD.matcher(field).matches()) {
                    role |= BOUNDED;
                }
            }
        }
        String simple = simpleName(name);
        if (simple.endsWith("Segment")) {
            role |= SEGMENT;
        }
        if (name.equals("java.lang.ThreadLocal$ThreadLocalMap")) {
            return role | THREAD_LOCAL_MAP;
        }
        boolean nested = name.lastIndexOf('$') > name.lastIndexOf('.');
        if (containerAncestor || endsWithAny(simple, CONTAINER_SUFFIXES) && !isInternalNode(simple)) {
            role |= CONTAINER;
            if (simple.endsWith("Queue") || simple.endsWith("Deque")) {
                role |= QUEUE;
            }
        } else if ((role & JDK) != 0 && nested && isInternalNode(simple) && isContainerName(outerName(name))
                || TASK_WRAPPERS.contains(name) || name.startsWith("java.lang.invoke.")) {
            role |= WRAPPER;
        }
        if (isHiddenOrAnonymous(name)) {
            role |= WRAPPER | LISTENER;
        } else if ((role & (JDK | CONTAINER)) == 0 && containsAny(simple, LISTENER_WORDS)) {
            role |= LISTENER;
        }
        return role;
    }

    /** The class's roles, as bits. */
    int of(int classId) {
        return classId >= 0 && classId < roles.length ? roles[classId] : 0;
    }

    boolean is(int classId, int role) {
        return classId >= 0 && classId < roles.length && (roles[classId] & role) != 0;
    }

    boolean isObject(ObjectGraph graph, int object, int role) {
        return graph.classForObject(object) < 0 && is(graph.classOf(object), role);
    }

    static boolean isJdk(String className) {
        return className.startsWith("java.") || className.startsWith("javax.") || className.startsWith("jdk.")
                || className.startsWith("sun.") || className.startsWith("com.sun.");
    }

    /** A lambda or other hidden class, or an anonymous class ({@code Outer$1}). */
    static boolean isHiddenOrAnonymous(String className) {
        if (className.contains("$$Lambda")) {
            return true;
        }
        int dollar = className.lastIndexOf('$');
        if (dollar < 0 || dollar == className.length() - 1) {
            return false;
        }
        for (int i = dollar + 1; i < className.length(); i++) {
            if (!Character.isDigit(className.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** The name after the last {@code .} and {@code $}: {@code java.util.HashMap$Node} → {@code Node}. */
    static String simpleName(String className) {
        int cut = Math.max(className.lastIndexOf('.'), className.lastIndexOf('$'));
        return className.substring(cut + 1);
    }

    private static String outerName(String className) {
        int dollar = className.lastIndexOf('$');
        return dollar < 0 ? className : className.substring(0, dollar);
    }

    private static boolean isContainerName(String className) {
        return endsWithAny(simpleName(className), CONTAINER_SUFFIXES);
    }

    private static boolean isInternalNode(String simple) {
        return simple.endsWith("Node") || simple.endsWith("Entry") || simple.endsWith("Index")
                || simple.endsWith("Segment") || simple.endsWith("Cell") || simple.endsWith("Bin");
    }

    private static boolean endsWithAny(String text, String[] suffixes) {
        for (String suffix : suffixes) {
            if (text.endsWith(suffix)) {
                return true;
            }
        }
        return false;
    }

    private static boolean containsAny(String text, String[] words) {
        for (String word : words) {
            if (text.contains(word)) {
                return true;
            }
        }
        return false;
    }
}
