package dev.refkit.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ReferenceCacheLoadingTest {
    private static final int CALLERS = 8;

    /** A loader that blocks until released, so that callers can be made to overlap with its load. */
    private static final class GatedLoader implements CacheLoader<String, String> {
        final AtomicInteger loads = new AtomicInteger();
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        volatile Exception failure;

        @Override
        public String load(String key) throws Exception {
            loads.incrementAndGet();
            entered.countDown();
            if (!release.await(60, TimeUnit.SECONDS)) {
                throw new AssertionError("the test never released the loader");
            }
            if (failure != null) {
                throw failure;
            }
            return key.toUpperCase();
        }

        void awaitEntered() throws InterruptedException {
            assertThat(entered.await(60, TimeUnit.SECONDS)).as("loader entered").isTrue();
        }
    }

    /** Starts CALLERS threads on get(key) and returns once one of them loads and all others wait for it. */
    private static Callers<String> overlappingCallers(ReferenceCache<String, String> cache, GatedLoader loader,
                                                      String key) throws InterruptedException {
        Callers<String> callers = new Callers<>(CALLERS, () -> cache.get(key));
        callers.release();
        loader.awaitEntered();
        Await.until("all callers missed", () -> cache.stats().missCount() == CALLERS);
        Await.allWaiting(callers.threads());
        return callers;
    }

    @Test
    void concurrentCallersOfOneMissingKeyShareExactlyOneLoad() throws Exception {
        GatedLoader loader = new GatedLoader();
        ReferenceCache<String, String> cache = ReferenceCache.builder().recordStats().build(loader);

        Callers<String> callers = overlappingCallers(cache, loader, "e-42");
        loader.release.countDown();

        assertThat(callers.outcomes()).hasSize(CALLERS).containsOnly("E-42");
        assertThat(loader.loads).hasValue(1);
        assertThat(cache.getIfPresent("e-42")).isEqualTo("E-42");
    }

    @Test
    void loaderFailureReachesEveryWaitingCallerWithTheCause() throws Exception {
        GatedLoader loader = new GatedLoader();
        loader.failure = new IOException("database down");
        ReferenceCache<String, String> cache = ReferenceCache.builder().recordStats().build(loader);

        Callers<String> callers = overlappingCallers(cache, loader, "e-42");
        loader.release.countDown();

        List<Object> outcomes = callers.outcomes();
        assertThat(outcomes).hasSize(CALLERS).allSatisfy(outcome -> assertThat(outcome)
                .isInstanceOf(CacheLoadException.class)
                .extracting(o -> ((Throwable) o).getCause()).isSameAs(loader.failure));
        assertThat(loader.loads).hasValue(1);
    }

    @Test
    void nextGetAfterAFailedLoadCallsTheLoaderAgain() {
        AtomicInteger calls = new AtomicInteger();
        ReferenceCache<String, String> cache = ReferenceCache.builder().build(key -> {
            if (calls.incrementAndGet() == 1) {
                throw new IOException("transient");
            }
            return "loaded " + key;
        });

        assertThatThrownBy(() -> cache.get("k")).isInstanceOf(CacheLoadException.class)
                .hasCauseInstanceOf(IOException.class).hasMessageContaining("k").hasMessageContaining("transient");
        assertThat(cache.get("k")).isEqualTo("loaded k");
        assertThat(calls).hasValue(2);
    }

    @Test
    void failingLoaderLeavesTheCacheAsItWas() {
        List<RemovalCause> removals = new CopyOnWriteArrayList<>();
        ReferenceCache<String, String> cache = ReferenceCache.builder()
                .removalListener((String k, String v, RemovalCause c) -> removals.add(c))
                .build(key -> {
                    throw new IllegalArgumentException("no such key " + key);
                });
        cache.put("a", "A");
        cache.put("b", "B");
        Map<String, String> before = Map.copyOf(cache.asMap());

        assertThatThrownBy(() -> cache.get("c")).isInstanceOf(CacheLoadException.class)
                .hasCauseInstanceOf(IllegalArgumentException.class);

        assertThat(cache.asMap()).isEqualTo(before);
        assertThat(removals).isEmpty();
    }

    @Test
    void loaderReturningNullGivesNullAndCachesNothing() {
        AtomicInteger calls = new AtomicInteger();
        ReferenceCache<String, String> cache = ReferenceCache.builder().build(key -> {
            calls.incrementAndGet();
            return null;
        });

        assertThat(cache.get("missing")).isNull();
        assertThat(cache.getIfPresent("missing")).isNull();
        assertThat(cache.get("missing")).isNull();
        assertThat(calls).hasValue(2);
        assertThat(cache.asMap()).isEmpty();
    }

    @Test
    void loadOfOneKeyDoesNotBlockCallersOfOtherKeys() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch slowEntered = new CountDownLatch(1);
        ReferenceCache<String, String> cache = ReferenceCache.builder().build(key -> {
            if (key.equals("slow")) {
                slowEntered.countDown();
                release.await(60, TimeUnit.SECONDS);
            }
            return key + "!";
        });
        Callers<String> slow = new Callers<>(1, () -> cache.get("slow"));
        slow.release();
        assertThat(slowEntered.await(60, TimeUnit.SECONDS)).isTrue();

        assertThat(cache.get("fast")).isEqualTo("fast!");

        release.countDown();
        assertThat(slow.outcomes()).containsExactly("slow!");
    }

    @Test
    void loaderAskingForItsOwnKeyIsRefusedInsteadOfWaitingForItself() {
        AtomicInteger depth = new AtomicInteger();
        AtomicReference<ReferenceCache<String, String>> self = new AtomicReference<>();
        self.set(ReferenceCache.builder().build((String key) -> {
            depth.incrementAndGet();
            return self.get().get(key);
        }));

        assertThatThrownBy(() -> self.get().get("loop")).isInstanceOf(CacheLoadException.class)
                .cause().isInstanceOf(IllegalStateException.class).hasMessageContaining("recursive load");
        assertThat(depth).hasValue(1);
    }

    @Test
    void aLoadCycleThroughAnotherKeyOnOneThreadIsRefused() {
        AtomicReference<ReferenceCache<String, String>> self = new AtomicReference<>();
        self.set(ReferenceCache.builder().build((String key) ->
                key.equals("a") ? "a needs " + self.get().get("b") : "b needs " + self.get().get("a")));

        assertThatThrownBy(() -> self.get().get("a")).isInstanceOf(CacheLoadException.class)
                .rootCause().isInstanceOf(IllegalStateException.class).hasMessageContaining("recursive load of key a");
        assertThat(self.get().asMap()).isEmpty();
    }

    @Test
    void invalidateDuringALoadWaitsForItAndKeepsTheLoadedValueOutOfTheCache() throws Exception {
        GatedLoader loader = new GatedLoader();
        ReferenceCache<String, String> cache = ReferenceCache.builder().build(loader);
        Callers<String> caller = new Callers<>(1, () -> cache.get("k"));
        caller.release();
        loader.awaitEntered();

        CountDownLatch invalidating = new CountDownLatch(1);
        Callers<String> invalidator = new Callers<>(1, () -> {
            invalidating.countDown();
            cache.invalidate("k");
            return "invalidated";
        });
        invalidator.release();
        assertThat(invalidating.await(60, TimeUnit.SECONDS)).isTrue();
        Thread invalidatorThread = invalidator.threads().get(0);
        Await.until("invalidate returned or waits",
                () -> !invalidatorThread.isAlive() || invalidatorThread.getState() == Thread.State.WAITING);
        assertThat(invalidatorThread.isAlive()).as("invalidate waits for the running load").isTrue();
        loader.release.countDown();

        assertThat(invalidator.outcomes()).containsExactly("invalidated");
        assertThat(caller.outcomes()).containsExactly("K");
        assertThat(cache.getIfPresent("k")).isNull();
    }

    @Test
    void aGetAfterInvalidateReturnedReadsTheSourceAfreshInsteadOfJoiningTheDiscardedLoad() throws Exception {
        AtomicReference<String> source = new AtomicReference<>("v1");
        AtomicInteger loads = new AtomicInteger();
        CountDownLatch firstLoadRead = new CountDownLatch(1);
        CountDownLatch releaseFirstLoad = new CountDownLatch(1);
        ReferenceCache<String, String> cache = ReferenceCache.builder().build((String key) -> {
            String read = source.get();
            if (loads.incrementAndGet() == 1) {
                firstLoadRead.countDown();
                assertThat(releaseFirstLoad.await(60, TimeUnit.SECONDS)).as("first load released").isTrue();
            }
            return read;
        });
        Callers<String> before = new Callers<>(1, () -> cache.get("k"));
        before.release();
        assertThat(firstLoadRead.await(60, TimeUnit.SECONDS)).as("first load read the source").isTrue();

        // Write the source, invalidate, read again: the read starts once invalidate has returned.
        source.set("v2");
        CountDownLatch invalidating = new CountDownLatch(1);
        Callers<String> invalidator = new Callers<>(1, () -> {
            invalidating.countDown();
            cache.invalidate("k");
            return "invalidated";
        });
        CountDownLatch reading = new CountDownLatch(1);
        Thread invalidatorThread = invalidator.threads().get(0);
        Callers<String> after = new Callers<>(1, () -> {
            invalidatorThread.join();
            reading.countDown();
            return cache.get("k");
        });
        Thread afterThread = after.threads().get(0);
        invalidator.release();
        after.release();
        // Either invalidate waits for the running load, or the read has started and returned or waits.
        Await.until("invalidate waits, or the read after it returned or waits", () ->
                (invalidating.getCount() == 0 && invalidatorThread.getState() == Thread.State.WAITING)
                        || (reading.getCount() == 0 && (!afterThread.isAlive()
                                || afterThread.getState() == Thread.State.WAITING)));
        releaseFirstLoad.countDown();

        assertThat(after.outcomes()).containsExactly("v2");
        assertThat(invalidator.outcomes()).containsExactly("invalidated");
        assertThat(before.outcomes()).containsExactly("v1");
        assertThat(cache.getIfPresent("k")).isEqualTo("v2");
        assertThat(loads).hasValue(2);
    }

    @Test
    void putDuringALoadWinsOverTheLoadedValue() throws Exception {
        GatedLoader loader = new GatedLoader();
        ReferenceCache<String, String> cache = ReferenceCache.builder().build(loader);
        Callers<String> caller = new Callers<>(1, () -> cache.get("k"));
        caller.release();
        loader.awaitEntered();

        cache.put("k", "written");
        loader.release.countDown();

        assertThat(caller.outcomes()).containsExactly("written");
        assertThat(cache.getIfPresent("k")).isEqualTo("written");
    }

    @Test
    void getAllLoadsOnlyTheMissingKeysInOneBulkCall() {
        List<Set<? extends String>> batches = new CopyOnWriteArrayList<>();
        ReferenceCache<String, String> cache = ReferenceCache.builder().build(new CacheLoader<String, String>() {
            @Override
            public String load(String key) {
                throw new AssertionError("single load of " + key + " although a bulk form exists");
            }

            @Override
            public Map<String, String> loadAll(Set<? extends String> keys) {
                batches.add(Set.copyOf(keys));
                Map<String, String> values = new HashMap<>();
                keys.forEach(k -> values.put(k, k.toUpperCase()));
                return values;
            }
        });
        cache.put("b", "cached b");

        Map<String, String> all = cache.getAll(List.of("a", "b", "c"));

        assertThat(all).containsExactly(Map.entry("a", "A"), Map.entry("b", "cached b"), Map.entry("c", "C"));
        assertThat(batches).containsExactly(Set.of("a", "c"));
        assertThat(cache.getIfPresent("c")).isEqualTo("C");
    }

    @Test
    void getAllWithoutABulkFormLoadsTheMissingKeysOneByOne() {
        List<String> loaded = new CopyOnWriteArrayList<>();
        ReferenceCache<String, Integer> cache = ReferenceCache.builder().build((String key) -> {
            loaded.add(key);
            return key.length();
        });

        assertThat(cache.getAll(List.of("x", "yy", "x"))).containsExactly(Map.entry("x", 1), Map.entry("yy", 2));
        assertThat(loaded).containsExactly("x", "yy");
    }

    @Test
    void getAllLeavesOutAndDoesNotCacheKeysTheBulkLoaderDidNotReturn() {
        ReferenceCache<String, String> cache = ReferenceCache.builder().build(new CacheLoader<String, String>() {
            @Override
            public String load(String key) {
                return key;
            }

            @Override
            public Map<String, String> loadAll(Set<? extends String> keys) {
                return Map.of("known", "K", "unrequested", "U");
            }
        });

        assertThat(cache.getAll(List.of("known", "unknown"))).containsOnlyKeys("known");
        assertThat(cache.asMap()).containsOnlyKeys("known");
    }

    @Test
    void failingBulkLoadFailsTheWholeCallAndCachesNothing() {
        ReferenceCache<String, String> cache = ReferenceCache.builder().build(new CacheLoader<String, String>() {
            @Override
            public String load(String key) {
                return key;
            }

            @Override
            public Map<String, String> loadAll(Set<? extends String> keys) throws Exception {
                throw new IOException("batch query failed");
            }
        });

        assertThatThrownBy(() -> cache.getAll(List.of("a", "b"))).isInstanceOf(CacheLoadException.class)
                .hasCauseInstanceOf(IOException.class).hasMessageContaining("[a, b]");
        assertThat(cache.asMap()).isEmpty();
    }

    @Test
    void getAllWaitsForAKeyAnotherCallerIsLoadingInsteadOfLoadingItAgain() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch entered = new CountDownLatch(1);
        List<String> loaded = new CopyOnWriteArrayList<>();
        ReferenceCache<String, String> cache = ReferenceCache.builder().build((String key) -> {
            loaded.add(key);
            if (key.equals("a")) {
                entered.countDown();
                release.await(60, TimeUnit.SECONDS);
            }
            return key.toUpperCase();
        });
        Callers<String> single = new Callers<>(1, () -> cache.get("a"));
        single.release();
        assertThat(entered.await(60, TimeUnit.SECONDS)).isTrue();
        Callers<Map<String, String>> bulk = new Callers<>(1, () -> cache.getAll(List.of("a", "b")));
        bulk.release();
        Await.until("getAll loaded b and waits for a", () -> loaded.contains("b"));
        Await.allWaiting(bulk.threads());

        release.countDown();

        assertThat(bulk.outcomes()).containsExactly(Map.of("a", "A", "b", "B"));
        assertThat(single.outcomes()).containsExactly("A");
        assertThat(loaded).containsExactlyInAnyOrder("a", "b");
    }

    @Test
    void getAllWhoseLoaderReadsAnotherKeyOfTheBatchLoadsEachKeyOnce() {
        List<String> loaded = new CopyOnWriteArrayList<>();
        AtomicReference<ReferenceCache<String, String>> self = new AtomicReference<>();
        self.set(ReferenceCache.builder().build((String key) -> {
            loaded.add(key);
            return key.equals("emp1") ? "emp1, reports to " + self.get().get("mgr") : key.toUpperCase();
        }));

        Map<String, String> all = self.get().getAll(List.of("emp1", "mgr"));

        assertThat(all).containsExactly(Map.entry("emp1", "emp1, reports to MGR"), Map.entry("mgr", "MGR"));
        assertThat(loaded).containsExactly("emp1", "mgr");
        assertThat(self.get().getIfPresent("mgr")).isEqualTo("MGR");
    }

    @Test
    void aBulkLoaderThatAsksForAKeyOfItsOwnBatchIsRefusedWithAMessageSayingSo() {
        AtomicReference<ReferenceCache<String, String>> self = new AtomicReference<>();
        self.set(ReferenceCache.builder().build(new CacheLoader<String, String>() {
            @Override
            public String load(String key) {
                return key.toUpperCase();
            }

            @Override
            public Map<String, String> loadAll(Set<? extends String> keys) {
                return Map.of("emp1", "emp1, reports to " + self.get().get("mgr"));
            }
        }));

        assertThatThrownBy(() -> self.get().getAll(List.of("emp1", "mgr"))).isInstanceOf(CacheLoadException.class)
                .rootCause().isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("recursive load of key mgr")
                .hasMessageContaining("loadAll")
                .hasMessageContaining("[emp1, mgr]");
    }

    @Test
    void cacheBuiltWithoutALoaderRefusesGetButLoadsWithAGivenLoader() {
        ReferenceCache<String, String> cache = ReferenceCache.builder().build();

        assertThatThrownBy(() -> cache.get("k")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("without a loader");
        assertThatThrownBy(() -> cache.getAll(List.of("k"))).isInstanceOf(IllegalStateException.class);
        assertThat(cache.get("k", key -> "given " + key)).isEqualTo("given k");
        assertThat(cache.getIfPresent("k")).isEqualTo("given k");
    }

    @Test
    void anInterruptedWaiterStillReceivesTheValueAndKeepsItsInterruptStatus() throws Exception {
        GatedLoader loader = new GatedLoader();
        ReferenceCache<String, String> cache = ReferenceCache.builder().recordStats().build(loader);
        Callers<String> owner = new Callers<>(1, () -> cache.get("k"));
        owner.release();
        loader.awaitEntered();
        Callers<String> waiter = new Callers<>(1, () -> {
            String value = cache.get("k");
            return value + (Thread.currentThread().isInterrupted() ? " (interrupted)" : "");
        });
        waiter.release();
        Await.until("the second caller missed", () -> cache.stats().missCount() == 2);
        Await.allWaiting(waiter.threads());

        waiter.threads().get(0).interrupt();
        loader.release.countDown();

        assertThat(waiter.outcomes()).containsExactly("K (interrupted)");
        assertThat(loader.loads).hasValue(1);
    }

    @Test
    void weakKeysAreComparedByIdentity() {
        ReferenceCache<String, String> cache = ReferenceCache.builder().weakKeys().build(k -> "for " + k);
        String key = new String("id");

        cache.get(key);

        assertThat(cache.getIfPresent(key)).isEqualTo("for id");
        assertThat(cache.getIfPresent(new String("id"))).isNull();
    }

    @Test
    void strongKeysAreComparedByEquals() {
        ReferenceCache<String, String> cache = ReferenceCache.builder().build(k -> "for " + k);

        cache.get(new String("id"));

        assertThat(cache.getIfPresent(new String("id"))).isEqualTo("for id");
    }

    @Test
    void nullKeysAndValuesAreRejected() {
        ReferenceCache<String, String> cache = ReferenceCache.builder().build(k -> k);

        assertThatThrownBy(() -> cache.get(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> cache.put("k", null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> cache.getAll(Arrays.asList("a", null)))
                .isInstanceOf(NullPointerException.class);
    }
}
