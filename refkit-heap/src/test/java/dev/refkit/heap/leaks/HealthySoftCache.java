package dev.refkit.heap.leaks;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.ref.SoftReference;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Healthy: 32 MB of thumbnails held softly and a small working set of 200 products held strongly. The
 * soft cache is most of the heap and still no leak: the collector clears it before it would run out of
 * memory.
 *
 * <p>Run: {@code java HealthySoftCache.java DUMP.hprof}; prints {@code DUMPED} once the heap is dumped.
 */
public class HealthySoftCache {

    static final int PRODUCTS = 200;

    public static void main(String[] args) throws IOException {
        for (int i = 0; i < PRODUCTS; i++) {
            Catalog.PRODUCTS.add(new Product("SKU-" + i, "Product " + i, 100 + i));
        }
        SoftCache.fill(32 << 20);
        dumpHeap(args[0]);
    }

    static final class Catalog {
        static final List<Product> PRODUCTS = new ArrayList<>();
    }

    record Product(String sku, String name, int priceCents) {
    }

    /** Thumbnails held softly, which the collector clears before it would ever run out of memory. */
    static final class SoftCache {
        static final int THUMBNAIL_BYTES = 64 << 10;
        static final Map<String, SoftReference<byte[]>> ENTRIES = new HashMap<>();

        static void fill(int bytes) {
            for (int i = 0; i < bytes / THUMBNAIL_BYTES; i++) {
                ENTRIES.put("thumbnail-" + i, new SoftReference<>(new byte[THUMBNAIL_BYTES]));
            }
        }
    }

    private static void dumpHeap(String file) throws IOException {
        ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class).dumpHeap(file, true);
        System.out.println("DUMPED");
        System.exit(0);
    }
}
