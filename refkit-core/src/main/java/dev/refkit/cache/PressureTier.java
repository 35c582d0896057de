package dev.refkit.cache;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.ToLongBiFunction;

/**
 * The memory-sensitive policy of a {@link ReferenceCache} ({@code memorySensitive()}): entries are held
 * strongly, as many as the heap allows after each garbage collection, and given back coldest first when it
 * allows fewer.
 *
 * <p>Implementation notes. The cache's store holds every value softly; this tier holds the <em>resident</em>
 * entries strongly, in an access-ordered map (least recently used first), and remembers the entries it let go
 * of in a <em>tail</em> (oldest first), whose values only the store's soft references still hold: a read finds
 * a tail entry as long as the collector has not cleared it (a hit), and a read the tier applies offers it back
 * to the resident set. Reads reach the tier through the lossy {@link ReadBuffer}, as in {@link RecentTier}
 * (sampled when they come in a tight loop); writes take the lock. Every event applied also counts in a
 * {@link FrequencySketch}.
 *
 * <p>Budget. The resident set may take a budget of bytes, unbounded until the first reading. Until then the
 * tier knows nothing of the heap, and resident entries do not hold their values (the store's soft references
 * alone do, so that the collector can still take them all before an {@link OutOfMemoryError}); the first
 * reading taken while enough of them were resident pins those the collector left ({@code calibrated}). Under ZGC
 * and Shenandoah, which clear soft references at any cycle that stalls the program, such readings count only the
 * entries the collector left, not all the resident ones ({@code survivorsOf}). Each reading
 * ({@link #onCollection}, on the JVM's notification thread, often tens of milliseconds after the collection)
 * is compared with what the cache held <em>when the collection ended</em> ({@code noteHeld} keeps a short
 * history for that): the memory in use, less the garbage this tier made that no collection has reclaimed yet
 * ({@code pendingGarbage}: entries it dropped after they had lived through a collection, until a complete
 * collection, or the old pools' drops, account for them; never more than what the cache did not hold), gives
 * the rest of the program's share, {@code other}. Above the high-water mark the budget falls at once to what
 * would put the heap at the low-water mark with a full tail; otherwise it grows by a quarter of the gap between
 * the marks per reading, up to the high-water mark less the rest of the program's typical share (the median
 * of the last {@value #READINGS_REMEMBERED} readings, since a young collection counts old garbage as in use).
 * Decrease at once, increase step by step: the budget settles just under the level where the heap stays below
 * the high-water mark, instead of swinging between the marks. Bytes come from the weigher, else from the
 * {@link ByteEstimate}.
 *
 * <p>Order. A new entry (or a tail entry read again) joins the resident set if it fits in the budget; if not,
 * it competes with the coldest resident entry, the least frequently used of the {@value #VICTIM_WINDOW} least
 * recently used (the least recent among equals): the newcomer wins only with a higher frequency, and the loser
 * goes to the tail. So one-off keys do not push out popular ones, and popular keys that stopped being asked
 * for age out (the sketch halves its counts regularly). The tail holds at most half the gap between the marks,
 * and no more entries than an eighth of the resident set; beyond that the oldest tail entries are dropped from
 * the store and reported as {@link RemovalCause#PRESSURE}, and so are tail entries the collector clears
 * ({@link #causeOfCollection}). Because a rejected newcomer only ever sits in the short tail, a burst of
 * one-off loads is mostly dropped while still young, which spares the collector's old generation.
 *
 * <p>Concurrent collectors. A cycle of ZGC or Shenandoah ends with what the program allocated while it ran
 * counted as in use, so its reading overstates the live heap, more the faster the program allocates: their
 * default marks are lower, and under pressure the rest of the program's share is taken as the smaller of this
 * reading's and its typical one. At gigabytes a second through a small heap that is not enough: readings can
 * leave no room for the cache, which then lets everything go; safe, but little use. (Subtracting the allocation
 * rate times the cycle's duration was tried; the rate measured between cycles is too unsteady when the
 * collector stalls the program, and the cache overshot into OutOfMemoryError.)
 *
 * <p>Work is bounded: a shrink releases at most {@value #SLICE} entries per slice, up to
 * {@value #SLICES_PER_READING} slices on the notification thread, the rest one slice per cache operation
 * ({@code overBudget}). Removals are reported after the lock is released. Invariants under the lock: every
 * key of {@code resident} and of {@code tail} was in the store when last applied; a key is in at most one of
 * them; {@code residentWeighed} and {@code tailWeighed}, {@code tailCount} are the totals of their entries
 * (a tail entry found cleared no longer counts, but stays in {@code tail} until the store reports it);
 * {@code tailOrder} holds every tail entry (and possibly stale ones, skipped).
 */
