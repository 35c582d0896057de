package dev.refkit.heap.leaks;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.ref.SoftReference;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Leak: tasks that capture their outer object, waiting in a static queue. Each of 1,000 documents of
 * 20,000 bytes schedules an autosave as an anonymous {@code Runnable} made in an instance method, so the
 * task holds its document in {@code this$0}; the tasks wait in {@code Scheduler.PENDING} for a scheduler
 * that never runs them. 20 MB. Beside it, 36 MB of thumbnails held softly.
 *
 * <p>Run: {@code java TasksCaptureOuter.java DUMP.hprof}; prints {@code DUMPED} once the heap is dumped.
 */
public class TasksCaptureOuter {

    static final int DOCUMENTS = 1_000;
    static final int CONTENT_BYTES = 20_000;

    public static void main(String[] args) throws IOException {
        for (int i = 0; i < DOCUMENTS; i++) {
            new Document("minutes-" + i).scheduleAutosave();
        }
        SoftCache.fill(36 << 20);
        dumpHeap(args[0]);
    }

    static final class Scheduler {
        /** Tasks for a scheduler thread that was never started. */
        static final Queue<Runnable> PENDING = new ConcurrentLinkedQueue<>();
    }

    static final class Document {
        private final String title;
        private final byte[] content = new byte[CONTENT_BYTES];
        private int saves;

        Document(String title) {
            this.title = title;
        }

        /** The task needs only the title and the content, but an inner class captures the whole document. */
        void scheduleAutosave() {
            Scheduler.PENDING.add(new Runnable() {
                @Override
                public void run() {
                    save();
                }
            });
        }

        void save() {
            saves += content.length > 0 ? 1 : 0;
        }

        @Override
        public String toString() {
            return title;
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
