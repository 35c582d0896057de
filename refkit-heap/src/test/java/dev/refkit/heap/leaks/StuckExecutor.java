package dev.refkit.heap.leaks;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.ref.SoftReference;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Leak: a queue growing behind a stuck executor. {@code Ingest.EXECUTOR}, a single-thread
 * {@code ThreadPoolExecutor} with an unbounded {@code LinkedBlockingQueue}, runs a first task that waits
 * for an upstream answer that never comes; 5,000 more tasks, each a lambda capturing a 5,000-byte payload,
 * pile up in its queue, a linked chain of 5,000 nodes: 25 MB. Beside it, 40 MB of thumbnails held softly.
 *
 * <p>Run: {@code java StuckExecutor.java DUMP.hprof}; prints {@code DUMPED} once the heap is dumped.
 */
public class StuckExecutor {

    static final int TASKS = 5_000;
    static final int PAYLOAD_BYTES = 5_000;

    public static void main(String[] args) throws Exception {
        CountDownLatch waitingForUpstream = new CountDownLatch(1);
        Ingest.EXECUTOR.execute(() -> Ingest.awaitUpstream(waitingForUpstream));
        if (!waitingForUpstream.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the ingest thread did not start its first task within 60 s");
        }
        for (int i = 0; i < TASKS; i++) {
            byte[] payload = new byte[PAYLOAD_BYTES];
            payload[0] = (byte) i;
            Ingest.EXECUTOR.execute(() -> Ingest.store(payload));
        }
        SoftCache.fill(40 << 20);
        dumpHeap(args[0]);
    }

    static final class Ingest {
        static final ThreadPoolExecutor EXECUTOR = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<>(), task -> new Thread(task, "ingest-executor"));
        /** Counted down by an upstream system that never answers. */
        static final CountDownLatch UPSTREAM_READY = new CountDownLatch(1);
        static long stored;

        static void awaitUpstream(CountDownLatch waiting) {
            waiting.countDown();
            try {
                UPSTREAM_READY.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        static void store(byte[] payload) {
            stored += payload.length;
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
