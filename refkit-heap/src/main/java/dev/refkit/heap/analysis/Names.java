package dev.refkit.heap.analysis;

import java.util.regex.Pattern;

/** How objects and their classes are named in results. */
final class Names {

    /** A hidden class's unique suffix: {@code $$Lambda$68+0x7fc6c10d6418}, {@code $$Lambda/0x000001} (JDK 21+). */
    private static final Pattern HIDDEN_SUFFIX = Pattern.compile("\\$\\$Lambda(\\$\\d+)?([+/]0x[0-9a-fA-F]+)?");

    /** Longest thread or loader name read from a dump, in characters: a name of megabytes is cut, not copied. */
    static final int MAX_NAME = 256;

    private Names() {
    }

    /** The object's class name, {@code "class X"} for the class object of X, or {@code "<no class>"}. */
    static String objectType(ObjectGraph graph, int object) {
        int represented = graph.classForObject(object);
        if (represented >= 0) {
            return "class " + graph.className(represented);
        }
        return className(graph, object);
    }

    /** The class whose member a reference from this object is: the class itself for a class object. */
    static String holderType(ObjectGraph graph, int object) {
        int represented = graph.classForObject(object);
        return represented >= 0 ? graph.className(represented) : className(graph, object);
    }

    static String className(ObjectGraph graph, int object) {
        int cls = graph.classOf(object);
        return cls >= 0 && cls < graph.classCount() ? graph.className(cls) : ReachabilityCensus.NO_CLASS;
    }

    /** A class name without its package, hidden-class suffixes dropped: {@code HashMap$Node}, {@code Feed$$Lambda}. */
    static String shortName(String className) {
        String name = stable(className);
        int generic = name.indexOf('<');
        int dot = name.lastIndexOf('.', generic < 0 ? name.length() : generic);
        return name.substring(dot + 1);
    }

    /** The name with hidden-class suffixes dropped, the same in every run of a program: {@code app.Feed$$Lambda}. */
    static String stable(String className) {
        return className.contains("$$Lambda") ? HIDDEN_SUFFIX.matcher(className).replaceAll("\\$\\$Lambda") : className;
    }
}
