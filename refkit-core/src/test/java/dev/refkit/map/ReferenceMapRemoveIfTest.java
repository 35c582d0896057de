package dev.refkit.map;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refkit.Strength;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code removeIf} on the entry and value views removes an entry only if its key still maps to the value the
 * predicate tested, as {@link java.util.concurrent.ConcurrentHashMap}'s views do: a value written by another
 * thread after the predicate ran is never deleted on the strength of the old value's test.
 */
class ReferenceMapRemoveIfTest {

    @ParameterizedTest(name = "values={0}")
    @EnumSource(Strength.class)
    void entrySetRemoveIfKeepsAValueWrittenAfterThePredicateTestedTheOldOne(Strength values) throws Exception {
        ReferenceMap<String, String> map = ReferenceMap.<String, String>builder().values(values).build();
        map.put("k", "old");

        boolean removed = removeIfWhileAnotherThreadWrites(map, "new",
                predicate -> map.entrySet().removeIf(e -> predicate.test(e.getValue())));

        assertThat(removed).as("removeIf reported a removal").isFalse();
        assertThat(map).containsExactly(Map.entry("k", "new"));
    }

    @ParameterizedTest(name = "values={0}")
    @EnumSource(Strength.class)
    void valuesRemoveIfKeepsAValueWrittenAfterThePredicateTestedTheOldOne(Strength values) throws Exception {
        ReferenceMap<String, String> map = ReferenceMap.<String, String>builder().values(values).build();
        map.put("k", "old");

        boolean removed = removeIfWhileAnotherThreadWrites(map, "new",
                predicate -> map.values().removeIf(predicate));

        assertThat(removed).as("removeIf reported a removal").isFalse();
        assertThat(map).containsExactly(Map.entry("k", "new"));
    }

    @ParameterizedTest(name = "values={0}")
    @EnumSource(Strength.class)
    void removeIfStillRemovesEveryEntryWhoseValueIsUnchanged(Strength values) {
        ReferenceMap<String, String> map = ReferenceMap.<String, String>builder().values(values).build();
        map.put("a", "drop");
        map.put("b", "keep");
        map.put("c", "drop");

        assertThat(map.values().removeIf("drop"::equals)).isTrue();
        assertThat(map.entrySet().removeIf(e -> e.getKey().equals("b"))).isTrue();

        assertThat(map).isEmpty();
    }

    /**
     * Runs {@code removeIf} (given the predicate to use) on this thread; the predicate tests the value it is
     * given, then lets another thread write {@code newValue} for the same key, and returns its verdict on the
     * old value only once that write is done.
     */
    private static boolean removeIfWhileAnotherThreadWrites(ReferenceMap<String, String> map, String newValue,
                                                           Predicate<Predicate<String>> removeIf) throws Exception {
        CountDownLatch tested = new CountDownLatch(1);
        CountDownLatch written = new CountDownLatch(1);
        ExecutorService writer = Executors.newSingleThreadExecutor();
        try {
            Future<?> write = writer.submit(() -> {
                assertThat(tested.await(60, TimeUnit.SECONDS)).as("the predicate ran").isTrue();
                map.put("k", newValue);
                written.countDown();
                return null;
            });
            boolean removed = removeIf.test(value -> {
                boolean stale = value.equals("old");
                tested.countDown();
                try {
                    assertThat(written.await(60, TimeUnit.SECONDS)).as("the other thread wrote").isTrue();
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
                return stale;
            });
            write.get(60, TimeUnit.SECONDS);
            return removed;
        } finally {
            writer.shutdownNow();
        }
    }
}
