package dev.refkit.heap.leaks;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.ref.SoftReference;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Leak: lapsed listeners. 300 chart views of 50 KB subscribe to the long-lived {@code Market.FEED} and are
 * closed without unsubscribing, so the feed's {@code listeners} list keeps all of them, 15 MB: a third
 * through lambdas that capture the view, a third through bound method references ({@code this::onPrice}),
 * a third through anonymous classes. Beside it, 27 MB of thumbnails held softly.
 *
 * <p>Run: {@code java LapsedListeners.java DUMP.hprof}; prints {@code DUMPED} once the heap is dumped.
 */
public class LapsedListeners {

    static final int VIEWS = 300;
    static final int PIXEL_BYTES = 50_000;

    public static void main(String[] args) throws IOException {
        for (int i = 0; i < VIEWS; i++) {
            ChartView view = new ChartView("EUR/USD chart " + i);
            view.open(Market.FEED, i % 3);
            view.close();
        }
        Market.FEED.publish(new Price("EUR/USD", 1.0825));
        SoftCache.fill(27 << 20);
        dumpHeap(args[0]);
    }

    static final class Market {
        static final PriceFeed FEED = new PriceFeed();
    }

    record Price(String symbol, double value) {
    }

    static final class PriceFeed {
        private final List<Consumer<Price>> listeners = new CopyOnWriteArrayList<>();

        void subscribe(Consumer<Price> listener) {
            listeners.add(listener);
        }

        void unsubscribe(Consumer<Price> listener) {
            listeners.remove(listener);
        }

        void publish(Price price) {
            for (Consumer<Price> listener : listeners) {
                listener.accept(price);
            }
        }
    }

    static final class ChartView {
        private final String title;
        private final byte[] pixels = new byte[PIXEL_BYTES];
        private boolean closed;

        ChartView(String title) {
            this.title = title;
        }

        /** Subscribes in one of the three ways code does it; each way makes the feed hold the view. */
        void open(PriceFeed feed, int way) {
            switch (way) {
                case 0 -> feed.subscribe(price -> onPrice(price));
                case 1 -> feed.subscribe(this::onPrice);
                default -> feed.subscribe(new Consumer<Price>() {
                    @Override
                    public void accept(Price price) {
                        onPrice(price);
                    }
                });
            }
        }

        void onPrice(Price price) {
            if (!closed) {
                pixels[(int) (price.value() * 100) % pixels.length]++;
            }
        }

        /** The bug: the view forgets its subscription, and the feed outlives it. */
        void close() {
            closed = true;
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
