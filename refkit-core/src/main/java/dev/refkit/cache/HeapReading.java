package dev.refkit.cache;

/**
 * What one garbage collection left in the heap, as a memory-sensitive cache reads it: how much of the memory
 * that holds long-lived objects is in use after the collection, how much there is, and how much the collection
 * gave back from it. See {@link HeapMonitor} for which pools count.
 *
 * @param collector the collector's name, as its {@code GarbageCollectorMXBean} has it ("G1 Young Generation")
 * @param complete whether the collection went through the whole heap (a full or major collection, a cycle of a
 *     concurrent collector): then {@code used} is close to the live objects (for a concurrent collector, plus
 *     what the program allocated while it ran); after a young collection it also counts the old objects that
 *     died since the last complete one
 * @param used bytes in use after the collection
 * @param capacity bytes that can hold long-lived objects
 * @param reclaimed bytes the collection freed in that memory (0 if it grew, as when a young collection promotes)
 * @param endNanos when the collection ended, on the scale of {@link System#nanoTime()} (to the millisecond):
 *     the notification arrives later, and the cache may have changed meanwhile
 */
record HeapReading(String collector, boolean complete, long used, long capacity, long reclaimed, long endNanos) {

    /** {@code used / capacity}. */
    double occupancy() {
        return capacity <= 0 ? 0 : (double) used / capacity;
    }
}
