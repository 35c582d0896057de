package dev.refkit.heap.leaks;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.ref.SoftReference;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Leak: a large batch held by a running thread's local variable. The thread {@code ingest-worker} runs
 * {@code Ingest.run()}, which reads 2,500 records of 10,000 bytes into its local {@code batch}, 25 MB, and
 * then waits for an upstream system before flushing them; the heap is dumped while it waits. Beside it,
 * 40 MB of thumbnails held softly.
 *
 * <p>Run: {@code java RunningThreadBatch.java DUMP.hprof}; prints {@code DUMPED} once the heap is dumped.
 */
public class RunningThreadBatch {

    static final int RECORDS = 2_500;
    static final int RECORD_BYTES = 10_000;

    public static void main(String[] args) throws Exception {
        Ingest ingest = new Ingest();
        Thread worker = new Thread(ingest::run, "ingest-worker");
        worker.setDaemon(true);
        worker.start();
        if (!ingest.batchRead.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("ingest-worker did not read its batch within 60 s");
        }
        SoftCache.fill(40 << 20);
        dumpHeap(args[0]);
    }

    static final class Ingest {
        final CountDownLatch batchRead = new CountDownLatch(1);
        /** Counted down by an upstream system that never answers. */
        final CountDownLatch upstreamReady = new CountDownLatch(1);
        long flushed;

        void run() {
            List<byte[]> batch = new ArrayList<>();
            for (int i = 0; i < RECORDS; i++) {
                batch.add(new byte[RECORD_BYTES]);
            }
            batchRead.countDown();
            try {
                upstreamReady.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            flush(batch);
        }

        private void flush(List<byte[]> batch) {
            for (byte[] record : batch) {
                flushed += record.length;
            }
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
