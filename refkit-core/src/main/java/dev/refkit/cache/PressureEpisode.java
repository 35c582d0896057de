package dev.refkit.cache;

/**
 * One release of memory by a memory-sensitive cache: from the reading that found the heap above the
 * high-water mark until the cache is within the budget that reading set (or the next reading takes over).
 * Recorded as a JFR event, {@code dev.refkit.CachePressure}, where JFR is present. Confined to the pressure
 * tier's lock.
 */
final class PressureEpisode {
    private final Object event;
    final HeapReading reading;
    final double highWater;
    final double lowWater;
    /** Entries no longer held strongly, and their estimated bytes. */
    int released;
    long releasedBytes;
    /** Tail entries removed from the cache. */
    int dropped;

    PressureEpisode(HeapReading reading, double highWater, double lowWater) {
        this.event = CacheEvents.begin();
        this.reading = reading;
        this.highWater = highWater;
        this.lowWater = lowWater;
    }

    /** One entry is no longer held strongly; {@code bytes} is its estimated size. */
    void released(long bytes) {
        released++;
        releasedBytes += bytes;
    }

    /** Ends the episode with this many entries still held strongly and this budget. */
    void end(int residentEntries, long budget) {
        CacheEvents.pressureEpisode(event, this, residentEntries, budget);
    }
}
