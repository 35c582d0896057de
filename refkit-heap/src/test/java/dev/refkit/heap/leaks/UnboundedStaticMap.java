package dev.refkit.heap.leaks;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.ref.SoftReference;
import java.util.HashMap;
import java.util.Map;

/**
 * Leak: an unbounded static map. Every rendered report is kept in {@code ReportCache.RENDERED} and none is
 * ever evicted: 2,000 reports of 10,000 bytes, 20 MB. Beside it, 36 MB of thumbnails held softly.
 *
 * <p>Run: {@code java UnboundedStaticMap.java DUMP.hprof}; prints {@code DUMPED} once the heap is dumped.
 */
public class UnboundedStaticMap {

    static final int REPORTS = 2_000;
    static final int REPORT_BYTES = 10_000;

    public static void main(String[] args) throws IOException {
        for (int day = 0; day < REPORTS; day++) {
            ReportCache.rendered("sales-day-" + day);
        }
        SoftCache.fill(36 << 20);
        dumpHeap(args[0]);
    }

    /** Renders each report once and keeps the rendering for as long as the program runs. */
    static final class ReportCache {
        static final Map<String, byte[]> RENDERED = new HashMap<>();

        static byte[] rendered(String report) {
            return RENDERED.computeIfAbsent(report, ReportCache::render);
        }

        private static byte[] render(String report) {
            byte[] pdf = new byte[REPORT_BYTES];
            pdf[0] = (byte) report.length();
            return pdf;
        }
    }

    /**
     * Thumbnails held softly: more bytes than the leak, but the collector clears them before it would ever
     * run out of memory, so they must never be blamed for one.
     */
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
