package dev.refkit.bench;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.google.common.cache.CacheBuilder;
import dev.refkit.cache.ReferenceCache;
import dev.refkit.cache.RemovalCause;
import dev.refkit.examples.ZipfSampler;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.SoftReference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import java.util.function.LongSupplier;

/**
 * Soft-valued caches under memory pressure. Each implementation runs in its own child JVM with the same
 * small heap: a few threads send Zipf-distributed requests over a value set several times larger than the
 * heap; values of about 100 KB are built by a loader with a fixed cost. One line per implementation:
 *
 * <pre>impl hit_ratio loads duplicate_loads collected gc_ms oom</pre>
 *
 * <ul>
 *   <li>{@code hit_ratio}: {@code 1 - loads / requests};
 *   <li>{@code loads}: calls of the loader;
 *   <li>{@code duplicate_loads}: loads that started while another load of the same key was running;
 *   <li>{@code collected}: entries the cache reported as cleared by the collector;
 *   <li>{@code gc_ms}: collection time reported by the JVM's collectors over the run;
 *   <li>{@code oom}: whether an {@link OutOfMemoryError} ended the run.
 * </ul>
 *
 * <p>Run: {@code java -cp refkit-bench/target/benchmarks.jar dev.refkit.bench.MemoryPressureScenario}
 * with optional {@code --heap 64m --keys 3000 --requests 20000 --threads 2 --value-kb 100
 * --load-micros 200 --recent 64 --zipf 0.99 --seed 1 --impls refkit,refkit_keepRecent,caffeine,guava,classic}
 * ({@code --requests} is per thread).
 */
public final class MemoryPressureScenario {
    static final List<String> IMPLEMENTATIONS =
            List.of("refkit", "refkit_keepRecent", "caffeine", "guava", "classic");

