package dev.refkit.heap.analysis;

import java.util.List;
import java.util.Objects;

/**
 * A chain of references from a GC root to an object: why that object is alive.
 *
 * <p>Each step names the reference in the user's terms: {@code com.example.Registry.LISTENERS} for a static
 * field, {@code java.util.ArrayList.elementData} for an instance field, {@code java.lang.Object[][3]} for an
 * array element; a reference that is not strong is marked with its strength.
 *
 * @param root  the GC root the chain starts at
 * @param steps the references followed from the root, in order; empty when the object is itself a root
 */
public record GcRootPath(Root root, List<Step> steps) {

    /**
     * Checks that the root is given and copies the steps.
     *
     * @param root  the GC root the chain starts at
     * @param steps the references followed from the root, in order; empty when the object is itself a root
     */
    public GcRootPath {
        Objects.requireNonNull(root, "root");
        steps = List.copyOf(steps);
    }

    /**
     * The GC root a path starts at.
     *
     * @param object     the root object's index in the heap graph
     * @param objectType the root object's class name, or {@code "class X"} for the class object of {@code X}
     * @param kind       the kind of root as the dump records it ({@code STICKY_CLASS}, {@code JAVA_FRAME},
     *                   {@code JNI_GLOBAL}, {@code THREAD_OBJECT} ...)
     * @param thread     the thread holding the root, or {@code null} when the root belongs to no thread
     * @param frame      the stack frame holding the root ({@code "Foo.bar(Foo.java:12)"}), or {@code null}
     */
    public record Root(int object, String objectType, String kind, String thread, String frame) {
        /**
         * Checks that the type and kind are given.
         *
         * @param object     the root object's index in the heap graph
         * @param objectType the root object's class name, or {@code "class X"} for the class object of {@code X}
         * @param kind       the kind of root as the dump records it ({@code STICKY_CLASS}, {@code JAVA_FRAME},
         *     {@code JNI_GLOBAL}, {@code THREAD_OBJECT} ...)
         * @param thread     the thread holding the root, or {@code null} when the root belongs to no thread
         * @param frame      the stack frame holding the root ({@code "Foo.bar(Foo.java:12)"}), or {@code null}
         */
        public Root {
            Objects.requireNonNull(objectType, "objectType");
            Objects.requireNonNull(kind, "kind");
        }

        @Override
        public String toString() {
            StringBuilder text = new StringBuilder("GC root ").append(kind);
            if (thread != null) {
                text.append(" in thread \"").append(thread).append('"');
            }
            if (frame != null) {
                text.append(" at ").append(frame);
            }
            return text.append(": ").append(objectType).toString();
        }
    }

    /**
     * One reference on a path: how the previous object holds the next.
     *
     * @param object     the object reached by this step (its index in the heap graph)
     * @param objectType that object's class name ({@code "class X"} for a class object)
     * @param holderType the class of the object that holds the reference; for a static field, the class
     *                   that declares it
     * @param reference  the reference as the dump names it: a field name, {@code "static NAME"} for a static
     *                   field, {@code "[index]"} for an array element, {@code "<loader>"} and the like for
     *                   class structure
     * @param strength   {@code STRONG}, or the strength of a {@code Reference}'s {@code referent}
     */
    public record Step(int object, String objectType, String holderType, String reference, Reachability strength) {
        /**
         * Checks that the components are given.
         *
         * @param object     the object reached by this step (its index in the heap graph)
         * @param objectType that object's class name ({@code "class X"} for a class object)
         * @param holderType the class of the object that holds the reference; for a static field, the class
         *     that declares it
         * @param reference  the reference as the dump names it: a field name, {@code "static NAME"} for a static
         *     field, {@code "[index]"} for an array element, {@code "<loader>"} and the like for
         *     class structure
         * @param strength   {@code STRONG}, or the strength of a {@code Reference}'s {@code referent}
         */
        public Step {
            Objects.requireNonNull(objectType, "objectType");
            Objects.requireNonNull(holderType, "holderType");
            Objects.requireNonNull(reference, "reference");
            Objects.requireNonNull(strength, "strength");
        }

        /** {@return the reference as a person reads it: {@code Class.staticField}, {@code Type.field} or {@code Type[index]}} */
        public String referenceText() {
            String text;
            if (reference.startsWith("static ")) {
                text = holderType + "." + reference.substring("static ".length());
            } else if (reference.startsWith("[")) {
                text = holderType + reference;
            } else {
                text = holderType + "." + reference;
            }
            return strength == Reachability.STRONG ? text : text + " (" + strength.name().toLowerCase() + ")";
        }

        @Override
        public String toString() {
            return referenceText() + " → " + objectType;
        }
    }

    /** {@return the object the path leads to} */
    public int target() {
        return steps.isEmpty() ? root.object() : steps.get(steps.size() - 1).object();
    }

    /** {@return the number of references on the path (0 when the object is itself a root)} */
    public int length() {
        return steps.size();
    }

    /** The path as lines: the root first, then one reference per line. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder(root.toString());
        for (Step step : steps) {
            text.append(System.lineSeparator()).append("  ↳ ").append(step);
        }
        return text.toString();
    }
}
