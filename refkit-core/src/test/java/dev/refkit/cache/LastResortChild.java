package dev.refkit.cache;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs in a child JVM with a small heap (see {@link LastResortTest}): a memory-sensitive cache full to its budget,
 * then one allocation larger than the room it leaves, which no reading of the heap can come in time for. The
 * collector clears the cache's resident set with the soft references, and the allocation succeeds. Prints
 * {@code name=value} pairs on one line: {@code heldBefore}, {@code burstBytes}, {@code lastResorts},
 * {@code heldAfter}, {@code listenerCollected}, {@code reloaded} (the cache answers again after), {@code heldAgain}
 * and {@code secondBurst} (filled again, a second such allocation goes through too), or {@code oom ...} if an
 * {@link OutOfMemoryError} escaped.
 */
public final class LastResortChild {

    private LastResortChild() {
    }

    /**
     * Waits until the notification thread has handled the collections so far: no new reading for 50 ms, for 5 s
     * at most. While it handles one it holds the resident set strongly (the last resort is a best effort, see
     * {@link PressureTier}); the burst is to find the cache at rest, as a program's sudden need usually does.
     */
    private static void awaitQuiet(PressureTier<?, ?> tier) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        int seen = -1;
        while (tier.readings() != seen && System.nanoTime() - deadline < 0) {
            seen = tier.readings();
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50)); // a polling period; the condition decides
        }
    }

    /** @param args the burst's share of the maximum heap, in percent */
    public static void main(String[] args) {
        int burstPercent = Integer.parseInt(args[0]);
        long max = Runtime.getRuntime().maxMemory();
        AtomicLong collected = new AtomicLong();
        StringBuilder out = new StringBuilder();
        try {
            ReferenceCache<Integer, byte[]> cache = ReferenceCache.builder().memorySensitive().recordStats()
                    .removalListener((Integer key, byte[] value, RemovalCause cause) -> {
                        if (cause == RemovalCause.COLLECTED) {
                            collected.incrementAndGet();
                        }
                    })
                    .build((Integer key) -> {
                        byte[] value = new byte[MemorySensitiveChild.VALUE_BYTES];
                        value[0] = (byte) (int) key;
                        return value;
                    });
            PressureTier<?, ?> tier = (PressureTier<?, ?>) cache.strongTier();
            int keys = (int) (2 * max / MemorySensitiveChild.VALUE_BYTES); // two heaps' worth
            MemorySensitiveChild.calibrate(cache, tier, keys);
            for (int key = 0; key < keys; key++) { // one-off keys: the cache fills to its budget
                MemorySensitiveChild.check(cache.get(key), key);
            }
            cache.cleanUp();
            collected.set(0);
            int before = tier.size();
            out.append("heldBefore=").append(before).append(" maxHeap=").append(max);

            awaitQuiet(tier);
            byte[] burst = new byte[(int) (max * burstPercent / 100)];
            burst[burst.length - 1] = 1;
            out.append(" burstBytes=").append(burst.length);
            out.append(" lastResorts=").append(tier.lastResorts()).append(" heldAfter=").append(tier.size());
            burst = null;
            int reloaded = 0;
            for (int key = 0; key < 64; key++) {
                MemorySensitiveChild.check(cache.get(key), key);
                reloaded++;
            }
            cache.cleanUp();
            out.append(" reloaded=").append(reloaded).append(" listenerCollected=").append(collected);

            // after the reset: the cache fills up again, and a second burst goes through as the first did
            for (int key = 0; key < keys; key++) {
                MemorySensitiveChild.check(cache.get(key), key);
            }
            out.append(" heldAgain=").append(tier.size());
            awaitQuiet(tier);
            burst = new byte[(int) (max * burstPercent / 100)];
            burst[burst.length - 1] = 2;
            out.append(" secondBurst=1 lastResortsAfterSecond=").append(tier.lastResorts());
            System.out.println(out);
        } catch (OutOfMemoryError e) {
            System.out.println("oom after: " + out);
            System.exit(3);
        }
    }
}
