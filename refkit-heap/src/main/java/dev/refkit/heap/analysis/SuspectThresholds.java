package dev.refkit.heap.analysis;

/**
 * How big a leak must be to be a suspect: both its share of the strongly reachable heap and its retained bytes
 * must reach the thresholds. Objects a leak watcher declared as garbage ({@link LeakSuspect.Kind#WATCHED_OBJECT_ALIVE})
 * are suspects whatever their size.
 *
 * <p>The defaults (10% and 1 MiB) were chosen so that healthy idle programs report nothing: a fresh JVM, an
 * idle jshell, an H2 database at rest (its 512 KB transaction store is 13% of a 4 MB heap), each measured on
 * JDK 17 and 25; and so that the leaks of refkit's own corpus of leak programs (10–30 MB) are reported.
 *
 * @param minShare         the smallest share of the strongly reachable heap, 0 to 1
 * @param minRetainedBytes the smallest retained size, in bytes, at least 0
 */
public record SuspectThresholds(double minShare, long minRetainedBytes) {

    /** 10% of the strongly reachable heap and 1 MiB. */
    public static final SuspectThresholds DEFAULTS = new SuspectThresholds(0.10, 1L << 20);

    /**
     * Checks that the share is between 0 and 1 and the size not negative.
     *
     * @param minShare         the smallest share of the strongly reachable heap, 0 to 1
     * @param minRetainedBytes the smallest retained size, in bytes, at least 0
     */
    public SuspectThresholds {
        if (!(minShare >= 0 && minShare <= 1)) {
            throw new IllegalArgumentException("minShare is " + minShare + "; give a share from 0 to 1 (0.1 is 10%)");
        }
        if (minRetainedBytes < 0) {
            throw new IllegalArgumentException("minRetainedBytes is " + minRetainedBytes + "; give 0 or more bytes");
        }
    }

    /** The retained bytes a suspect needs in a heap whose strongly reachable objects take {@code reachableBytes}. */
    long bytesIn(long reachableBytes) {
        return Math.max(Math.max(1, minRetainedBytes), (long) Math.ceil(minShare * reachableBytes));
    }
}