final class PressureTier<K, V> implements StrongTier<K>, HeapMonitor.Listener {
    /** The default marks for collectors that stop the program to collect the old generation (Serial, Parallel, G1). */
    static final double HIGH_WATER = 0.80;
    static final double LOW_WATER = 0.65;
    /** The default marks for ZGC and Shenandoah, which collect while the program allocates and need the room. */
    static final double CONCURRENT_HIGH_WATER = 0.60;
    static final double CONCURRENT_LOW_WATER = 0.45;
    static final int VICTIM_WINDOW = 16;
    static final int SLICE = 256;
    static final int SLICES_PER_READING = 16;
    private static final int READINGS_REMEMBERED = 8;
    private static final int HISTORY = 256;
    private static final int MIN_TAIL = 16;
    private static final int GROWTH_STEPS = 4;
    private static final System.Logger LOG = System.getLogger(ReferenceCache.class.getName());
    private static final AtomicBoolean FALLBACK_LOGGED = new AtomicBoolean();
    private static final AtomicBoolean WEIGHER_FAILURE_LOGGED = new AtomicBoolean();

    private final ConcurrentMap<K, V> store;
    private final ToLongBiFunction<? super K, ? super V> weigher;
    /** The marks; NaN until the first reading for a cache built with the defaults, which depend on the collector. */
    private double highWater;
    private double lowWater;
    private final BiConsumer<K, V> dropped;
    private final ReentrantLock lock = new ReentrantLock();
    private final ReadBuffer<K> reads = new ReadBuffer<>();
    private final Consumer<K> applyRead = key -> apply(key, false);
    private final LinkedHashMap<K, Resident<V>> resident = new LinkedHashMap<>(16, 0.75f, true);
    private final Map<K, TailEntry<K>> tail = new HashMap<>();
    private final ArrayDeque<TailEntry<K>> tailOrder = new ArrayDeque<>();
    private final FrequencySketch sketch = new FrequencySketch();
    private final ByteEstimate estimate = new ByteEstimate();
    private final long[] others = new long[READINGS_REMEMBERED];
    private final List<Object> toReport = new ArrayList<>();
    private int readings;
    private final long[] historyNanos = new long[HISTORY];
    private final int[] historyHeld = new int[HISTORY];
    private final int[] historyResident = new int[HISTORY];
    private final long[] historyWeighed = new long[HISTORY];
    private int historyNext;
    private long residentWeighed;
    private long tailWeighed;
    private int tailCount;
    private long budget = Long.MAX_VALUE;
    /**
     * Whether the tier knows enough of the heap to hold values: until then resident entries do not hold their
     * values (the store's soft references do), and the budget, in bytes, is not enforced.
     */
    private boolean calibrated;
    /** When the tier was calibrated ({@link System#nanoTime}); see {@code survivorsOf}. */
    private long calibratedNanos;
    /** When the last reading came ({@link System#nanoTime}): entries that came before it count as old. */
    private long lastReadingNanos = System.nanoTime();
    private long tailCap = Long.MAX_VALUE;
    private long pendingGarbage;
    /** Whether the collector works while the program runs (ZGC, Shenandoah), as the last reading tells. */
    private boolean concurrent;
    private PressureEpisode episode;
    private volatile boolean overBudget;

