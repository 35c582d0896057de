package dev.refkit.heap.index;

import java.util.concurrent.ThreadLocalRandom;

/**
 * The hash of the open-addressing tables keyed by class id ({@link ClassTally}, {@link DumpIndex}'s class
 * table). A dump chooses its ids, so each table takes a random seed and mixes it into the id with the
 * SplitMix64 finalizer: under the fixed multiplicative hash the tables had, ids chosen so that their products
 * share the bits a slot is taken from sent every insertion down one probe sequence (100,000 classes took 20 s
 * to open, 250,000 did not finish). Sequential ids cost what they did: one more multiply per lookup.
 */
final class IdHash {
    private IdHash() {
    }

    /** A seed for one table, different in every run. */
    static long newSeed() {
        return ThreadLocalRandom.current().nextLong();
    }

    /** The id's hash under {@code seed}; every bit is mixed, so any of them can choose the slot. */
    static int hash(long id, long seed) {
        long z = id ^ seed;
        z = (z ^ (z >>> 30)) * 0xbf58_476d_1ce4_e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d0_49bb_1331_11ebL;
        return (int) (z ^ (z >>> 31));
    }
}
