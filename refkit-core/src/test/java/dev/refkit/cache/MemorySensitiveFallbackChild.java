package dev.refkit.cache;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs in a child JVM limited to modules without the collection notifications (see
 * {@link MemorySensitiveFallbackTest}): builds two memory-sensitive caches, then loads three heaps' worth of
 * values through one. Prints {@code name: value} lines.
 */
public final class MemorySensitiveFallbackChild {
    private static final int VALUE_BYTES = 100 * 1024;

    private MemorySensitiveFallbackChild() {
    }

    public static void main(String[] args) {
        AtomicLong collected = new AtomicLong();
        AtomicLong pressure = new AtomicLong();
        ReferenceCache<Integer, byte[]> first = ReferenceCache.builder().memorySensitive().recordStats()
                .removalListener((Integer key, byte[] value, RemovalCause cause) -> {
                    if (cause == RemovalCause.COLLECTED) {
                        collected.incrementAndGet();
                    } else if (cause == RemovalCause.PRESSURE) {
                        pressure.incrementAndGet();
                    }
                })
                .build((Integer key) -> new byte[VALUE_BYTES]);
        ReferenceCache<Integer, byte[]> second = ReferenceCache.builder().memorySensitive().build(key -> new byte[1]);
        System.err.flush();
        System.out.println("first holds entries strongly: " + (first.strongTier() != null));
        System.out.println("second holds entries strongly: " + (second.strongTier() != null));
        int keys = (int) (3 * Runtime.getRuntime().maxMemory() / VALUE_BYTES);
        try {
            for (int key = 0; key < keys; key++) {
                first.get(key);
            }
            first.cleanUp();
            System.out.println("loaded: " + keys);
        } catch (OutOfMemoryError e) {
            System.out.println("loaded: oom");
        }
        System.out.println("collected: " + (collected.get() > 0 ? "some" : "none"));
        System.out.println("pressure: " + pressure.get());
        System.out.println("stats pressure: " + first.stats().pressureEvictionCount());
    }
}
