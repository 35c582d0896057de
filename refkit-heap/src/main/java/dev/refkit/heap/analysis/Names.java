package dev.refkit.heap.analysis;

/** How objects and their classes are named in results. */
final class Names {

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
}
