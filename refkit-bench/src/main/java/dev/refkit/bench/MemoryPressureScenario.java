package dev.refkit.bench;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.google.common.cache.CacheBuilder;
import com.sun.management.GarbageCollectionNotificationInfo;
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
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;
import java.util.function.LongSupplier;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * Caches under memory pressure. Each implementation runs in its own child JVM with the same small heap: a few
 * threads send Zipf-distributed requests over a value set several times larger than the heap; values of about
 * 100 KB are built by a loader with a fixed cost. One line per implementation:
 *
 * <pre>impl hit_ratio loads duplicate_loads collected pressure gc_ms full_gcs oom</pre>
 *
 * <ul>
 *   <li>{@code hit_ratio}: {@code 1 - loads / requests};
 *   <li>{@code loads}: calls of the loader;
 *   <li>{@code duplicate_loads}: loads that started while another load of the same key was running;
 *   <li>{@code collected}: entries the cache reported as cleared by the collector;
 *   <li>{@code pressure}: entries a memory-sensitive cache let go under pressure ({@code RemovalCause.PRESSURE}),
 *       or a size-bounded cache evicted for size;
 *   <li>{@code gc_ms}: collection time reported by the JVM's collectors over the run;
 *   <li>{@code full_gcs}: collections that stopped the program to collect the whole heap: the major collections
 *       of Serial, Parallel and G1, Shenandoah's degenerated and full collections (ZGC has none: it stalls
 *       allocating threads instead);
 *   <li>{@code oom}: whether an {@link OutOfMemoryError} ended the run.
 * </ul>
 *
 * <p>The implementations: refkit soft values, with {@code keepRecent}, and {@code memorySensitive()}; Caffeine
 * and Guava soft values; a classic {@code Hashtable} of {@code SoftReference}s; and {@code caffeine_weight}, a
 * Caffeine {@code maximumWeight} cache (weight: the value's bytes) tuned first by bisection, one child JVM per
 * probe, to the largest weight, to the MB, that runs without {@link OutOfMemoryError}: it prints each probe
 * and the weight found ({@code --caffeine-weight-mb N} skips the search).
 *
 * <p>{@code --other-share 0.5} adds another part of the program that takes that share of the heap for a while:
 * from a quarter of the requests on it takes it 64 KB at a time (one chunk per {@code --other-pace-micros},
 * 200 by default: about 300 MB/s, a pace at which collections come and go), holds it until three fifths of the
 * requests are done, then releases it. {@code --gc G1} (or Serial, Parallel, Z, Shenandoah) runs every child
 * with {@code -XX:+UseG1GC}; by default the JVM chooses.
 *
 * <p>Run: {@code java -cp refkit-bench/target/benchmarks.jar dev.refkit.bench.MemoryPressureScenario}
 * with optional {@code --heap 64m --keys 3000 --requests 20000 --threads 2 --value-kb 100
 * --load-micros 200 --recent 64 --zipf 0.99 --seed 1 --gc G1 --other-share 0.5 --other-pace-micros 200
 * --impls refkit,refkit_keepRecent,refkit_memorySensitive,caffeine,caffeine_weight,guava,classic}
 * ({@code --requests} is per thread); {@code --marks 0.85,0.7} builds the memory-sensitive cache with those
 * water marks instead of the collector's defaults.
 */
public final class MemoryPressureScenario {
    static final List<String> IMPLEMENTATIONS = List.of("refkit", "refkit_keepRecent", "refkit_memorySensitive",
            "caffeine", "caffeine_weight", "guava", "classic");
    private static final String COLUMNS = "impl hit_ratio loads duplicate_loads collected pressure gc_ms full_gcs oom";

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
        System.out.println(COLUMNS);
        for (String impl : impls) {
            if (impl.equals("caffeine_weight") && !options.containsKey("caffeine-weight-mb")) {
                System.out.println(tunedCaffeine(options));
            } else {
                System.out.println(fork(impl, options));
            }
        }
    }

    /**
     * Finds by bisection the largest {@code maximumWeight} (in MB, up to the heap) with which the Caffeine cache
     * runs without an OutOfMemoryError, printing each probe as a comment; returns the line of the run found.
     */
    private static String tunedCaffeine(Map<String, String> options) throws IOException, InterruptedException {
        long low = 0;
        long high = parseMegabytes(options.getOrDefault("heap", "64m"));
        String best = "caffeine_weight (no weight ran without OutOfMemoryError)";
        while (low < high) {
            long mid = (low + high + 1) / 2;
            Map<String, String> probe = new LinkedHashMap<>(options);
            probe.put("caffeine-weight-mb", Long.toString(mid));
            String line = fork("caffeine_weight", probe);
            boolean ran = line.startsWith("caffeine_weight ") && line.endsWith(" false");
            System.out.println("# caffeine_weight probe maximumWeight=" + mid + " MB: " + (ran ? "ok  " : "oom ") + line);
            if (ran) {
                low = mid;
                best = line;
            } else {
                high = mid - 1;
            }
        }
        System.out.println("# caffeine_weight tuned: maximumWeight=" + low + " MB, the largest without OutOfMemoryError");
        return best;
    }

    private static long parseMegabytes(String size) {
        String s = size.toLowerCase(Locale.ROOT);
        long value = Long.parseLong(s.replaceAll("[^0-9]", ""));
        return s.endsWith("g") ? value << 10 : s.endsWith("k") ? value >> 10 : value;
    }

    private static String describe(Map<String, String> o) {
        return "keys=" + o.getOrDefault("keys", "3000") + " requests/thread=" + o.getOrDefault("requests", "20000")
                + " threads=" + o.getOrDefault("threads", "2") + " value_kb=" + o.getOrDefault("value-kb", "100")
                + " load_micros=" + o.getOrDefault("load-micros", "200") + " recent="
                + o.getOrDefault("recent", "64") + " zipf=" + o.getOrDefault("zipf", "0.99")
                + " gc=" + o.getOrDefault("gc", "default") + " other_share=" + o.getOrDefault("other-share", "0")
                + " other_pace_micros=" + o.getOrDefault("other-pace-micros", "200")
                + " marks=" + o.getOrDefault("marks", "default");
    }

    private static String fork(String impl, Map<String, String> options) throws IOException, InterruptedException {
        if (!IMPLEMENTATIONS.contains(impl)) {
            throw new IllegalArgumentException("unknown implementation " + impl + "; expected one of "
                    + IMPLEMENTATIONS);
        }
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + options.getOrDefault("heap", "64m"), "-Xms" + options.getOrDefault("heap", "64m")));
        if (options.containsKey("gc")) {
            command.add("-XX:+Use" + options.get("gc") + "GC");
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), MemoryPressureScenario.class.getName(),
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

        /** Entries let go under pressure (memory-sensitive) or evicted for size (size-bounded); 0 otherwise. */
        long pressure();

        /** A subject that reads through {@code get} and counts collected values with {@code collected}. */
        static Subject of(IntFunction<Object> get, LongSupplier collected) {
            return of(get, collected, () -> 0);
        }

        /** A subject that also counts the entries it let go under pressure with {@code pressure}. */
        static Subject of(IntFunction<Object> get, LongSupplier collected, LongSupplier pressure) {
            return new Subject() {
                @Override
                public Object get(int key) {
                    return get.apply(key);
                }

                @Override
                public long collected() {
                    return collected.getAsLong();
                }

                @Override
                public long pressure() {
                    return pressure.getAsLong();
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
        long weightMb = Long.parseLong(o.getOrDefault("caffeine-weight-mb", "0"));
        String marks = o.get("marks");
        double[] waterMarks = marks == null ? null
                : Arrays.stream(marks.split(",")).mapToDouble(Double::parseDouble).toArray();
        Subject subject = subject(impl, loader, recent, weightMb << 20, waterMarks);
        ZipfSampler sampler = new ZipfSampler(keys, zipf, seed);
        AtomicInteger ooms = new AtomicInteger();
        AtomicLong done = new AtomicLong();
        long totalRequests = (long) requests * threads;
        FullCollections fullCollections = new FullCollections();
        long gcBefore = gcMillis();
        Thread other = otherPart(o, done, totalRequests, ooms);
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
                        done.incrementAndGet();
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
        if (other != null) {
            done.set(totalRequests); // the workers may have stopped early (an OutOfMemoryError)
            other.join();
        }
        long gcMs = gcMillis() - gcBefore;
        double hitRatio = 1.0 - (double) loads.get() / totalRequests;
        System.out.println(String.format(Locale.ROOT, "%s %.4f %d %d %d %d %d %d %s", impl, hitRatio, loads.get(),
                duplicates.get(), subject.collected(), subject.pressure(), gcMs, fullCollections.count(),
                ooms.get() > 0));
    }

    /**
     * Another part of the program that takes {@code --other-share} of the heap from a quarter of the requests on,
     * 64 KB at a time at the pace {@code --other-pace-micros}, and gives it back at three fifths; null without it.
     */
    private static Thread otherPart(Map<String, String> o, AtomicLong done, long total, AtomicInteger ooms) {
        double share = Double.parseDouble(o.getOrDefault("other-share", "0"));
        if (share <= 0) {
            return null;
        }
        long paceNanos = TimeUnit.MICROSECONDS.toNanos(Long.parseLong(o.getOrDefault("other-pace-micros", "200")));
        long bytes = (long) (share * Runtime.getRuntime().maxMemory());
        Thread thread = new Thread(() -> {
            List<byte[]> taken = new ArrayList<>();
            try {
                awaitProgress(done, total / 4);
                for (long held = 0; held < bytes; held += 64 * 1024) {
                    taken.add(new byte[64 * 1024]);
                    LockSupport.parkNanos(paceNanos);
                }
                awaitProgress(done, total * 3 / 5);
            } catch (OutOfMemoryError e) {
                ooms.incrementAndGet();
            } finally {
                taken.clear();
            }
        }, "other-part");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private static void awaitProgress(AtomicLong done, long requests) {
        while (done.get() < requests) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }

    /**
     * Counts the collections that stopped the program to collect the whole heap, from the collectors'
     * notifications: major collections (Serial, Parallel, G1 full), Shenandoah's degenerated and full ones.
     */
    static final class FullCollections {
        private final AtomicLong count = new AtomicLong();

        FullCollections() {
            for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                if (gc instanceof NotificationEmitter emitter) {
                    emitter.addNotificationListener((notification, handback) -> {
                        if (notification.getType().equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
                            String action = GarbageCollectionNotificationInfo
                                    .from((CompositeData) notification.getUserData()).getGcAction();
                            if (action.equals("end of major GC") || action.contains("Degenerated")
                                    || action.contains("Full")) {
                                count.incrementAndGet();
                            }
                        }
                    }, null, null);
                }
            }
        }

        long count() {
            return count.get();
        }
    }

    private static Subject subject(String impl, IntFunction<Object> loader, int recent, long caffeineWeight,
                                   double[] marks) {
        AtomicLong collected = new AtomicLong();
        AtomicLong pressure = new AtomicLong();
        switch (impl) {
            case "refkit_memorySensitive": {
                ReferenceCache.Builder<Object, Object> builder = marks == null
                        ? ReferenceCache.builder().memorySensitive()
                        : ReferenceCache.builder().memorySensitive(marks[0], marks[1]);
                ReferenceCache<Integer, Object> cache = builder.recordStats().build((Integer k) -> loader.apply(k));
                return Subject.of(key -> cache.get(key), () -> {
                    cache.cleanUp();
                    return cache.stats().collectedCount();
                }, () -> cache.stats().pressureEvictionCount());
            }
            case "caffeine_weight": {
                if (caffeineWeight <= 0) {
                    throw new IllegalArgumentException("caffeine_weight needs --caffeine-weight-mb (the parent finds it)");
                }
                com.github.benmanes.caffeine.cache.LoadingCache<Integer, Object> cache = Caffeine.newBuilder()
                        .maximumWeight(caffeineWeight).weigher((Integer k, Object v) -> ((byte[]) v).length)
                        .executor(Runnable::run)
                        .removalListener((Integer k, Object v, com.github.benmanes.caffeine.cache.RemovalCause c) -> {
                            if (c == com.github.benmanes.caffeine.cache.RemovalCause.SIZE) {
                                pressure.incrementAndGet();
                            }
                        })
                        .build(loader::apply);
                return Subject.of(key -> cache.get(key), () -> 0, pressure::get);
            }
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
                        + "--zipf --seed --gc --other-share --other-pace-micros --caffeine-weight-mb --marks --impls");
            }
            options.put(args[i].substring(2), args[++i]);
        }
        return options;
    }
}
