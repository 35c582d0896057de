package dev.refkit.heap.leaks;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.ref.SoftReference;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Leak: a backlog of objects awaiting finalization. The JVM has one Finalizer thread; a
 * {@code StuckConnection}'s {@code finalize()} waits forever, so that thread is stuck in it. After that,
 * 40,000 dropped {@code NativeBuffer}s (each with a {@code finalize()} and 700 bytes of data, about 780
 * bytes with its {@code java.lang.ref.Finalizer}, 31 MB in all) are found unreachable by the collector and
 * queued for finalization, and stay: only finalizer-reachable, held by {@code Finalizer}s in the finalizer
 * queue and in {@code Finalizer.unfinalized}. Beside them, 50 MB of thumbnails held softly.
 *
 * <p>Run: {@code java FinalizerBacklog.java DUMP.hprof}; prints {@code DUMPED} once the heap is dumped.
 */
public class FinalizerBacklog {

    static final int BUFFERS = 40_000;
    static final int BUFFER_BYTES = 700;
    static final int COLLECTIONS = 50;

    public static void main(String[] args) throws Exception {
        jamFinalizerThread();
        for (int i = 0; i < BUFFERS; i++) {
            new NativeBuffer(i).fill();
        }
        awaitFinalizationBacklog();
        SoftCache.fill(50 << 20);
        dumpHeap(args[0]);
    }

    /** Drops a {@code StuckConnection} and collects until the Finalizer thread has entered its finalize(). */
    private static void jamFinalizerThread() throws InterruptedException {
        new StuckConnection();
        for (int collection = 0; collection < COLLECTIONS; collection++) {
            System.gc();
            if (StuckConnection.FINALIZING.await(100, TimeUnit.MILLISECONDS)) {
                return;
            }
        }
        throw new IllegalStateException("the Finalizer thread did not call StuckConnection.finalize() after "
                + COLLECTIONS + " collections");
    }

    /**
     * Collects, then waits until every buffer waits in the finalizer queue. A collection hands what it found
     * unreachable to the Reference Handler thread, which queues it one reference at a time, and the JVM
     * counts what waits in that queue. Collecting in a tight loop would stop that thread most of the time,
     * so this collects again only when the count stalls.
     */
    @SuppressWarnings("deprecation") // getObjectPendingFinalizationCount, deprecated with finalization in JDK 18
    private static void awaitFinalizationBacklog() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        System.gc();
        long queued = memory.getObjectPendingFinalizationCount();
        long progressAt = System.nanoTime();
        while (queued < BUFFERS) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            long now = System.nanoTime();
            if (now > deadline) {
                throw new IllegalStateException(queued + " of " + BUFFERS + " buffers await finalization after 60 s");
            }
            long count = memory.getObjectPendingFinalizationCount();
            if (count != queued) {
                queued = count;
                progressAt = now;
            } else if (now - progressAt > TimeUnit.MILLISECONDS.toNanos(200)) {
                System.gc();
                progressAt = System.nanoTime();
            }
        }
    }

    /** A resource whose finalizer waits for a lock that is never released, so it never returns. */
    static final class StuckConnection {
        static final CountDownLatch FINALIZING = new CountDownLatch(1);
        static final CountDownLatch SERVER_GOODBYE = new CountDownLatch(1);

        @Override
        @SuppressWarnings({"deprecation", "removal"})
        protected void finalize() throws InterruptedException {
            FINALIZING.countDown();
            SERVER_GOODBYE.await();
        }
    }

    /** A buffer released by its finalizer, as code written before {@code Cleaner} did it. */
    static final class NativeBuffer {
        static final AtomicLong RELEASED = new AtomicLong();

        private final int id;
        private final byte[] data = new byte[BUFFER_BYTES];

        NativeBuffer(int id) {
            this.id = id;
        }

        void fill() {
            data[id % BUFFER_BYTES] = 1;
        }

        @Override
        @SuppressWarnings({"deprecation", "removal"})
        protected void finalize() {
            // HotSpot registers for finalization only objects whose finalize() has a body.
            RELEASED.incrementAndGet();
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
