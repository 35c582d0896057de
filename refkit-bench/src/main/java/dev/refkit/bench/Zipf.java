package dev.refkit.bench;

import dev.refkit.examples.ZipfSampler;
import java.util.SplittableRandom;

/** Zipf-distributed key indexes, precomputed so that drawing them costs one array read. */
final class Zipf {

    private Zipf() {
    }

    /**
     * {@code length} indexes in {@code [0, n)} where rank r (1-based) has weight {@code 1 / r^exponent};
     * ranks are scattered over the indexes so that hot keys are not neighbours.
     */
    static int[] sequence(int n, double exponent, int length, long seed) {
        int[] rankToIndex = new int[n];
        for (int i = 0; i < n; i++) {
            rankToIndex[i] = i;
        }
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = rankToIndex[i];
            rankToIndex[i] = rankToIndex[j];
            rankToIndex[j] = t;
        }
        ZipfSampler ranks = new ZipfSampler(n, exponent, seed);
        int[] out = new int[length];
        for (int k = 0; k < length; k++) {
            out[k] = rankToIndex[ranks.next(random)];
        }
        return out;
    }
}