    PressureTier(ConcurrentMap<K, V> store, ToLongBiFunction<? super K, ? super V> weigher, double highWater,
                 double lowWater, BiConsumer<K, V> dropped) {
        this.store = store;
        this.weigher = weigher;
        this.highWater = highWater;
        this.lowWater = lowWater;
        this.dropped = dropped;
    }

    /**
     * A tier registered for the JVM's collection notifications, or {@code null} where there are none: then
     * the cache keeps its values softly, which this logs once per JVM.
     */
    static <K, V> PressureTier<K, V> attach(PressureTier<K, V> tier) {
        String unavailable = HeapMonitor.register(tier);
        if (unavailable == null) {
            return tier;
        }
        if (FALLBACK_LOGGED.compareAndSet(false, true)) {
            LOG.log(System.Logger.Level.WARNING, "ReferenceCache.memorySensitive(): no garbage-collection "
                    + "notifications in this JVM (" + unavailable + "); memory-sensitive caches hold their "
                    + "values softly instead: the collector clears them when memory runs short, all at once and "
                    + "without regard to use, and they are reported as COLLECTED (logged once)");
        }
        return null;
    }

    // ---- events of the cache ------------------------------------------------------------------------

    @Override
    public void recordRead(K key) {
        if (reads.offer(key) == ReadBuffer.DRAIN) {
            drainAndOffer(key);
        }
        if (overBudget) {
            releaseOnRead();
        }
    }

    /** A full stripe's turn to drain: apart from {@link #recordRead}, whose every call must stay small. */
    private void drainAndOffer(K key) {
        reads.drainOnTurn(key, lock, applyRead, this::unlockAndReport);
    }

    private void releaseOnRead() {
        if (lock.tryLock()) {
            try {
                releaseSlice();
            } finally {
                unlockAndReport();
            }
        }
    }

    @Override
    public void recordWrite(K key) {
        lock.lock();
        try {
            reads.drainTo(applyRead);
            apply(key, true);
            if (overBudget) {
                releaseSlice();
            }
        } finally {
            unlockAndReport();
        }
    }

    @Override
    public void clear() {
        lock.lock();
        try {
            reads.drainTo(applyRead);
            resident.clear();
            tail.clear();
            tailOrder.clear();
            residentWeighed = 0;
            tailWeighed = 0;
            tailCount = 0;
        } finally {
            unlockAndReport();
        }
    }

    @Override
    public void drain() {
        lock.lock();
        try {
            reads.drainTo(applyRead);
            if (overBudget) {
                releaseSlice();
            }
        } finally {
            unlockAndReport();
        }
    }

    @Override
    public int size() {
        return underLock(() -> resident.size());
    }

    /** A tail entry's value was cleared by the collector: the cache let it go under pressure. */
    @Override
    public RemovalCause causeOfCollection(Object key) {
        lock.lock();
        try {
            TailEntry<K> entry = tail.remove(key);
            if (entry == null) {
                return RemovalCause.COLLECTED;
            }
            uncount(entry);
            return RemovalCause.PRESSURE;
        } finally {
            unlockAndReport();
        }
    }

    @Override
    public void forget(Object key) {
        lock.lock();
        try {
            TailEntry<K> entry = tail.remove(key);
            if (entry != null) {
                uncount(entry);
            }
        } finally {
            unlockAndReport();
        }
    }

    /** Whether {@code key}'s entry is held strongly. */
    boolean isResident(Object key) {
        return underLock(() -> resident.containsKey(key));
    }

    /** Whether the tier holds values strongly yet: it has had a reading that tells the bytes of an entry. */
    boolean calibrated() {
        return underLock(() -> calibrated);
    }

    /** The number of entries in the tail that the collector has not cleared (as far as the tier knows). */
    int tailSize() {
        return underLock(() -> tailCount);
    }

