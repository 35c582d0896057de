package dev.refkit.bench;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.google.common.cache.CacheBuilder;
import com.google.common.cache.CacheLoader;
import dev.refkit.cache.ReferenceCache;
import java.util.Arrays;
import java.util.Collections;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Hit throughput of soft-valued loading caches, two threads reading a fully loaded cache: refkit's
 * {@link ReferenceCache} (with and without a recent tier, and memory-sensitive) against Caffeine ({@code softValues()} loading
 * cache) and Guava ({@code CacheBuilder.softValues()}). The heap is large enough that nothing is collected:
 * this measures the read path only ({@code MemoryPressureScenario} measures behaviour under pressure).
 *
 * <p>Run: {@code java -jar refkit-bench/target/benchmarks.jar ReferenceCacheBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Threads(2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ReferenceCacheBenchmark {
    private static final int SIZE = 1 << 14;
    private static final int MASK = SIZE - 1;

    @Param({"refkit", "refkit_keepRecent", "refkit_memorySensitive", "caffeine", "guava"})
    public String impl;

    private Integer[] keys;
    private Object[] values;
    private Function<Integer, Object> cache;

    @Setup(Level.Trial)
    public void setUp() {
        keys = new Integer[SIZE];
        values = new Object[SIZE]; // keeps the values strongly reachable: soft values are never cleared here
        for (int i = 0; i < SIZE; i++) {
            keys[i] = i;
            values[i] = "value-" + i;
        }
        Collections.shuffle(Arrays.asList(keys), new Random(42)); // random order
        cache = create(impl, values);
        for (Integer key : keys) {
            if (cache.apply(key) != values[key]) {
                throw new IllegalStateException(impl + " returned a wrong value for key " + key);
            }
        }
    }

    static Function<Integer, Object> create(String impl, Object[] values) {
        switch (impl) {
            case "refkit": {
                ReferenceCache<Integer, Object> c = ReferenceCache.builder().softValues()
                        .initialCapacity(values.length).build((Integer k) -> values[k]);
                return c::get;
            }
            case "refkit_keepRecent": {
                ReferenceCache<Integer, Object> c = ReferenceCache.builder().softValues().keepRecent(1_000)
                        .initialCapacity(values.length).build((Integer k) -> values[k]);
                return c::get;
            }
            case "refkit_memorySensitive": {
                ReferenceCache<Integer, Object> c = ReferenceCache.builder().memorySensitive()
                        .initialCapacity(values.length).build((Integer k) -> values[k]);
                return c::get;
            }
            case "caffeine": {
                com.github.benmanes.caffeine.cache.LoadingCache<Integer, Object> c = Caffeine.newBuilder()
                        .softValues().initialCapacity(values.length).build(k -> values[k]);
                return c::get;
            }
            case "guava": {
                com.google.common.cache.LoadingCache<Integer, Object> c = CacheBuilder.newBuilder()
                        .softValues().initialCapacity(values.length)
                        .build(CacheLoader.from((Integer k) -> values[k]));
                return c::getUnchecked;
            }
            default:
                throw new IllegalArgumentException("unknown implementation " + impl
                        + "; expected refkit, refkit_keepRecent, refkit_memorySensitive, caffeine or guava");
        }
    }

    /** Each benchmark thread walks the keys from its own random start. */
    @State(Scope.Thread)
    public static class Cursor {
        int index = ThreadLocalRandom.current().nextInt(SIZE);
    }

    @Benchmark
    public Object hit(Cursor cursor) {
        return cache.apply(keys[cursor.index++ & MASK]);
    }
}
