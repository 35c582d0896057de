package dev.refkit.cache;

/**
 * The bytes an entry of a memory-sensitive cache keeps alive, estimated from the heap's readings when the user
 * gave no weigher. Not thread-safe: the pressure tier uses it under its lock.
 *
 * <p>Each reading with at least {@value #MIN_HELD} entries held strongly gives an upper bound: the memory in use
 * after the collection divided by those entries, as if nothing but the cache were in the heap (the tail is
 * left out: the collector may have cleared it without the cache knowing yet, and it is kept small). The
 * estimate is the smallest bound of the last {@value #WINDOW} readings: a young collection still counts the
 * old objects that died since the last complete one, and another part of the program may fill the heap for a
 * while, but some reading of the window was taken when neither inflated it much. The estimate is high when the
 * rest of the program keeps much more than the cache alive; then the cache holds fewer entries than it could,
 * and a weigher does better. (The drop of the heap per entry released would be the more direct figure, but a
 * drop shows only when the old generation is collected, mixes in the rest of the program's garbage, and comes
 * region by region with G1: too noisy to steer by.)
 */
final class ByteEstimate {
    static final int WINDOW = 32;
    static final int MIN_HELD = 16;

    private final long[] bounds = new long[WINDOW];
    private int boundCount;

    /** Whether a reading with enough entries came. */
    boolean known() {
        return boundCount > 0;
    }

    /** The current estimate, at least 1; 1 before the first reading with enough entries. */
    long bytesPerEntry() {
        long bound = Long.MAX_VALUE;
        for (int i = 0; i < Math.min(boundCount, WINDOW); i++) {
            bound = Math.min(bound, bounds[i]);
        }
        return bound == Long.MAX_VALUE ? 1 : bound;
    }

    /** Learns from a reading: {@code used} bytes in use after it, while the cache held {@code heldEntries} strongly. */
    void observe(long used, long heldEntries) {
        if (heldEntries >= MIN_HELD) {
            bounds[boundCount++ % WINDOW] = Math.max(1, used / heldEntries);
        }
    }
}
