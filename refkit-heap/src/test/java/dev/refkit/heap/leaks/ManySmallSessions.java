package dev.refkit.heap.leaks;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.ref.SoftReference;
import java.util.HashMap;
import java.util.Map;

/**
 * Leak: many small objects in a static map. {@code Tracker.VISITS} records every visit by id and never
 * forgets one: 200,000 {@code Visit}s of a few fields, 40 bytes, 107 with their {@code Long} key, map node
 * and table slot, 21 million bytes; no single object is large, only their number is. Beside it, 32 MB of
 * thumbnails held softly.
 *
 * <p>Run: {@code java ManySmallSessions.java DUMP.hprof}; prints {@code DUMPED} once the heap is dumped.
 */
public class ManySmallSessions {

    static final int VISITS = 200_000;
    static final String[] LANDING_PAGES = {"/", "/pricing", "/docs", "/blog"};

    public static void main(String[] args) throws IOException {
        for (int i = 0; i < VISITS; i++) {
            Tracker.record(new Visit(1_000_000L + i, 1_700_000_000_000L + 1_000L * i, 1 + i % 7, 30 + i % 600,
                    LANDING_PAGES[i % LANDING_PAGES.length]));
        }
        SoftCache.fill(32 << 20);
        dumpHeap(args[0]);
    }

    static final class Tracker {
        static final Map<Long, Visit> VISITS = new HashMap<>();

        static void record(Visit visit) {
            VISITS.put(visit.id, visit);
        }
    }

    static final class Visit {
        final long id;
        final long startedAt;
        final int pageViews;
        final int seconds;
        final String landingPage;

        Visit(long id, long startedAt, int pageViews, int seconds, String landingPage) {
            this.id = id;
            this.startedAt = startedAt;
            this.pageViews = pageViews;
            this.seconds = seconds;
            this.landingPage = landingPage;
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
