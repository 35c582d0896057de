package dev.refkit.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refkit.Strength;
import dev.refkit.map.Equivalence;
import dev.refkit.map.ReferenceMap;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The memory-sensitive policy's order and budget, driven by readings given by hand (a real heap cannot be made
 * to report exact figures; the child-JVM tests drive it with the real collectors). Every entry weighs 100
 * bytes; the heap has 10,000 bytes for long-lived objects, with marks at 8,000 and 6,000 bytes, so the tail
 * may hold 1,000 bytes: 10 entries.
 */
class PressureTierTest {
    private static final long CAPACITY = 10_000;

    private final ReferenceMap<String, String> store = ReferenceMap.<String, String>builder()
            .values(Strength.SOFT).valueEquivalence(Equivalence.IDENTITY).build();
    private final List<String> dropped = new ArrayList<>();
    private final PressureTier<String, String> tier =
            new PressureTier<>(store, (key, value) -> 100, 0.8, 0.6, (key, value) -> dropped.add(key + "=" + value));

    @TempDir
    Path folder;

    private void write(String key) {
        store.put(key, "v" + key);
        tier.recordWrite(key);
    }

    /**
     * Reads {@code key}, and drains the reads, as a cache's next miss would: the buffer samples reads that come
     * in a tight loop ({@link ReadBuffer#DRAIN_PERIOD}), and these tests count each one.
     */
    private void read(String key, int times) {
        for (int i = 0; i < times; i++) {
            assertThat(store.get(key)).isNotNull();
            tier.recordRead(key);
        }
        tier.drain();
    }

    /** A complete collection that left {@code used} bytes in use. */
    private void collection(long used) {
        tier.onCollection(new HeapReading("test", true, used, CAPACITY, 0, System.nanoTime()));
    }

    /** A cold entry the tier let go of and the collector has not cleared. */
    private String aTailEntry() {
        return IntStream.range(10, 80).mapToObj(i -> "k" + i)
                .filter(key -> store.get(key) != null && !tier.isResident(key)).findFirst().orElseThrow();
    }

    /** 80 entries (8,000 bytes) each read once, the first ten five times more. */
    private void eightyEntriesTenOfThemHot() {
        IntStream.range(0, 80).forEach(i -> write("k" + i));
        IntStream.range(0, 80).forEach(i -> read("k" + i, i < 10 ? 6 : 1));
        tier.drain();
    }

    @Test
    void withoutAReadingEveryEntryIsHeldStrongly() {
        eightyEntriesTenOfThemHot();

        assertThat(tier.size()).isEqualTo(80);
        assertThat(tier.budget()).isEqualTo(Long.MAX_VALUE);
        assertThat(dropped).isEmpty();
    }

    @Test
    void aReadingAboveTheHighWaterMarkReleasesDownToTheLowWaterMarkWithAFullTail() {
        eightyEntriesTenOfThemHot();

        collection(8_500); // 6,000 - 500 (the rest) - 1,000 (the tail) = 4,500 bytes: 45 entries

        assertThat(tier.budget()).isEqualTo(4_500);
        assertThat(tier.size()).isEqualTo(45);
        assertThat(tier.tailSize()).isEqualTo(10);
        assertThat(dropped).hasSize(25);
    }

    @Test
    void theFrequentlyReadEntriesAreKept() {
        eightyEntriesTenOfThemHot();

        collection(8_500);

        assertThat(IntStream.range(0, 10).mapToObj(i -> "k" + i)).allMatch(tier::isResident);
    }

    @Test
    void droppedEntriesLeaveTheCacheAndAreReportedOnceWithTheirValues() {
        eightyEntriesTenOfThemHot();

        collection(8_500);

        assertThat(dropped).doesNotHaveDuplicates().allSatisfy(report -> {
            String key = report.substring(0, report.indexOf('='));
            assertThat(report).isEqualTo(key + "=v" + key);
            assertThat(store.get(key)).isNull();
        });
    }

