package dev.refkit.cache;

/**
 * How often each key was asked for lately, approximately: a count-min sketch of 4-bit counters that halves
 * every counter after a sample of events, so that old popularity fades. Not thread-safe: the pressure tier
 * touches it under its lock only.
 *
 * <p>Each key has four counters, one per row, at positions taken from four independent mixes of its hash; its
 * estimate is the smallest of the four (collisions only ever add to a counter, so the smallest is the closest
 * to the truth). An increment raises only the counters that equal that smallest one (conservative update),
 * which keeps the counters of rare keys that collide with frequent ones low. Counters saturate at 15: past
 * that, a key is simply hot. The table holds 16 counters per {@code long}; it is sized to about eight
 * counters per tracked key and grows with the cache (losing its counts, which a new sample rebuilds).
 */
final class FrequencySketch {
    static final int MAX_COUNT = 15;
    private static final int MAX_WORDS = 1 << 20; // 8 MB: enough for millions of keys
    private static final long HALF_MASK = 0x7777_7777_7777_7777L;
    private static final long[] SEEDS = {
        0x9E37_79B9_7F4A_7C15L, 0xC2B2_AE3D_27D4_EB4FL, 0x1656_67B1_9E37_79F9L, 0x85EB_CA77_C2B2_AE63L};

    private long[] table;
    private int sampleSize;
    private int events;

    FrequencySketch() {
        resize(64);
    }

    /** Makes room for about {@code keys} tracked keys; only grows, and starts counting afresh when it does. */
    void ensureCapacity(long keys) {
        long wanted = Math.max(64, keys);
        long words = Math.min(MAX_WORDS, Long.highestOneBit(wanted * 2 - 1)); // the power of two >= wanted
        if (words > table.length) {
            resize((int) words);
        }
    }

    /** The estimated number of recent events of the key with this hash, 0 to {@value #MAX_COUNT}. */
    int frequency(int hash) {
        int min = MAX_COUNT;
        for (long seed : SEEDS) {
            min = Math.min(min, counter(slot(hash, seed)));
        }
        return min;
    }

    /** Records one event of the key with this hash; every {@code sampleSize} events all counts halve. */
    void increment(int hash) {
        int min = frequency(hash);
        if (min < MAX_COUNT) {
            for (long seed : SEEDS) {
                long slot = slot(hash, seed);
                if (counter(slot) == min) {
                    table[(int) (slot >>> 4)] += 1L << ((slot & 15) << 2);
                }
            }
        }
        if (++events >= sampleSize) {
            halve();
        }
    }

    private void resize(int words) {
        table = new long[words];
        sampleSize = words * 10; // ten events per counter word between halvings: a few per tracked key
        events = 0;
    }

    private void halve() {
        for (int i = 0; i < table.length; i++) {
            table[i] = (table[i] >>> 1) & HALF_MASK;
        }
        events /= 2;
    }

    /** The counter's position: word index times 16 plus the nibble within the word. */
    private long slot(int hash, long seed) {
        long x = (hash + seed) * seed;
        x ^= x >>> 29;
        x *= 0xBF58_476D_1CE4_E5B9L;
        x ^= x >>> 32;
        return ((x >>> 4) & (table.length - 1)) << 4 | (x & 15);
    }

    private int counter(long slot) {
        return (int) (table[(int) (slot >>> 4)] >>> ((slot & 15) << 2)) & 15;
    }
}