    /** The resident budget in bytes, {@link Long#MAX_VALUE} before the first reading. */
    long budget() {
        return underLock(() -> budget);
    }

    @Override
    public String toString() {
        return underLock(() -> "resident=" + resident.size() + " (~" + residentBytes() / 1024 + " KB of "
                + (budget == Long.MAX_VALUE ? "any" : budget / 1024 + " KB") + "), tail=" + tailCount);
    }

    private <T> T underLock(Supplier<T> read) {
        lock.lock();
        try {
            return read.get();
        } finally {
            lock.unlock();
        }
    }

    // ---- readings of the heap -----------------------------------------------------------------------

    @Override
    public void onCollection(HeapReading reading) {
        lock.lock();
        try {
            reads.drainTo(applyRead); // the latest order, before it decides what to let go
            learn(reading);
        } finally {
            unlockAndReport();
        }
        for (int slice = 0; slice < SLICES_PER_READING && overBudget; slice++) {
            lock.lock();
            try {
                releaseSlice();
            } finally {
                unlockAndReport();
            }
        }
    }

    private void learn(HeapReading reading) {
        concurrent = reading.collector().startsWith("ZGC") || reading.collector().startsWith("Shenandoah");
        if (Double.isNaN(highWater)) {
            highWater = concurrent ? CONCURRENT_HIGH_WATER : HIGH_WATER;
            lowWater = concurrent ? CONCURRENT_LOW_WATER : LOW_WATER;
        }
        pendingGarbage = reading.complete() ? 0 : Math.max(0, pendingGarbage - reading.reclaimed());
        readings++;
        lastReadingNanos = System.nanoTime();
        int slot = historySlot(reading.endNanos());
        int heldThen = slot < 0 ? resident.size() + tailCount : historyHeld[slot];
        int residentThen = slot < 0 ? resident.size() : historyResident[slot];
        if (concurrent && weigher == null && (!calibrated || reading.endNanos() - calibratedNanos < 0)) {
            // The history counts resident entries that held no values then, which ZGC and Shenandoah may have
            // cleared: count those the collection left (the tail as the history had it).
            int tailThen = slot < 0 ? tailCount : historyHeld[slot] - historyResident[slot];
            residentThen = survivorsOf(reading.endNanos());
            heldThen = residentThen + tailThen;
        }
        long live = reading.used();
        estimate.observe(live, residentThen);
        long capacity = reading.capacity();
        long ours = weigher != null ? (slot < 0 ? residentWeighed + tailWeighed : historyWeighed[slot])
                : heldThen * estimate.bytesPerEntry();
        pendingGarbage = Math.min(pendingGarbage, Math.max(0, live - ours)); // garbage is what is not live
        long used = reading.used() - pendingGarbage; // what the collector faces: the trigger
        long other = Math.max(0, live - pendingGarbage - ours); // what the rest of the program keeps: the target
        others[readings % READINGS_REMEMBERED] = other;
        tailCap = (long) ((highWater - lowWater) / 2 * capacity);
        long[] recent = Arrays.copyOf(others, Math.min(readings, READINGS_REMEMBERED));
        Arrays.sort(recent);
        long typicalOther = recent[recent.length / 2];
        if (used > highWater * capacity) {
            // A concurrent cycle counts what the program allocated while it ran: one reading overstates the rest
            // of the program more than after a pause, so its typical share sets the target.
            long share = concurrent ? Math.min(other, typicalOther) : other;
            long target = Math.max(0, (long) (lowWater * capacity) - share - tailCap);
            budget = Math.min(budget, target);
            if (episode != null) {
                episode.end(resident.size(), budget);
            }
            episode = new PressureEpisode(reading, highWater, lowWater);
        } else {
            long ceiling = Math.max(0, (long) (highWater * capacity) - typicalOther - tailCap);
            long step = (long) ((highWater - lowWater) / GROWTH_STEPS * capacity);
            budget = budget == Long.MAX_VALUE ? ceiling : Math.min(ceiling, budget + step);
        }
        if (!calibrated && (weigher != null || estimate.known())) {
            holdValues();
        }
        overBudget = calibrated && (residentBytes() > budget || tailOver());
        if (!overBudget && episode != null) {
            episode.end(resident.size(), budget);
            episode = null;
        }
    }

