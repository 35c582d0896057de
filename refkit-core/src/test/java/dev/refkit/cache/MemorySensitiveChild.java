package dev.refkit.cache;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs in a child JVM with a small heap (see {@link MemorySensitivePressureTest}): a memory-sensitive cache of
 * 100 KB values under pressure, first from its own loads, then from another part of the program that takes
 * a share of the heap for a while. Prints {@code name=value} pairs on one line, or {@code oom ...} if an
 * {@link OutOfMemoryError} escaped.
 *
 * <ol>
 *   <li>Its own pressure (once the cache has had its first reading of the heap): cold keys worth three heaps,
 *       loaded once each, with the
 *       {@value #HOT_KEYS} hot keys read between every two: {@code hotLoads}, {@code coldLoads},
 *       {@code pressureEvictions} (stats), {@code listenerPressure}, {@code listenerCollected},
 *       {@code heldAfterLoads}.
 *   <li>Another part of the program takes a share of the heap, 64 KB at a time, while the hot keys are read:
 *       {@code heldBeforeOther}, {@code heldWithOther}.
 *   <li>It gives the memory back; cold keys are loaded until the cache holds more again (or as much as before),
 *       at most {@value #MAX_REGROWTH_LOADS} of them: {@code heldAfterOther}, {@code regrowthLoads}.
 * </ol>
 */
public final class MemorySensitiveChild {
    static final int VALUE_BYTES = 100 * 1024; // small enough for every collector's regions (a humongous value would waste half of its own)
    static final int HOT_KEYS = 8;
    static final int MAX_REGROWTH_LOADS = 3_000;
    private static final int WARM_UP_KEYS = 2 * ByteEstimate.MIN_HELD;
    private static final int CHUNK = 64 * 1024;


    private MemorySensitiveChild() {
    }

    /**
     * @param args the pace of the other part, in microseconds per 64 KB it takes: a pace the collection notifications
     *     follow (the cache can only give memory back after a collection showed it should); and its share of the
     *     heap, in percent
     */
    public static void main(String[] args) {
        long paceNanos = TimeUnit.MICROSECONDS.toNanos(Long.parseLong(args[0]));
        int otherPercent = Integer.parseInt(args[1]);
        int coldKeys = (int) (3 * Runtime.getRuntime().maxMemory() / VALUE_BYTES); // three heaps' worth
        int[] loads = new int[HOT_KEYS + coldKeys + MAX_REGROWTH_LOADS + WARM_UP_KEYS];
        AtomicLong pressure = new AtomicLong();
        AtomicLong collected = new AtomicLong();
        StringBuilder out = new StringBuilder();
        try {
            ReferenceCache<Integer, byte[]> cache = ReferenceCache.builder().memorySensitive().recordStats()
                    .removalListener((Integer key, byte[] value, RemovalCause cause) -> {
                        if (cause == RemovalCause.PRESSURE) {
                            pressure.incrementAndGet();
                        } else if (cause == RemovalCause.COLLECTED) {
                            collected.incrementAndGet();
                        }
                    })
                    .build((Integer key) -> {
                        loads[key]++;
                        byte[] value = new byte[VALUE_BYTES];
                        value[0] = (byte) (int) key;
                        return value;
                    });
            PressureTier<?, ?> tier = (PressureTier<?, ?>) cache.strongTier();
            calibrate(cache, tier, HOT_KEYS + coldKeys + MAX_REGROWTH_LOADS);
            cache.cleanUp(); // reports what the collector cleared while the cache still held its values softly
            collected.set(0); // which is not counted (nothing is let go under pressure before it)

            for (int cold = 0; cold < coldKeys; cold++) {
                readHot(cache);
                check(cache.get(HOT_KEYS + cold), HOT_KEYS + cold);
            }
            cache.cleanUp();
            int hotLoads = 0;
            for (int i = 0; i < HOT_KEYS; i++) {
                hotLoads += loads[i];
            }
            int coldLoads = 0;
            for (int i = HOT_KEYS; i < HOT_KEYS + coldKeys; i++) {
                coldLoads += loads[i];
            }
            out.append("hotLoads=").append(hotLoads).append(" coldKeys=").append(coldKeys).append(" coldLoads=").append(coldLoads)
                    .append(" ").append(pressureCounts(cache, pressure)).append(" listenerCollected=").append(collected)
                    .append(" heldAfterLoads=").append(tier.size());

            int before = tier.size();
            List<byte[]> other = new ArrayList<>();
            long share = Runtime.getRuntime().maxMemory() * otherPercent / 100;
            for (long taken = 0; taken < share; taken += CHUNK) {
                other.add(new byte[CHUNK]);
                readHot(cache);
                LockSupport.parkNanos(paceNanos);
            }
            int with = tier.size();
            out.append(" heldBeforeOther=").append(before).append(" heldWithOther=").append(with)
                    .append(" otherBytes=").append(share).append(" maxHeap=").append(Runtime.getRuntime().maxMemory());

            other.clear();
            int regrowth = 0;
            int key = HOT_KEYS + coldKeys;
            while (tier.size() <= with + 4 && tier.size() < before && regrowth < MAX_REGROWTH_LOADS) {
                readHot(cache);
                check(cache.get(key), key);
                key++;
                regrowth++;
            }
            out.append(" heldAfterOther=").append(tier.size()).append(" regrowthLoads=").append(regrowth);
            System.out.println(out);
        } catch (OutOfMemoryError e) {
            System.out.println("oom after: " + out);
            System.exit(3);
        }
    }

    /**
     * The pressure evictions in the stats and as the listener saw them, once they agree: the notification thread may
     * be releasing entries at the moment, each counted in the stats just before the listener hears of it. Within
     * five seconds, or as they are then.
     */
    private static String pressureCounts(ReferenceCache<Integer, byte[]> cache, AtomicLong listener) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        long stats;
        long heard;
        do {
            stats = cache.stats().pressureEvictionCount();
            heard = listener.get();
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        } while ((stats != heard || cache.stats().pressureEvictionCount() != stats) && System.nanoTime() - deadline < 0);
        return "pressureEvictions=" + stats + " listenerPressure=" + heard;
    }

    /**
     * Loads {@value #WARM_UP_KEYS} keys of its own, then allocates garbage (for collections to happen) until the
     * cache has had a reading of the heap that tells it the bytes of an entry (before it, the cache holds its values
     * softly), reading the keys again meanwhile (an entry the collector cleared before a reading teaches nothing);
     * for a minute at most, since the first notifications of a JVM can be slow to come.
     */
    private static void calibrate(ReferenceCache<Integer, byte[]> cache, PressureTier<?, ?> tier, int firstKey) {
        for (int key = firstKey; key < firstKey + WARM_UP_KEYS; key++) {
            check(cache.get(key), key);
        }
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        long checksum = 0;
        for (long chunk = 0; !tier.calibrated() && System.nanoTime() - deadline < 0; chunk++) {
            checksum += new byte[CHUNK].length;
            if (chunk % 16 == 0) { // the keys again, as a cache in use sees them: ZGC may have cleared them all
                int key = firstKey + (int) (chunk / 16 % WARM_UP_KEYS);
                check(cache.get(key), key);
            }
        }
        if (!tier.calibrated()) {
            throw new AssertionError("no reading of the heap within a minute, after allocating " + checksum + " bytes");
        }
    }

    private static void readHot(ReferenceCache<Integer, byte[]> cache) {
        for (int hot = 0; hot < HOT_KEYS; hot++) {
            check(cache.get(hot), hot);
        }
    }

    private static void check(byte[] value, int key) {
        if (value[0] != (byte) key) {
            throw new AssertionError("key " + key + " returned the value of key " + value[0]);
        }
    }
}