    @Test
    void aReleasedEntryStaysReadableInTheTailAndComesBackWhenReadAgain() {
        eightyEntriesTenOfThemHot();
        collection(8_500);
        String inTail = aTailEntry();

        read(inTail, 3);
        tier.drain();

        assertThat(tier.isResident(inTail)).as("read more often than the coldest resident entry").isTrue();
        assertThat(tier.size()).as("it took the place of another").isEqualTo(45);
    }

    @Test
    void aCollectionAppliesTheReadsStillBufferedBeforeItDecides() {
        eightyEntriesTenOfThemHot();
        collection(8_500);
        String inTail = aTailEntry();
        for (int i = 0; i < 3; i++) {
            tier.recordRead(inTail); // buffered: no write, no drain
        }

        collection(7_000);

        assertThat(tier.isResident(inTail)).as("the notification drained the reads first").isTrue();
    }

    @Test
    void aOneOffKeyDoesNotPushOutAnEntryThatWasUsedMore() {
        eightyEntriesTenOfThemHot();
        collection(8_500);

        write("newcomer");

        assertThat(tier.isResident("newcomer")).isFalse();
        assertThat(store.get("newcomer")).as("still cached, in the tail").isEqualTo("vnewcomer");
        assertThat(tier.size()).isEqualTo(45);
    }

    @Test
    void garbageTheCacheMadeIsNotMistakenForPressure() {
        eightyEntriesTenOfThemHot();
        collection(8_500);
        List<String> before = List.copyOf(dropped);

        // A young collection: the 2,500 bytes dropped are still in the old generation.
        tier.onCollection(new HeapReading("young", false, 4_500 + 1_000 + 500 + 2_500, CAPACITY, 0, System.nanoTime()));

        assertThat(dropped).isEqualTo(before);
        assertThat(tier.size()).isEqualTo(45);
    }

    @Test
    void theBudgetGrowsBackStepByStepOnceTheHeapHasRoom() {
        eightyEntriesTenOfThemHot();
        collection(8_500);

        collection(4_500 + 1_000 + 500); // below the high-water mark: a quarter of the gap between the marks more
        assertThat(tier.budget()).isEqualTo(5_000);
        collection(5_000 + 1_000 + 500);
        collection(5_500 + 1_000 + 500);
        collection(6_000 + 1_000 + 500);
        IntStream.range(0, 30).forEach(i -> write("more" + i));

        assertThat(tier.budget()).as("up to 8,000 - 500 - 1,000").isEqualTo(6_500);
        assertThat(tier.size()).isEqualTo(65);
    }

    /** A tier that learns the bytes of an entry from the readings, after writes of {@code count} entries. */
    private PressureTier<String, String> withoutAWeigher(String prefix, int count) {
        PressureTier<String, String> estimated = new PressureTier<>(store, null, 0.8, 0.6, (key, value) -> { });
        writeAll(estimated, prefix, count);
        return estimated;
    }

    private void writeAll(PressureTier<String, String> to, String prefix, int count) {
        IntStream.range(0, count).forEach(i -> {
            store.put(prefix + i, "v");
            to.recordWrite(prefix + i);
        });
    }

    /**
     * Without a weigher, the first reading teaches the bytes of an entry; until then the entries hold no values,
     * and ZGC may clear most of them (it clears soft references at every cycle that stalls the program).
     * Dividing the heap by all 500 entries instead of the 30 left made each one 60 bytes instead of 1,000: here all
     * 230 entries stayed resident where 70 fit, and in a real heap ZGC ran out of memory.
     */
    @Test
    void theFirstReadingCountsOnlyTheEntriesTheCollectorLeft() {
        PressureTier<String, String> estimated = withoutAWeigher("e", 500);
        IntStream.range(30, 500).forEach(i -> store.remove("e" + i)); // cleared, as the collector does
        long capacity = 100_000;

        estimated.onCollection(new HeapReading("ZGC Cycles", true, 30 * 1_000, capacity, 0, System.nanoTime()));
        writeAll(estimated, "more", 200);

        assertThat(estimated.calibrated()).isTrue();
        assertThat(estimated.size()).as("80,000 (the high-water mark) - 10,000 (the tail): 70 entries of 1,000 bytes")
                .isEqualTo(70);
    }