    /**
     * The first reading that tells the bytes of an entry (any with a weigher; else one taken while the cache held
     * enough entries): from now on resident entries hold their values, those not cleared meanwhile.
     */
    private void holdValues() {
        calibrated = true;
        calibratedNanos = System.nanoTime();
        forEachAlive((held, value) -> held.value = value);
    }

    /**
     * Gives each resident entry whose value is alive (held, or in the store still) to {@code action}, with the value;
     * the others were cleared by the collector (the store reports them as COLLECTED) and leave the resident set. The
     * entries are copied first: a lookup in the store may tell the cache's removal listener of cleared entries, on
     * this thread, and a listener that writes to the cache changes the resident set.
     */
    private void forEachAlive(BiConsumer<Resident<V>, V> action) {
        for (Object o : resident.entrySet().toArray()) {
            @SuppressWarnings("unchecked")
            Map.Entry<K, Resident<V>> entry = (Map.Entry<K, Resident<V>>) o;
            Resident<V> held = entry.getValue();
            V value = held.value != null ? held.value : store.get(entry.getKey());
            if (value != null) {
                action.accept(held, value);
            } else if (resident.remove(entry.getKey(), held)) {
                residentWeighed -= held.weight;
            }
        }
    }

    /**
     * The resident entries that came before a collection ended at {@code endNanos} (or whose value was last written
     * before it) and whose values are in the store still: before calibration, those the collection found alive, or
     * fewer (a value cleared since). Fewer entries make the estimate of each one's bytes higher, never lower: a low
     * estimate lets the resident set outgrow the heap once it holds its values. Under ZGC, which clears soft
     * references at every cycle that stalls the program, the history counted ten times the survivors, and the
     * cache ran out of memory in most runs of the pressure scenario.
     *
     * <p>Only for readings of collections that ended before calibration, under ZGC and Shenandoah, without a
     * weigher. Linear in the resident set; entries found cleared leave it, so it holds no more than the entries
     * whose values are alive. The other collectors keep soft values until memory runs out, and there the history's
     * count stands: counting survivors too made the scenario's other part run out of memory more often under the
     * parallel collector (in 25 to 43% of runs against 7%, for reasons not found).
     */
    private int survivorsOf(long endNanos) {
        int[] survivors = {0};
        forEachAlive((held, value) -> {
            if (held.sinceNanos - endNanos <= 0) {
                survivors[0]++;
            }
        });
        return survivors[0];
    }

    /**
     * Notes the number of entries held (resident and tail) and their weight, for the readings: a notification
     * arrives a while after its collection, and the reading must be compared with what the cache held then.
     * One record per millisecond at most (the last count of that millisecond), {@value #HISTORY} of them.
     */
    private void noteHeld() {
        int held = resident.size() + tailCount;
        long weighed = residentWeighed + tailWeighed;
        int last = (historyNext - 1) & (HISTORY - 1);
        if (historyNext > 0 && historyHeld[last] == held && historyResident[last] == resident.size()
                && historyWeighed[last] == weighed) {
            return;
        }
        long now = System.nanoTime();
        int slot = last;
        if (historyNext == 0 || now - historyNanos[last] >= 1_000_000) {
            slot = historyNext++ & (HISTORY - 1);
            historyNanos[slot] = now;
        }
        historyHeld[slot] = held;
        historyResident[slot] = resident.size();
        historyWeighed[slot] = weighed;
    }

    /** The record of the history in force at {@code nanos} (the oldest one if all are later), or -1 if none. */
    private int historySlot(long nanos) {
        int oldest = Math.max(0, historyNext - HISTORY);
        for (int i = historyNext - 1; i >= oldest; i--) {
            if (historyNanos[i & (HISTORY - 1)] - nanos <= 0) {
                return i & (HISTORY - 1);
            }
        }
        return historyNext == 0 ? -1 : oldest & (HISTORY - 1);
    }

