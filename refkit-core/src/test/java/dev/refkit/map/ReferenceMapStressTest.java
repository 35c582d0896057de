package dev.refkit.map;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.testing.GcFinalization;
import dev.refkit.Strength;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * GC churn: several threads run random operations on keys they hold strongly, insert entries they drop at
 * once, and allocate garbage, while the collector clears what they dropped. Invariants:
 * <ul>
 *   <li>every held key maps to the value its thread last wrote (each thread owns its keys, so every
 *       write's return value is known exactly);</li>
 *   <li>no read or iteration ever returns a cleared key or value;</li>
 *   <li>after the threads stop, {@code size()} converges to the live count after {@code cleanUp()},
 *       and every dropped entry was reported collected exactly once.</li>
 * </ul>
 * Each combination runs {@code refkit.stress.seconds} seconds (default 1.5; raise it for a long run).
 */
class ReferenceMapStressTest {

    private static final double SECONDS = Double.parseDouble(System.getProperty("refkit.stress.seconds", "1.5"));
    private static final int THREADS = 4;
    private static final int KEYS_PER_THREAD = 64;

    @ParameterizedTest(name = "keys={0} values={1}")
    @CsvSource({"WEAK, STRONG", "WEAK, WEAK", "STRONG, WEAK", "WEAK, SOFT", "SOFT, WEAK"})
    void randomOperationsUnderGcChurnKeepEveryInvariant(Strength keys, Strength values) throws Exception {
        AtomicLong reported = new AtomicLong();
        ReferenceMap<Object, Object> map = ReferenceMap.builder().keys(keys).values(values)
                .initialCapacity(0)
                .onCollected((k, v) -> reported.incrementAndGet())
                .build();
        Object[][] heldKeys = new Object[THREADS][KEYS_PER_THREAD];
        Object[][] lastWritten = new Object[THREADS][KEYS_PER_THREAD];
        AtomicLong dropped = new AtomicLong();
        long deadline = System.nanoTime() + (long) (SECONDS * 1e9);

        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                Object[] mine = heldKeys[t];
                Object[] last = lastWritten[t];
                for (int i = 0; i < KEYS_PER_THREAD; i++) {
                    mine[i] = new Object();
                }
                workers.add(pool.submit(() -> {
                    start.await();
                    churn(map, mine, last, dropped, deadline);
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> worker : workers) {
                worker.get((long) (SECONDS + 60), TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        long live = 0;
        for (int t = 0; t < THREADS; t++) {
            for (int i = 0; i < KEYS_PER_THREAD; i++) {
                assertThat(map.get(heldKeys[t][i])).isSameAs(lastWritten[t][i]);
                live += lastWritten[t][i] != null ? 1 : 0;
            }
        }
        long expectedLive = live;
        GcFinalization.awaitDone(() -> {
            map.cleanUp();
            return map.size() == expectedLive && reported.get() == dropped.get();
        });
        assertThat(map.size()).isEqualTo(expectedLive);
        assertThat(reported.get()).as("dropped entries reported once each").isEqualTo(dropped.get());
        assertThat(dropped.get()).isPositive();
    }

    private static void churn(ReferenceMap<Object, Object> map, Object[] keys, Object[] last, AtomicLong dropped,
            long deadline) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long droppedHere = 0;
        Object[] garbage = new Object[16]; // survives a little, so that collections find work of all ages
        for (long op = 0; System.nanoTime() < deadline || op < 1_000; op++) {
            int i = random.nextInt(keys.length);
            Object key = keys[i];
            switch (random.nextInt(10)) {
                case 0, 1 -> {
                    Object value = new Object();
                    check(map.put(key, value) == last[i], "put returned the previous value");
                    last[i] = value;
                }
                case 2, 3, 4 -> check(map.get(key) == last[i], "get returned the last value written");
                case 5 -> {
                    check(map.remove(key) == last[i], "remove returned the last value written");
                    last[i] = null;
                }
                case 6 -> {
                    Object value = new Object();
                    Object previous = map.putIfAbsent(key, value);
                    check(previous == last[i], "putIfAbsent returned the current value");
                    if (previous == null) {
                        last[i] = value;
                    }
                }
                case 7 -> {
                    Object value = new Object();
                    Object expected = last[i];
                    Object result = map.compute(key, (k, v) -> {
                        check(v == expected, "compute saw the current value");
                        return value;
                    });
                    check(result == value, "compute returned the new value");
                    last[i] = value;
                }
                case 8 -> {
                    map.put(new Object(), new Object()); // dropped at once: collectable on either side
                    droppedHere++;
                }
                default -> garbage[(int) (op & 15)] = new byte[random.nextInt(64, 4096)];
            }
            if (op % 4096 == 0) {
                for (Map.Entry<Object, Object> e : map.entrySet()) {
                    check(e.getKey() != null && e.getValue() != null, "iteration returned a cleared entry");
                }
            }
        }
        dropped.addAndGet(droppedHere);
    }

    private static void check(boolean condition, String invariant) {
        if (!condition) {
            throw new AssertionError("invariant broken: " + invariant);
        }
    }
}
