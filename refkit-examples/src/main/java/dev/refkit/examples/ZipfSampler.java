package dev.refkit.examples;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Draws ranks {@code 0 .. n-1} with Zipf-distributed frequencies: rank {@code k} is drawn with probability
 * proportional to {@code 1 / (k + 1)^s}. Real request streams look like this: a few ids are asked for all the
 * time, most rarely.
 *
 * <p>Sampling inverts the cumulative distribution by binary search over a precomputed table ({@code n}
 * doubles), so a draw costs O(log n) and allocates nothing. {@link #next()} draws from the sampler's own
 * random source and is not thread-safe; {@link #next(SplittableRandom)} only reads the table, so threads can
 * share one sampler, each with its own random source.
 */
public final class ZipfSampler {

    private final double[] cumulative;
    private final SplittableRandom random;

    /**
     * @param n        the number of ranks, at least 1
     * @param exponent the skew {@code s}; 0 is uniform, about 1 is typical of web and database workloads
     * @param seed     the random seed, so that a workload can be repeated
     */
    public ZipfSampler(int n, double exponent, long seed) {
        if (n < 1) {
            throw new IllegalArgumentException("a Zipf distribution needs at least one rank, not " + n);
        }
        if (!(exponent >= 0)) {
            throw new IllegalArgumentException("the Zipf exponent must be 0 or more, not " + exponent);
        }
        cumulative = new double[n];
        double sum = 0;
        for (int k = 0; k < n; k++) {
            sum += 1 / Math.pow(k + 1, exponent);
            cumulative[k] = sum;
        }
        for (int k = 0; k < n; k++) {
            cumulative[k] /= sum;
        }
        random = new SplittableRandom(seed);
    }

    /** {@return the next rank, in {@code 0 .. n-1}, from the sampler's own random source} */
    public int next() {
        return next(random);
    }

    /**
     * The next rank, in {@code 0 .. n-1}, drawn with {@code source}.
     *
     * @param source the random numbers to draw with
     * @return the next rank
     */
    public int next(SplittableRandom source) {
        int i = Arrays.binarySearch(cumulative, source.nextDouble());
        return Math.min(i >= 0 ? i : -i - 1, cumulative.length - 1);
    }
}
