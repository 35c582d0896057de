package dev.refkit.heap.leaks;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Healthy across dumps: nothing grows. A static cache that stops growing after the first round
 * ({@code Catalog.ITEMS}, 6,000 items, 12 MB), a bounded LRU ({@code RecentlyViewed.PAGES}, 500 pages) whose
 * entries are all replaced every round, and per round a report of 5,000 rows, 5 MB, that is built and dropped.
 *
 * <p>Run: {@code java NoLeak.java DUMP_PREFIX [STEPS]}; runs STEPS rounds (3 by default), prints
 * {@code ROUND n} as round n starts, dumps the live heap after it to {@code DUMP_PREFIX-n.hprof} and prints
 * {@code DUMPED n}.
 */
public class NoLeak {

    static final int ROWS_PER_REPORT = 5_000;
    static final int ROW_BYTES = 1_000;

    public static void main(String[] args) throws IOException {
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 3;
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
        Reports.lastChecksum = Reports.render(round).checksum();
        RecentlyViewed.browse(round);
    }

    /** Reports are built for one request and dropped once it is answered; only a checksum stays. */
    static final class Reports {
        static long lastChecksum;

        static Report render(int round) {
            List<Row> rows = new ArrayList<>();
            for (int i = 0; i < ROWS_PER_REPORT; i++) {
                byte[] cells = new byte[ROW_BYTES];
                cells[0] = (byte) (round + i);
                rows.add(new Row(Catalog.ITEMS.get(Catalog.sku(i)).sku(), cells));
            }
            return new Report(rows);
        }
    }

    record Report(List<Row> rows) {
        long checksum() {
            long sum = 0;
            for (Row row : rows) {
                sum += row.cells()[0];
            }
            return sum;
        }
    }

    record Row(String sku, byte[] cells) {
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
