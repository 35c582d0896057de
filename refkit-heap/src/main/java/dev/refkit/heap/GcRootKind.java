package dev.refkit.heap;

/**
 * Why the JVM holds an object as a garbage-collection root, as recorded in an HPROF dump. The first nine
 * kinds are HotSpot's; the others appear in Android dumps (format 1.0.3).
 */
public enum GcRootKind {
    /** A root of unknown origin ({@code ROOT_UNKNOWN}). */
    UNKNOWN(0xff),
    /** A global JNI reference ({@code ROOT_JNI_GLOBAL}). */
    JNI_GLOBAL(0x01),
    /** A local JNI reference of a native frame ({@code ROOT_JNI_LOCAL}); has a thread and a frame. */
    JNI_LOCAL(0x02),
    /** A local variable or operand of a Java frame ({@code ROOT_JAVA_FRAME}); has a thread and a frame. */
    JAVA_FRAME(0x03),
    /** An object referenced from a native stack ({@code ROOT_NATIVE_STACK}); has a thread. */
    NATIVE_STACK(0x04),
    /** A class the VM keeps loaded, typically the system classes ({@code ROOT_STICKY_CLASS}). */
    STICKY_CLASS(0x05),
    /** An object referenced from a thread block ({@code ROOT_THREAD_BLOCK}); has a thread. */
    THREAD_BLOCK(0x06),
    /** An object whose monitor is held ({@code ROOT_MONITOR_USED}). */
    MONITOR_USED(0x07),
    /** A live thread ({@code ROOT_THREAD_OBJECT}). */
    THREAD_OBJECT(0x08),
    /** Android: an interned string. */
    INTERNED_STRING(0x89),
    /** Android: an object waiting for finalization. */
    FINALIZING(0x8a),
    /** Android: an object held by the debugger. */
    DEBUGGER(0x8b),
    /** Android: an object held by reference cleanup. */
    REFERENCE_CLEANUP(0x8c),
    /** Android: an object held by the VM internally. */
    VM_INTERNAL(0x8d),
    /** Android: an object whose monitor is held through JNI; has a thread and a frame. */
    JNI_MONITOR(0x8e),
    /** Android: an object reported as unreachable. */
    UNREACHABLE(0x90);

    private static final GcRootKind[] VALUES = values();

    private final int tag;

    GcRootKind(int tag) {
        this.tag = tag;
    }

    /** {@return the sub-record tag of this kind in an HPROF heap dump} */
    public int tag() {
        return tag;
    }

    /**
     * The constant of this ordinal, as the index stores it ({@code (byte) ordinal()}), without a copy of
     * {@code values()}.
     *
     * @param ordinal the constant's {@link #ordinal()}
     * @return the constant
     */
    public static GcRootKind ofOrdinal(int ordinal) {
        return VALUES[ordinal];
    }

    /**
     * The kind of a sub-record tag of an HPROF heap dump.
     *
     * @param tag a sub-record tag
     * @return its kind, or null when the tag is no root's
     */
    public static GcRootKind ofTag(int tag) {
        return tag >= 0 && tag < BY_TAG.length ? BY_TAG[tag] : null;
    }

    private static final GcRootKind[] BY_TAG = new GcRootKind[256];

    static {
        for (GcRootKind k : VALUES) {
            BY_TAG[k.tag] = k;
        }
    }

    /** {@return whether a root of this kind names the thread that holds it} */
    public boolean heldByThread() {
        return this == JNI_LOCAL || this == JAVA_FRAME || this == NATIVE_STACK || this == THREAD_BLOCK
                || this == JNI_MONITOR;
    }

    /** {@return whether a root of this kind names its frame in the thread's stack trace} */
    public boolean inFrame() {
        return this == JNI_LOCAL || this == JAVA_FRAME || this == JNI_MONITOR;
    }
}