    private MemoryPressureScenario() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = parse(args);
        if (options.containsKey("child")) {
            runChild(options);
            return;
        }
        List<String> impls = Arrays.asList(options.getOrDefault("impls", String.join(",", IMPLEMENTATIONS))
                .split(","));
        System.out.println("# heap=" + options.getOrDefault("heap", "64m") + " " + describe(options));
        System.out.println("impl hit_ratio loads duplicate_loads collected gc_ms oom");
        for (String impl : impls) {
            System.out.println(fork(impl, options));
        }
    }

    private static String describe(Map<String, String> o) {
        return "keys=" + o.getOrDefault("keys", "3000") + " requests/thread=" + o.getOrDefault("requests", "20000")
                + " threads=" + o.getOrDefault("threads", "2") + " value_kb=" + o.getOrDefault("value-kb", "100")
                + " load_micros=" + o.getOrDefault("load-micros", "200") + " recent="
                + o.getOrDefault("recent", "64") + " zipf=" + o.getOrDefault("zipf", "0.99");
    }

    private static String fork(String impl, Map<String, String> options) throws IOException, InterruptedException {
        if (!IMPLEMENTATIONS.contains(impl)) {
            throw new IllegalArgumentException("unknown implementation " + impl + "; expected one of "
                    + IMPLEMENTATIONS);
        }
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + options.getOrDefault("heap", "64m"), "-Xms" + options.getOrDefault("heap", "64m"),
                "-cp", System.getProperty("java.class.path"), MemoryPressureScenario.class.getName(),
                "--child", impl));
        for (Map.Entry<String, String> e : options.entrySet()) {
            if (!e.getKey().equals("impls") && !e.getKey().equals("child")) {
                command.add("--" + e.getKey());
                command.add(e.getValue());
            }
        }
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!child.waitFor(30, TimeUnit.MINUTES)) {
            child.destroyForcibly();
            return impl + " (did not finish)";
        }
        String last = output.lines().reduce((a, b) -> b).orElse("");
        return last.startsWith(impl + " ") ? last : impl + " (child failed, exit " + child.exitValue() + "): " + output;
    }

    // ---- child -------------------------------------------------------------------------------------

    /** A cache under test, reduced to what the scenario needs. */
    interface Subject {
        Object get(int key);

        long collected();

        /** A subject that reads through {@code get} and counts collected values with {@code collected}. */
        static Subject of(IntFunction<Object> get, LongSupplier collected) {
            return new Subject() {
                @Override
                public Object get(int key) {
                    return get.apply(key);
                }

                @Override
                public long collected() {
                    return collected.getAsLong();
                }
            };
        }
    }

    private static void runChild(Map<String, String> o) throws InterruptedException {
        String impl = o.get("child");
        int keys = Integer.parseInt(o.getOrDefault("keys", "3000"));
        int requests = Integer.parseInt(o.getOrDefault("requests", "20000"));
        int threads = Integer.parseInt(o.getOrDefault("threads", "2"));
        int valueBytes = Integer.parseInt(o.getOrDefault("value-kb", "100")) * 1024;
        long loadNanos = TimeUnit.MICROSECONDS.toNanos(Long.parseLong(o.getOrDefault("load-micros", "200")));
        int recent = Integer.parseInt(o.getOrDefault("recent", "64"));
        double zipf = Double.parseDouble(o.getOrDefault("zipf", "0.99"));
        long seed = Long.parseLong(o.getOrDefault("seed", "1"));

        AtomicLong loads = new AtomicLong();
        AtomicLong duplicates = new AtomicLong();
        AtomicIntegerArray loading = new AtomicIntegerArray(keys);
        IntFunction<Object> loader = key -> {
            loads.incrementAndGet();
            if (loading.incrementAndGet(key) > 1) {
                duplicates.incrementAndGet();
            }
            try {
                long end = System.nanoTime() + loadNanos; // the fixed cost of building a value
                while (System.nanoTime() < end) {
                    Thread.onSpinWait();
                }
                byte[] value = new byte[valueBytes];
                value[0] = (byte) key;
                return value;
            } finally {
                loading.decrementAndGet(key);
            }
        };
        Subject subject = subject(impl, loader, recent);
        ZipfSampler sampler = new ZipfSampler(keys, zipf, seed);
        AtomicInteger ooms = new AtomicInteger();
        long gcBefore = gcMillis();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            SplittableRandom random = new SplittableRandom(seed + t);
            Thread worker = new Thread(() -> {
                try {
                    for (int i = 0; i < requests; i++) {
                        int key = sampler.next(random);
                        byte[] value = (byte[]) subject.get(key);
                        if (value[0] != (byte) key) {
                            throw new AssertionError(impl + " returned the value of another key for " + key);
                        }
                    }
                } catch (OutOfMemoryError e) {
                    ooms.incrementAndGet();
                }
            }, "requests-" + t);
            workers.add(worker);
            worker.start();
        }
        for (Thread worker : workers) {
            worker.join();
        }
        long gcMs = gcMillis() - gcBefore;
        long totalRequests = (long) requests * threads;
        double hitRatio = 1.0 - (double) loads.get() / totalRequests;
        System.out.println(String.format(Locale.ROOT, "%s %.4f %d %d %d %d %s", impl, hitRatio, loads.get(),
                duplicates.get(), subject.collected(), gcMs, ooms.get() > 0));
    }

    private static Subject subject(String impl, IntFunction<Object> loader, int recent) {
        AtomicLong collected = new AtomicLong();
        switch (impl) {
            case "refkit":
            case "refkit_keepRecent": {
                ReferenceCache.Builder<Object, Object> builder = ReferenceCache.builder().softValues().recordStats();
                if (impl.equals("refkit_keepRecent")) {
                    builder.keepRecent(recent);
                }
                ReferenceCache<Integer, Object> cache = builder.build((Integer k) -> loader.apply(k));
                return Subject.of(key -> cache.get(key), () -> {
                    cache.cleanUp();
                    return cache.stats().collectedCount();
                });
            }
            case "caffeine": {
                com.github.benmanes.caffeine.cache.LoadingCache<Integer, Object> cache = Caffeine.newBuilder()
                        .softValues().executor(Runnable::run)
                        .removalListener((Integer k, Object v, com.github.benmanes.caffeine.cache.RemovalCause c) -> {
                            if (c == com.github.benmanes.caffeine.cache.RemovalCause.COLLECTED) {
                                collected.incrementAndGet();
                            }
                        })
                        .build(loader::apply);
                return Subject.of(key -> cache.get(key), () -> {
                    cache.cleanUp();
                    return collected.get();
                });
            }
            case "guava": {
                com.google.common.cache.LoadingCache<Integer, Object> cache = CacheBuilder.newBuilder()
                        .softValues()
                        .removalListener((com.google.common.cache.RemovalNotification<Integer, Object> n) -> {
                            if (n.getCause() == com.google.common.cache.RemovalCause.COLLECTED) {
                                collected.incrementAndGet();
                            }
                        })
                        .build(com.google.common.cache.CacheLoader.from((Integer k) -> loader.apply(k)));
                return Subject.of(key -> cache.getUnchecked(key), () -> {
                    cache.cleanUp();
                    return collected.get();
                });
            }
            case "classic": {
                ClassicSoftCache cache = new ClassicSoftCache(loader);
                return Subject.of(key -> cache.get(key), () -> {
                    cache.expungeStale();
                    return cache.collected;
                });
            }
            default:
                throw new IllegalArgumentException("unknown implementation " + impl);
        }
    }

    /**
     * The baseline: a soft-reference cache written the classic way, a {@link Hashtable} of
     * {@link SoftReference}s with a {@link ReferenceQueue} polled on every request. No single flight: two
     * threads that miss the same key both load it.
     */
    static final class ClassicSoftCache {
        private final Hashtable<Integer, ValueRef> table = new Hashtable<>();
        private final ReferenceQueue<Object> queue = new ReferenceQueue<>();
        private final IntFunction<Object> loader;
        long collected;

        ClassicSoftCache(IntFunction<Object> loader) {
            this.loader = loader;
        }

        Object get(int key) {
            expungeStale();
            ValueRef ref = table.get(key);
            Object value = ref == null ? null : ref.get();
            if (value == null) {
                value = loader.apply(key);
                table.put(key, new ValueRef(key, value, queue));
            }
            return value;
        }

        synchronized void expungeStale() {
            for (ValueRef ref; (ref = (ValueRef) queue.poll()) != null; ) {
                if (table.remove(ref.key, ref)) {
                    collected++;
                }
            }
        }

        static final class ValueRef extends SoftReference<Object> {
            final Integer key;

            ValueRef(Integer key, Object value, ReferenceQueue<Object> queue) {
                super(value, queue);
                this.key = key;
            }
        }
    }

    private static long gcMillis() {
        long total = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            total += Math.max(0, gc.getCollectionTime());
        }
        return total;
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --option value pairs, got '" + args[i]
                        + "'; options: --heap --keys --requests --threads --value-kb --load-micros --recent "
                        + "--zipf --seed --impls");
            }
            options.put(args[i].substring(2), args[++i]);
        }
        return options;
    }
}
