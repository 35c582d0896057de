package dev.refkit.cache;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs in a child JVM with a small heap (see {@link MemoryPressureTest}): loads far more value bytes than
 * the heap holds through a soft-valued cache with a recent tier, reading a small hot set between every two
 * cold keys, and prints one line {@code hotLoads=.. coldLoads=.. collected=.. listenerCollected=..}, or
 * {@code oom} if an {@link OutOfMemoryError} escaped.
 */
public final class MemoryPressureChild {
    static final int HOT_KEYS = 8;
    static final int KEEP_RECENT = 16;

    private MemoryPressureChild() {
    }

    public static void main(String[] args) {
        int valueBytes = Integer.parseInt(args[0]);
        int coldKeys = Integer.parseInt(args[1]);
        int[] loads = new int[HOT_KEYS + coldKeys];
        AtomicLong listenerCollected = new AtomicLong();
        try {
            ReferenceCache<Integer, byte[]> cache = ReferenceCache.builder()
                    .softValues().keepRecent(KEEP_RECENT).recordStats()
                    .removalListener((Integer k, byte[] v, RemovalCause cause) -> {
                        if (cause == RemovalCause.COLLECTED) {
                            listenerCollected.incrementAndGet();
                        }
                    })
                    .build((Integer key) -> {
                        loads[key]++;
                        byte[] value = new byte[valueBytes];
                        value[0] = (byte) (int) key;
                        return value;
                    });
            for (int cold = 0; cold < coldKeys; cold++) {
                for (int hot = 0; hot < HOT_KEYS; hot++) {
                    check(cache.get(hot), hot);
                }
                check(cache.get(HOT_KEYS + cold), HOT_KEYS + cold);
            }
            cache.cleanUp();
            int hotLoads = 0;
            int coldLoads = 0;
            for (int i = 0; i < loads.length; i++) {
                if (i < HOT_KEYS) {
                    hotLoads += loads[i];
                } else {
                    coldLoads += loads[i];
                }
            }
            System.out.println("hotLoads=" + hotLoads + " coldLoads=" + coldLoads
                    + " collected=" + cache.stats().collectedCount() + " listenerCollected=" + listenerCollected);
        } catch (OutOfMemoryError e) {
            System.out.println("oom");
            System.exit(3);
        }
    }

    private static void check(byte[] value, int key) {
        if (value[0] != (byte) key) {
            throw new AssertionError("key " + key + " returned the value of key " + value[0]);
        }
    }
}
