package dev.refkit.cli;

import com.sun.management.HotSpotDiagnosticMXBean;
import dev.refkit.leak.KeyedWeakReference;
import java.lang.management.ManagementFactory;
import java.lang.ref.ReferenceQueue;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * A program whose dump carries names made to attack a terminal: a thread whose name holds an escape sequence
 * (set the window title), a bell, a line break that forges a report line and a cut emoji (a lone surrogate),
 * holding a 20 MB batch in a local variable so that it is the leak suspect's owner; and a watched object whose
 * description clears the screen. Argument: the dump file.
 */
public final class HostileNames {

    static final String THREAD = "evil\u001b]0;pwned\u0007\n 1. forged line \ud83d";
    static final String DESCRIPTION = "closed view\u001b[2J\u001b[H\nforged";
    static final List<Object> VIEWS = new ArrayList<>();
    static final List<KeyedWeakReference> WATCHED = new ArrayList<>();

    private HostileNames() {
    }

    public static void main(String[] args) throws Exception {
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch dumped = new CountDownLatch(1);
        Thread worker = new Thread(() -> hold(holding, dumped), THREAD);
        worker.setDaemon(true);
        worker.start();
        holding.await();
        Object view = new StringBuilder("view");
        VIEWS.add(view);
        WATCHED.add(new KeyedWeakReference(view, "k-\u001b[31m", DESCRIPTION, System.nanoTime(), new ReferenceQueue<>()));
        ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class).dumpHeap(args[0], true);
        dumped.countDown();
    }

    private static void hold(CountDownLatch holding, CountDownLatch dumped) {
        List<byte[]> batch = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            batch.add(new byte[100_000]);
        }
        holding.countDown();
        try {
            dumped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        batch.clear();
    }
}
