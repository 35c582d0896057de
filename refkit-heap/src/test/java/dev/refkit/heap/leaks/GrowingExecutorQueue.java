package dev.refkit.heap.leaks;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Growth: a queue behind a stuck executor. {@code Pipeline.EXECUTOR}, a single-thread {@code ThreadPoolExecutor}
 * with an unbounded {@code LinkedBlockingQueue}, runs as its first task, before the first round, one that waits
 * for a downstream system that never answers; every round then submits 1,000 tasks, each a lambda capturing a
 * {@code Payload} of about 2 KB, which pile up in the queue: +1,000 tasks, 2 MB, per round. Beside it, a larger
 * static cache that stops growing after the first round ({@code Catalog.ITEMS}, 6,000 items, 12 MB) and a
 * bounded LRU ({@code RecentlyViewed.PAGES}, 500 pages) whose entries are all replaced every round.
 *
 * <p>Run: {@code java GrowingExecutorQueue.java DUMP_PREFIX [STEPS]}; runs STEPS rounds (3 by default), prints
 * {@code ROUND n} as round n starts, dumps the live heap after it to {@code DUMP_PREFIX-n.hprof} and prints
 * {@code DUMPED n}.
 */
public class GrowingExecutorQueue {

    static final int TASKS_PER_ROUND = 1_000;
    static final int PAYLOAD_BYTES = 2_000;

    public static void main(String[] args) throws Exception {
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        CountDownLatch waitingForDownstream = new CountDownLatch(1);
        Pipeline.EXECUTOR.execute(() -> Pipeline.awaitDownstream(waitingForDownstream));
        if (!waitingForDownstream.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the pipeline thread did not start its first task within 60 s");
        }
        for (int round = 1; round <= steps; round++) {
            System.out.println("ROUND " + round); // before the first dump too, so that it holds what printing keeps
            serve(round);
            dumpHeap(args[0], round);
        }
        System.exit(0);
    }

    /** One round of requests; what it leaves behind is only what the static fields keep. */
    private static void serve(int round) {
        Catalog.warm();
        for (int i = 0; i < TASKS_PER_ROUND; i++) {
            byte[] bytes = new byte[PAYLOAD_BYTES];
            bytes[0] = (byte) i;
            Payload payload = new Payload(Catalog.ITEMS.get(Catalog.sku(i)).sku(), bytes);
            Pipeline.EXECUTOR.execute(() -> Pipeline.forward(payload));
        }
        RecentlyViewed.browse(round);
    }

    static final class Pipeline {
        static final ThreadPoolExecutor EXECUTOR = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<>(), task -> new Thread(task, "pipeline-worker"));
        /** Counted down by a downstream system that never answers. */
        static final CountDownLatch DOWNSTREAM_READY = new CountDownLatch(1);
        static long forwarded;

        static void awaitDownstream(CountDownLatch waiting) {
            waiting.countDown();
            try {
                DOWNSTREAM_READY.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        static void forward(Payload payload) {
            forwarded += payload.bytes().length;
        }
    }

    record Payload(String sku, byte[] bytes) {
    }

    /** A product catalogue loaded once: larger than the leak at every dump, and never growing. */
    static final class Catalog {
        static final int ITEMS_COUNT = 6_000;
        static final int ITEM_BYTES = 2_000;
        static final Map<String, Item> ITEMS = new HashMap<>();

        static void warm() {
            for (int i = 0; i < ITEMS_COUNT; i++) {
                ITEMS.computeIfAbsent(sku(i), sku -> new Item(sku, new byte[ITEM_BYTES]));
            }
        }

        static String sku(int i) {
            return "SKU-" + i;
        }
    }

    record Item(String sku, byte[] picture) {
    }

    /** The pages viewed last: a bounded LRU that replaces all its entries every round and never grows. */
    static final class RecentlyViewed {
        static final int CAPACITY = 500;
        static final int VIEWS_PER_ROUND = 2_000;
        static final Map<String, Page> PAGES = new Lru<>(CAPACITY);

        static void browse(int round) {
            for (int i = 0; i < VIEWS_PER_ROUND; i++) {
                String url = "/page/" + round + "/" + i;
                PAGES.put(url, new Page(url, new byte[1_000]));
            }
        }
    }

    record Page(String url, byte[] preview) {
    }

    /** A {@code LinkedHashMap} in access order that evicts its eldest entry beyond its capacity. */
    static final class Lru<K, V> extends LinkedHashMap<K, V> {
        private final int capacity;

        Lru(int capacity) {
            super(capacity * 4 / 3 + 1, 0.75f, true);
            this.capacity = capacity;
        }

        @Override
        protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
            return size() > capacity;
        }
    }

    /**
     * Dumps the live heap. Both strings are made before the dump, so that under the source launcher (whose string
     * concatenation is linked at first use) no dump after the first holds more of the JDK than the one before.
     */
    private static void dumpHeap(String prefix, int round) throws IOException {
        String file = prefix + "-" + round + ".hprof";
        String dumped = "DUMPED " + round;
        ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class).dumpHeap(file, true);
        System.out.println(dumped);
    }
}
