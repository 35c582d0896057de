package dev.refkit;

/**
 * How strongly a structure holds a key or a value: the referent of a {@link java.lang.ref.SoftReference},
 * of a {@link java.lang.ref.WeakReference}, or an ordinary (strong) reference.
 *
 * <p>Order of strength: {@code STRONG > SOFT > WEAK}. A softly or weakly held object stays in the
 * structure exactly as long as something <em>else</em> keeps it reachable at least that strongly; the
 * structure itself never adds a strong path to it.
 */
public enum Strength {
    /** An ordinary reference: the structure keeps the object alive. */
    STRONG,
    /**
     * Held through a {@link java.lang.ref.SoftReference}: the collector may clear it when memory runs low,
     * and clears all softly reachable objects before it throws {@link OutOfMemoryError}.
     *
     * <p><b>Warning:</b> the JVM clears soft references late and in bulk (HotSpot keeps a softly reachable
     * object for about one second per free megabyte of heap since its last use, then clears whole
     * generations at once). Soft references are a safety valve, not a size policy.
     */
    SOFT,
    /** Held through a {@link java.lang.ref.WeakReference}: cleared at the first collection that finds no
     *  stronger path to the object. */
    WEAK;

    /** {@return whether an object held at this strength can be cleared by the collector} */
    public boolean isCollectable() {
        return this != STRONG;
    }
}
