package dev.refkit.heap;

/**
 * What kind of reference an edge of the {@link HeapGraph} is.
 *
 * <p>Only the {@code referent} field of an instance of a {@code java.lang.ref.Reference} subclass is
 * non-strong; its kind is the family of that subclass. All other fields of a Reference ({@code queue},
 * {@code next}, {@code discovered}) are ordinary strong {@link #FIELD}s.
 */
public enum ReferenceKind {
    /** An instance field of an ordinary object, strong. */
    FIELD,
    /** A static field of a class, reached from the class object, strong. */
    STATIC_FIELD,
    /** An element of an object array, strong. */
    ARRAY_ELEMENT,
    /**
     * A reference the JVM keeps for the class structure, strong: an object to its class ({@code <class>}),
     * a class to its super class ({@code <super>}), class loader ({@code <loader>}), signers, protection
     * domain and constant-pool entries.
     */
    CLASS_STRUCTURE,
    /** The referent of a {@code java.lang.ref.SoftReference}. */
    SOFT_REFERENT,
    /** The referent of a {@code java.lang.ref.WeakReference}. */
    WEAK_REFERENT,
    /** The referent of a {@code java.lang.ref.FinalReference} (HotSpot's {@code java.lang.ref.Finalizer}). */
    FINALIZER_REFERENT,
    /**
     * The referent of a {@code java.lang.ref.PhantomReference}, including {@code jdk.internal.ref.Cleaner}
     * and {@code sun.misc.Cleaner}.
     */
    PHANTOM_REFERENT;

    private static final ReferenceKind[] VALUES = values();

    /** {@return whether an edge of this kind keeps its target strongly reachable} */
    public boolean isStrong() {
        return ordinal() <= CLASS_STRUCTURE.ordinal();
    }

    /**
     * The constant of this ordinal, as the index stores it ({@code (byte) ordinal()}), without a copy of
     * {@code values()}.
     *
     * @param ordinal the constant's {@link #ordinal()}
     * @return the constant
     */
    public static ReferenceKind ofOrdinal(int ordinal) {
        return VALUES[ordinal];
    }
}
