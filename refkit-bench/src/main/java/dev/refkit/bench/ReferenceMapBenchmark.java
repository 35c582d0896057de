package dev.refkit.bench;

import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
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
 * Throughput of {@code get} hits, {@code put} (overwriting) and a 90/10 read/write mix, on 2 threads,
 * over 2^16 pre-populated keys drawn from a Zipf distribution (exponent 1), for refkit's
 * {@code ReferenceMap} and its peers (see {@link MapPeers}). Keys and values are held strongly by the
 * benchmark, so nothing is collected while it runs.
 *
 * <p>Combinations a peer does not support fail their setup with a message starting "skipped:" and JMH
 * moves on; pass {@code -p impl=...} with the supported peers of a config to avoid them:
 * <pre>
 * java -jar refkit-bench/target/benchmarks.jar ReferenceMapBenchmark -p config=weakKeys \
 *     -p impl=refkit,caffeine,guava,commons,weakhashmap,chm
 * java -jar refkit-bench/target/benchmarks.jar ReferenceMapBenchmark -p config=softValues \
 *     -p impl=refkit,caffeine,guava,spring,commons,chm
 * java -jar refkit-bench/target/benchmarks.jar ReferenceMapBenchmark -p config=weakKeys+weakValues \
 *     -p impl=refkit,caffeine,guava,commons,chm
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Threads(2)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ReferenceMapBenchmark {

    static final int KEYS = 1 << 16;
    /** Length of the precomputed Zipf index sequence that each thread walks from its own offset. */
    static final int SEQUENCE = 1 << 20;

    @Param({"refkit", "caffeine", "guava", "spring", "commons", "weakhashmap", "chm"})
    public String impl;

    @Param({"weakKeys", "softValues", "weakKeys+weakValues"})
    public String config;

    Map<Object, Object> map;
    Object[] keys;
    Object[] values;
    int[] sequence;

    @Setup(Level.Trial)
    public void populate() {
        map = MapPeers.create(impl, config, KEYS);
        keys = new Object[KEYS];
        values = new Object[KEYS];
        for (int i = 0; i < KEYS; i++) {
            keys[i] = new Key(i);
            values[i] = "value-" + i;
            map.put(keys[i], values[i]);
        }
        sequence = Zipf.sequence(KEYS, 1.0, SEQUENCE, 42);
    }

    /** A key with identity-free, well-spread equality, so that equality- and identity-keyed maps agree. */
    static final class Key {
        final int id;

        Key(int id) {
            this.id = id;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.id == id;
        }

        @Override
        public int hashCode() {
            return id * 0x61C88647;
        }
    }

    /** Each thread's position in the shared Zipf sequence. */
    @State(Scope.Thread)
    public static class Cursor {
        int position;

        @Setup(Level.Trial)
        public void start() {
            position = new SplittableRandom(System.identityHashCode(this)).nextInt(SEQUENCE);
        }

        int next() {
            int p = position;
            position = (p + 1) & (SEQUENCE - 1);
            return p;
        }
    }

    @Benchmark
    public Object get(Cursor cursor) {
        return map.get(keys[sequence[cursor.next()]]);
    }

    @Benchmark
    public Object put(Cursor cursor) {
        int i = sequence[cursor.next()];
        return map.put(keys[i], values[i]);
    }

    @Benchmark
    public Object mix(Cursor cursor) {
        int p = cursor.next();
        int i = sequence[p];
        return p % 10 == 0 ? map.put(keys[i], values[i]) : map.get(keys[i]);
    }
}