    // ---- the order ----------------------------------------------------------------------------------

    /** Applies a read or write of {@code key}: the entry's current value decides where it belongs. */
    private void apply(K key, boolean write) {
        V current = store.get(key);
        Resident<V> held = resident.get(key); // also moves it to the recent end
        sketch.increment(key.hashCode());
        if (current == null) {
            if (held != null) { // removed by the user; a cleared tail entry stays for causeOfCollection
                resident.remove(key);
                residentWeighed -= held.weight;
            }
            return;
        }
        if (held != null) {
            if (held.value != current && (calibrated || write)) { // a new value (or, uncalibrated, perhaps)
                if (!calibrated) {
                    held.sinceNanos = System.nanoTime(); // a reload of a cleared value: no collection saw it yet
                }
                residentWeighed -= held.weight;
                held.value = calibrated ? current : null;
                held.weight = weigh(key, current);
                residentWeighed += held.weight;
            }
            return;
        }
        TailEntry<K> before = tail.remove(key);
        if (before != null) {
            uncount(before);
        }
        admit(key, current);
    }

    private void admit(K key, V value) {
        sketch.ensureCapacity(resident.size() + (long) tailCount);
        long weight = weigh(key, value);
        long bytes = weigher == null ? estimate.bytesPerEntry() : weight;
        int frequency = sketch.frequency(key.hashCode());
        while (calibrated && residentBytes() + bytes > budget) {
            K victim = coldest();
            if (victim == null || sketch.frequency(victim.hashCode()) >= frequency) {
                toTail(key, weight, System.nanoTime());
                trimTail(Integer.MAX_VALUE);
                return;
            }
            demote(victim);
        }
        resident.put(key, new Resident<>(calibrated ? value : null, weight, System.nanoTime()));
        residentWeighed += weight;
        trimTail(Integer.MAX_VALUE);
    }

    /** The least frequently used of the least recently used resident entries; null if there are none. */
    private K coldest() {
        K coldest = null;
        int least = Integer.MAX_VALUE;
        Iterator<K> keys = resident.keySet().iterator();
        for (int i = 0; i < VICTIM_WINDOW && keys.hasNext(); i++) {
            K key = keys.next();
            int frequency = sketch.frequency(key.hashCode());
            if (frequency < least) {
                least = frequency;
                coldest = key;
            }
        }
        return coldest;
    }

    private void demote(K key) {
        Resident<V> held = resident.remove(key);
        residentWeighed -= held.weight;
        toTail(key, held.weight, held.sinceNanos);
        if (episode != null) {
            episode.released(weigher == null ? estimate.bytesPerEntry() : held.weight);
        }
    }

    private void toTail(K key, long weight, long sinceNanos) {
        TailEntry<K> entry = new TailEntry<>(key, weight, sinceNanos);
        tail.put(key, entry);
        tailOrder.addLast(entry);
        tailWeighed += weight;
        tailCount++;
    }

    /** Releases one slice: demotes the coldest resident entries over the budget, then trims the tail. */
    private void releaseSlice() {
        int released = 0;
        while (calibrated && released < SLICE && residentBytes() > budget) {
            K victim = coldest();
            if (victim == null) {
                break;
            }
            demote(victim);
            released++;
        }
        trimTail(SLICE);
        overBudget = calibrated && (residentBytes() > budget || tailOver());
        if (!overBudget && episode != null) {
            episode.end(resident.size(), budget);
            episode = null;
        }
    }

