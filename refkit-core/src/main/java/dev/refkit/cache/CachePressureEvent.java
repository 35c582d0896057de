package dev.refkit.cache;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Percentage;
import jdk.jfr.StackTrace;

@Name(CachePressureEvent.NAME)
@Label("Cache Pressure Release")
@Category({"refkit", "Cache"})
@Description("A memory-sensitive ReferenceCache found the heap above its high-water mark after a collection "
        + "and released its coldest entries; the duration is the time until it was within its new budget")
@StackTrace(false)
final class CachePressureEvent extends Event {

    static final String NAME = "dev.refkit.CachePressure";

    @Label("Collector")
    @Description("The collection whose reading started the release")
    String collector;

    @Label("Heap Used After Collection")
    @Description("Memory that holds long-lived objects (the old generation for Serial and Parallel, the heap "
            + "otherwise), in use after the collection")
    @DataAmount
    long heapUsed;

    @Label("Heap Capacity")
    @Description("Memory that can hold long-lived objects")
    @DataAmount
    long heapCapacity;

    @Label("High-Water Mark")
    @Percentage
    double highWater;

    @Label("Low-Water Mark")
    @Percentage
    double lowWater;

    @Label("Entries Released")
    @Description("Entries no longer held strongly (they stay softly reachable in the cache's tail for a while)")
    int entriesReleased;

    @Label("Bytes Released")
    @Description("Estimated bytes of the entries released: from the weigher, else learnt from the heap")
    @DataAmount
    long bytesReleased;

    @Label("Entries Dropped")
    @Description("Entries of the tail removed from the cache (RemovalCause.PRESSURE)")
    int entriesDropped;

    @Label("Entries Held")
    @Description("Entries held strongly once the release was done")
    int entriesHeld;

    @Label("Budget")
    @Description("The estimated bytes the cache may hold strongly from now on")
    @DataAmount
    long budget;

    static Object start() {
        CachePressureEvent event = new CachePressureEvent();
        event.begin();
        return event;
    }

    static void emit(Object started, PressureEpisode episode, int residentEntries, long budget) {
        CachePressureEvent event = (CachePressureEvent) started;
        if (event.shouldCommit()) {
            event.collector = episode.reading.collector();
            event.heapUsed = episode.reading.used();
            event.heapCapacity = episode.reading.capacity();
            event.highWater = episode.highWater;
            event.lowWater = episode.lowWater;
            event.entriesReleased = episode.released;
            event.bytesReleased = episode.releasedBytes;
            event.entriesDropped = episode.dropped;
            event.entriesHeld = residentEntries;
            event.budget = budget;
            event.commit();
        }
    }
}
