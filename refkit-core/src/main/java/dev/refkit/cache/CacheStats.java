package dev.refkit.cache;

/**
 * An immutable snapshot of a {@link ReferenceCache}'s counters, taken by {@link ReferenceCache#stats()}.
 * All counts are zero unless the cache was built with {@link ReferenceCache.Builder#recordStats()}.
 *
 * <p>How the counts add up: every {@code get}, {@code getIfPresent} and every key of a {@code getAll} is
 * one request, either a hit or a miss ({@link #requestCount()} {@code = hitCount + missCount}). A miss
 * leads to at most one load: callers that wait for a load another caller started are misses without a
 * load of their own. {@link #loadCount()} counts calls of the loader ({@code load}, or one per bulk
 * {@code loadAll}), {@link #loadFailureCount()} those of them that threw; a load that returned
 * {@code null} is a load, not a failure. Reads through {@link ReferenceCache#asMap()} are not requests.
 * {@link #collectedCount()} and {@link #pressureEvictionCount()} count the entries that left because memory
 * ran short, by their {@link RemovalCause}: {@link RemovalCause#COLLECTED} and {@link RemovalCause#PRESSURE}.
 *
 * @param hitCount requests answered from the cache
 * @param missCount requests that found no value
 * @param loadCount calls of the loader (a bulk {@code loadAll} counts once)
 * @param loadFailureCount calls of the loader that threw
 * @param totalLoadTimeNanos time spent in the loader, successful or not, in nanoseconds
 * @param collectedCount entries removed because the collector cleared their value or key
 * @param pressureEvictionCount entries a memory-sensitive cache let go because the heap was too full to keep
 *     them ({@link RemovalCause#PRESSURE})
 */
public record CacheStats(long hitCount, long missCount, long loadCount, long loadFailureCount,
                         long totalLoadTimeNanos, long collectedCount, long pressureEvictionCount) {

    private static final CacheStats EMPTY = new CacheStats(0, 0, 0, 0, 0, 0, 0);

    /**
     * Rejects negative counts.
     *
     * @param hitCount requests answered from the cache
     * @param missCount requests that found no value
     * @param loadCount calls of the loader
     * @param loadFailureCount calls of the loader that threw
     * @param totalLoadTimeNanos time spent in the loader, in nanoseconds
     * @param collectedCount entries removed because the collector cleared their value or key
     * @param pressureEvictionCount entries a memory-sensitive cache let go because the heap was too full
     * @throws IllegalArgumentException if a count is negative
     */
    public CacheStats {
        if (hitCount < 0 || missCount < 0 || loadCount < 0 || loadFailureCount < 0
                || totalLoadTimeNanos < 0 || collectedCount < 0 || pressureEvictionCount < 0) {
            throw new IllegalArgumentException("cache statistics cannot be negative: " + describe(hitCount,
                    missCount, loadCount, loadFailureCount, totalLoadTimeNanos, collectedCount, pressureEvictionCount));
        }
    }

    /**
     * The statistics of a cache without pressure evictions (a cache that is not memory-sensitive).
     *
     * @param hitCount requests answered from the cache
     * @param missCount requests that found no value
     * @param loadCount calls of the loader
     * @param loadFailureCount calls of the loader that threw
     * @param totalLoadTimeNanos time spent in the loader, in nanoseconds
     * @param collectedCount entries removed because the collector cleared their value or key
     * @throws IllegalArgumentException if a count is negative
     */
    public CacheStats(long hitCount, long missCount, long loadCount, long loadFailureCount,
                      long totalLoadTimeNanos, long collectedCount) {
        this(hitCount, missCount, loadCount, loadFailureCount, totalLoadTimeNanos, collectedCount, 0);
    }

    /** {@return statistics with every count zero} */
    public static CacheStats empty() {
        return EMPTY;
    }

    /** {@return {@code hitCount + missCount}} */
    public long requestCount() {
        return saturatedAdd(hitCount, missCount);
    }

    /** {@return hits per request, or {@code 1.0} when there was no request} */
    public double hitRate() {
        long requests = requestCount();
        return requests == 0 ? 1.0 : (double) hitCount / requests;
    }

    /** {@return misses per request, or {@code 0.0} when there was no request} */
    public double missRate() {
        long requests = requestCount();
        return requests == 0 ? 0.0 : (double) missCount / requests;
    }

    /** {@return loads that returned normally (a value or {@code null}): {@code loadCount - loadFailureCount}} */
    public long loadSuccessCount() {
        return loadCount - loadFailureCount;
    }

    /** {@return mean time of one load in nanoseconds, or {@code 0.0} when nothing was loaded} */
    public double averageLoadPenaltyNanos() {
        return loadCount == 0 ? 0.0 : (double) totalLoadTimeNanos / loadCount;
    }

    /**
     * The counts accumulated since {@code earlier} (each count floored at zero).
     *
     * @param earlier a snapshot taken before this one
     * @return the counts accumulated since {@code earlier}
     */
    public CacheStats minus(CacheStats earlier) {
        return new CacheStats(
                Math.max(0, hitCount - earlier.hitCount),
                Math.max(0, missCount - earlier.missCount),
                Math.max(0, loadCount - earlier.loadCount),
                Math.max(0, loadFailureCount - earlier.loadFailureCount),
                Math.max(0, totalLoadTimeNanos - earlier.totalLoadTimeNanos),
                Math.max(0, collectedCount - earlier.collectedCount),
                Math.max(0, pressureEvictionCount - earlier.pressureEvictionCount));
    }

    @Override
    public String toString() {
        return describe(hitCount, missCount, loadCount, loadFailureCount, totalLoadTimeNanos, collectedCount,
                pressureEvictionCount);
    }

    private static String describe(long hits, long misses, long loads, long failures, long nanos,
                                   long collected, long pressureEvictions) {
        return "CacheStats[hits=" + hits + ", misses=" + misses + ", loads=" + loads
                + ", loadFailures=" + failures + ", totalLoadTimeNanos=" + nanos
                + ", collected=" + collected + ", pressureEvictions=" + pressureEvictions + "]";
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
    }
}
