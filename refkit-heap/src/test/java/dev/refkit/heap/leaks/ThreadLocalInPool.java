package dev.refkit.heap.leaks;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.ref.SoftReference;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Leak: a ThreadLocal in pooled threads. Report tasks run on a fixed pool of two threads
 * ({@code pool-1-thread-1} and {@code -2}, named by the JDK's default factory) and add 200,000-byte
 * buffers to {@code ReportContext.BUFFER}, a static ThreadLocal nobody calls {@code remove()} on. The
 * pooled threads outlive the tasks, so each keeps 50 buffers, 10 MB, 20 MB in all, while it waits idle in
 * the pool. Beside it, 36 MB of thumbnails held softly.
 *
 * <p>Every task meets the other thread's task at a barrier of two, so each thread runs exactly half of them.
 *
 * <p>Run: {@code java ThreadLocalInPool.java DUMP.hprof}; prints {@code DUMPED} once the heap is dumped.
 */
public class ThreadLocalInPool {

    static final int TASKS = 100;
    static final int BUFFER_BYTES = 200_000;

    public static void main(String[] args) throws Exception {
        ThreadPoolExecutor pool = (ThreadPoolExecutor) Executors.newFixedThreadPool(2);
        CyclicBarrier otherThread = new CyclicBarrier(2);
        List<Future<Integer>> reports = new ArrayList<>();
        for (int i = 0; i < TASKS; i++) {
            reports.add(pool.submit(() -> ReportTask.render(otherThread)));
        }
        for (Future<Integer> report : reports) {
            report.get(60, TimeUnit.SECONDS);
        }
        awaitIdle(pool);
        SoftCache.fill(36 << 20);
        dumpHeap(args[0]);
    }

    /** Scratch space per thread, filled by tasks and never cleared: the leak. */
    static final class ReportContext {
        static final ThreadLocal<List<byte[]>> BUFFER = ThreadLocal.withInitial(ArrayList::new);
    }

    static final class ReportTask {
        static int render(CyclicBarrier otherThread) throws Exception {
            otherThread.await(60, TimeUnit.SECONDS);
            List<byte[]> buffers = ReportContext.BUFFER.get();
            buffers.add(new byte[BUFFER_BYTES]);
            return buffers.size();
        }
    }

    /** Waits until no pooled thread runs a task any more: a finished future does not mean its thread is idle. */
    private static void awaitIdle(ThreadPoolExecutor pool) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (pool.getActiveCount() > 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the pool's threads still run tasks after 60 s");
            }
            Thread.onSpinWait();
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
