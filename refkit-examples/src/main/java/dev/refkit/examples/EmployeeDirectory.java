package dev.refkit.examples;

import dev.refkit.cache.CacheStats;
import dev.refkit.cache.ReferenceCache;
import dev.refkit.cache.RemovalCause;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The employee-information system: {@link #getEmployee(String)} answers from memory when it can and from the
 * database when it must.
 *
 * <p>The classic version keeps a {@code Hashtable<String, SoftReference<Employee>>} and polls a reference
 * queue; two threads missing the same id both query the database, nothing is counted, and when the JVM clears
 * soft references (late, and all at once) every request goes back to the database. This one puts a
 * {@link ReferenceCache} in front of the database: soft values, so the records give memory back under
 * pressure instead of causing an {@code OutOfMemoryError}; one load per id at a time; statistics; and a strong
 * tier of the most recently used records, which survives a collection storm. Or, with
 * {@link #memorySensitive(EmployeeDatabase)}, records held strongly while the heap has room after each
 * collection, the least used given back first when it has not.
 */
public final class EmployeeDirectory {

    private final EmployeeDatabase database;
    private final ReferenceCache<String, Employee> cache;
    private final AtomicLong collected = new AtomicLong();
    private final AtomicLong released = new AtomicLong();

    /**
     * A directory whose cache holds records softly.
     *
     * @param database   where records come from
     * @param keepRecent how many of the most recently used records to hold strongly (0: none)
     */
    public EmployeeDirectory(EmployeeDatabase database, int keepRecent) {
        this(database, keepRecent > 0 ? ReferenceCache.builder().softValues().keepRecent(keepRecent)
                : ReferenceCache.builder().softValues());
    }

    private EmployeeDirectory(EmployeeDatabase database, ReferenceCache.Builder<Object, Object> builder) {
        this.database = Objects.requireNonNull(database, "database");
        this.cache = builder.recordStats().<String, Employee>removalListener((id, employee, cause) -> {
            if (cause == RemovalCause.PRESSURE) {
                released.incrementAndGet();
            } else if (cause.wasCollected()) {
                collected.incrementAndGet();
            }
        }).build(id -> database.find(id).orElse(null));
    }

    /**
     * A directory whose cache is {@link ReferenceCache.Builder#memorySensitive() memory-sensitive}: it holds
     * records strongly, as many as the heap allows after each collection, and gives the least used back first.
     *
     * @param database where the records come from on a miss
     * @return a new directory with an empty memory-sensitive cache
     */
    public static EmployeeDirectory memorySensitive(EmployeeDatabase database) {
        return new EmployeeDirectory(database, ReferenceCache.builder().memorySensitive());
    }

    /**
     * The employee with this id, or {@code null} if the directory has none (a miss is not cached).
     *
     * @param id an employee id ({@code E-00042})
     * @return the employee, or {@code null}
     */
    public Employee getEmployee(String id) {
        return cache.get(id);
    }

    /** Forgets every record held in memory (the next request for each goes to the database). */
    public void clearCache() {
        cache.invalidateAll();
    }

    /** {@return the cache's figures: hits, misses, loads, collected} */
    public CacheStats stats() {
        return cache.stats();
    }

    /** {@return how many records the removal listener saw collected (soft values cleared by the collector)} */
    public long collectedRecords() {
        return collected.get();
    }

    /**
     * {@return how many records a memory-sensitive directory let go under memory pressure (always 0 for soft
     * values)}
     */
    public long releasedRecords() {
        return released.get();
    }

    /** {@return how many queries reached the database} */
    public long databaseQueries() {
        return database.queryCount();
    }

    /** {@return how many records are in memory now (after expunging what the collector cleared)} */
    public long recordsInMemory() {
        cache.cleanUp();
        return cache.estimatedSize();
    }
}