    /** Drops the oldest tail entries from the store while the tail is over its cap, at most {@code max}. */
    private void trimTail(int max) {
        for (int n = 0; n < max && tailOver(); n++) {
            TailEntry<K> oldest = tailOrder.pollFirst();
            if (oldest == null) {
                break;
            }
            if (tail.get(oldest.key) != oldest) {
                continue; // read again, or reported already: a stale place in the order
            }
            V value = store.get(oldest.key);
            uncount(oldest);
            if (value == null) {
                continue; // cleared: it stays in `tail` until the store reports it (causeOfCollection)
            }
            tail.remove(oldest.key);
            if (store.remove(oldest.key, value)) {
                // it lived through a collection: the old generation may hold it
                if (oldest.sinceNanos - lastReadingNanos < 0) {
                    pendingGarbage += weigher == null ? estimate.bytesPerEntry() : oldest.weight;
                }
                if (episode != null) {
                    episode.dropped++;
                }
                toReport.add(oldest.key);
                toReport.add(value);
            }
        }
        if (tailOrder.size() > 2 * tail.size() + 64) {
            tailOrder.removeIf(entry -> tail.get(entry.key) != entry);
        }
    }

    /** Takes {@code entry}'s weight out of the tail's totals, once. */
    private void uncount(TailEntry<K> entry) {
        if (entry.counted) {
            entry.counted = false;
            tailWeighed -= entry.weight;
            tailCount--;
        }
    }

    /** Whether the tail holds more than half the gap between the marks, or more entries than an eighth of the resident set. */
    private boolean tailOver() {
        return tailBytes() > tailCap || tailCount > Math.max(MIN_TAIL, resident.size() / 8);
    }

    private long residentBytes() {
        return weigher == null ? resident.size() * estimate.bytesPerEntry() : residentWeighed;
    }

    private long tailBytes() {
        return weigher == null ? tailCount * estimate.bytesPerEntry() : tailWeighed;
    }

    private long weigh(K key, V value) {
        if (weigher == null) {
            return 0;
        }
        try {
            long weight = weigher.applyAsLong(key, value);
            if (weight >= 0) {
                return weight;
            }
            logWeigherFailure("it returned " + weight + " for key " + key, null);
        } catch (RuntimeException e) {
            logWeigherFailure("it threw for key " + key, e);
        }
        return 0;
    }

    private static void logWeigherFailure(String what, RuntimeException e) {
        if (WEIGHER_FAILURE_LOGGED.compareAndSet(false, true)) {
            LOG.log(System.Logger.Level.WARNING, "the weigher of a memory-sensitive ReferenceCache failed: "
                    + what + "; such entries count as 0 bytes (logged once)", e);
        }
    }

    /** Releases the lock, then reports the entries dropped meanwhile (outside the lock, as listeners may call in). */
    private void unlockAndReport() {
        noteHeld();
        Object[] reports = null;
        if (!toReport.isEmpty() && lock.getHoldCount() == 1) {
            reports = toReport.toArray();
            toReport.clear();
        }
        lock.unlock();
        if (reports != null) {
            for (int i = 0; i < reports.length; i += 2) {
                @SuppressWarnings("unchecked")
                K key = (K) reports[i];
                @SuppressWarnings("unchecked")
                V value = (V) reports[i + 1];
                dropped.accept(key, value);
            }
        }
    }

    private static final class Resident<V> {
        V value;
        long weight;
        /**
         * When the entry came ({@link System#nanoTime}), or, before calibration, when its value was last written: it
         * counts as having lived through a collection if that was before the last reading came.
         */
        long sinceNanos;

        Resident(V value, long weight, long sinceNanos) {
            this.value = value;
            this.weight = weight;
            this.sinceNanos = sinceNanos;
        }
    }

    private static final class TailEntry<K> {
        final K key;
        final long weight;
        /** When it last joined the resident set, or the tail as a rejected newcomer ({@link System#nanoTime}). */
        final long sinceNanos;
        /** Whether the entry's weight is in the tail's totals: until it leaves, or is found cleared. */
        boolean counted = true;

        TailEntry(K key, long weight, long sinceNanos) {
            this.key = key;
            this.weight = weight;
            this.sinceNanos = sinceNanos;
        }
    }
}
