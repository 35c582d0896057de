package dev.refkit.map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.testing.GcFinalization;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class InternerTest {

    @Test
    void internReturnsTheFirstInstanceForEqualSamples() {
        Interner<String> interner = Interner.weak();
        String first = new String("name");
        assertThat(interner.intern(first)).isSameAs(first);
        assertThat(interner.intern(new String("name"))).isSameAs(first);
    }

    @Test
    void weakInternerKeepsNothingAlive() {
        Interner<String> interner = Interner.weak();
        String canonical = new String("transient");
        interner.intern(canonical);
        WeakReference<String> probe = new WeakReference<>(canonical);
        canonical = null;

        GcFinalization.awaitClear(probe);

        String next = new String("transient");
        assertThat(interner.intern(next)).isSameAs(next);
    }

    @Test
    void strongInternerKeepsItsCanonicalInstancesAcrossCollections() {
        Interner<String> interner = Interner.strong();
        WeakReference<String> probe = new WeakReference<>(interner.intern(new String("kept")));
        GcFinalization.awaitFullGc();
        assertThat(probe.get()).isNotNull();
        assertThat(interner.intern(new String("kept"))).isSameAs(probe.get());
    }

    @Test
    void concurrentCallersWithEqualSamplesGetOneInstance() throws Exception {
        Interner<String> interner = Interner.weak();
        int threads = 4;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<List<String>>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    List<String> results = new ArrayList<>();
                    for (int i = 0; i < 2_000; i++) {
                        results.add(interner.intern(new String("s" + i)));
                    }
                    return results;
                }));
            }
            start.countDown();
            List<List<String>> all = new ArrayList<>();
            for (Future<List<String>> future : futures) {
                all.add(future.get(60, TimeUnit.SECONDS));
            }
            for (int i = 0; i < 2_000; i++) {
                Map<String, Boolean> distinct = new IdentityHashMap<>();
                for (List<String> results : all) {
                    distinct.put(results.get(i), true);
                }
                assertThat(distinct).as("instances of s%d", i).hasSize(1);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void asSetStreamsSeeOnlyTheInstancesStillInUse() {
        Interner<String> interner = Interner.weak();
        List<WeakReference<String>> dropped = new ArrayList<>();
        List<String> kept = internKeepingEveryOther(interner, 1_000, dropped);

        dropped.forEach(GcFinalization::awaitClear);

        // No cleanUp: size() may still count the collected instances; the streams must not.
        assertThat(interner.asSet().stream().toArray()).containsExactlyInAnyOrderElementsOf(kept);
        assertThat(interner.asSet().stream().count()).isEqualTo(kept.size());
        assertThat(interner.asSet().stream().sorted().toList()).hasSize(kept.size());
    }

    /** In a method of its own, so that no dead local of the test's frame refers to a dropped instance. */
    private static List<String> internKeepingEveryOther(Interner<String> interner, int n,
                                                        List<WeakReference<String>> dropped) {
        List<String> kept = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String instance = interner.intern(new String("s" + i));
            if (i % 2 == 0) {
                kept.add(instance);
            } else {
                dropped.add(new WeakReference<>(instance));
            }
        }
        return kept;
    }

    @Test
    void asSetSpliteratorIsConcurrentNonNullAndNotSized() {
        Interner<String> interner = Interner.weak();
        interner.intern("s");

        ReferenceMapViewStreamsTest.assertConcurrentNotSized(interner.asSet(), true);
    }

    @Test
    void internRejectsNull() {
        assertThatThrownBy(() -> Interner.strong().intern(null)).isInstanceOf(NullPointerException.class);
    }
}