    /** Serial, Parallel and G1 keep soft values until memory runs out: there the history's count stands. */
    @Test
    void aStopTheWorldCollectorsFirstReadingKeepsTheHistorysCount() {
        PressureTier<String, String> estimated = withoutAWeigher("e", 500);

        estimated.onCollection(new HeapReading("G1 Old Generation", true, 500 * 100, 100_000, 0, System.nanoTime()));

        assertThat(estimated.calibrated()).isTrue();
        assertThat(estimated.toString()).as("500 entries of 100 bytes").startsWith("resident=500 (~48 KB of ");
    }

    @Test
    void aTailEntryTheCollectorClearsIsAPressureEvictionReportedOnce() {
        eightyEntriesTenOfThemHot();
        collection(8_500);
        String inTail = aTailEntry();

        assertThat(tier.causeOfCollection(inTail)).isEqualTo(RemovalCause.PRESSURE);
        assertThat(tier.causeOfCollection(inTail)).isEqualTo(RemovalCause.COLLECTED);
        assertThat(tier.causeOfCollection("k0")).as("not released by the cache").isEqualTo(RemovalCause.COLLECTED);
    }

    @Test
    void aLargeReleaseIsDoneInSlicesOnTheNotificationThreadAndTheNextOperations() {
        PressureTier<String, String> byCount =
                new PressureTier<>(store, (key, value) -> 1, 0.8, 0.6, (key, value) -> { });
        int entries = PressureTier.SLICE * PressureTier.SLICES_PER_READING + 1_000;
        for (int i = 0; i < entries; i++) {
            store.put("e" + i, "v");
            byCount.recordWrite("e" + i);
        }

        byCount.onCollection(new HeapReading("test", true, 10 * entries, 10 * entries, 0, System.nanoTime()));
        int afterNotification = byCount.size();
        byCount.recordRead("e0");
        int afterOneRead = byCount.size();

        assertThat(afterNotification).isEqualTo(entries - PressureTier.SLICE * PressureTier.SLICES_PER_READING);
        assertThat(afterOneRead).isEqualTo(afterNotification - PressureTier.SLICE);
    }

    @Test
    void eachReleaseIsRecordedAsAJfrEvent() throws IOException {
        eightyEntriesTenOfThemHot();
        List<RecordedEvent> events = new ArrayList<>();
        try (Recording recording = new Recording()) {
            recording.enable(CachePressureEvent.NAME);
            recording.start();
            collection(8_500);
            recording.stop();
            Path file = folder.resolve("pressure.jfr");
            recording.dump(file);
            for (RecordedEvent event : RecordingFile.readAllEvents(file)) {
                if (event.getEventType().getName().equals(CachePressureEvent.NAME)) {
                    events.add(event);
                }
            }
        }

        assertThat(events).singleElement().satisfies(event -> {
            assertThat(event.getString("collector")).isEqualTo("test");
            assertThat(event.getLong("heapUsed")).isEqualTo(8_500);
            assertThat(event.getLong("heapCapacity")).isEqualTo(CAPACITY);
            assertThat(event.getDouble("highWater")).isEqualTo(0.8);
            assertThat(event.getInt("entriesReleased")).isEqualTo(35);
            assertThat(event.getLong("bytesReleased")).isEqualTo(3_500);
            assertThat(event.getInt("entriesDropped")).isEqualTo(25);
            assertThat(event.getInt("entriesHeld")).isEqualTo(45);
            assertThat(event.getLong("budget")).isEqualTo(4_500);
        });
    }
}
