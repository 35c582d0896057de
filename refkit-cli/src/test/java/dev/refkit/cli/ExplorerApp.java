package dev.refkit.cli;

import com.sun.management.HotSpotDiagnosticMXBean;
import dev.refkit.leak.KeyedWeakReference;
import java.lang.management.ManagementFactory;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * A program for the explorer: a static registry of listeners that keep their views alive (the leak), a view a
 * watcher expected to be collected, a weakly held cache entry, and a thread whose name and a view's title are
 * markup ({@code <script>}, {@code <img onerror>}) that the page must show as text. Argument: the dump file.
 */
public final class ExplorerApp {

    static final String THREAD = "<script>window.pwned = 1</script>";

    /** A view that registered a listener and was closed. */
    public static final class View {
        final String title;
        final byte[] pixels = new byte[20_000];

        View(String title) {
            this.title = title;
        }
    }

    /** A listener holding its view. */
    public static final class ViewListener {
        final View view;

        ViewListener(View view) {
            this.view = view;
        }
    }

    static final List<ViewListener> REGISTRY = new ArrayList<>();
    static final List<KeyedWeakReference> WATCHED = new ArrayList<>();
    static WeakReference<View> cached;

    private ExplorerApp() {
    }

    public static void main(String[] args) throws Exception {
        for (int i = 0; i < 300; i++) {
            REGISTRY.add(new ViewListener(new View(i == 0 ? "<img src=x onerror=\"window.pwned = 2\">" : "view " + i)));
        }
        WATCHED.add(new KeyedWeakReference(REGISTRY.get(7).view, "view-7", "closed <b>view</b>", System.nanoTime(),
                new ReferenceQueue<>()));
        cached = new WeakReference<>(REGISTRY.get(8).view);
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch dumped = new CountDownLatch(1);
        Thread worker = new Thread(() -> {
            List<byte[]> batch = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                batch.add(new byte[10_000]);
            }
            holding.countDown();
            try {
                dumped.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            batch.clear();
        }, THREAD);
        worker.setDaemon(true);
        worker.start();
        holding.await();
        ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class).dumpHeap(args[0], true);
        dumped.countDown();
    }
}
