package dev.refkit.heap.leaks;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.ref.SoftReference;
import java.util.HashMap;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Leak: a weak-keyed map whose values reach their own keys. {@code WidgetRegistry.STATE} maps each widget,
 * weakly, to its state; nothing else refers to the 2,000 widgets, so the entries should go, but each
 * {@code WidgetState} holds its widget in {@code widget}, and the map holds its values strongly: the
 * entries never go (Java has no ephemerons). 2,000 states of 10,000 bytes, 20 MB. Beside it, 36 MB of
 * thumbnails held softly.
 *
 * <p>Run: {@code java WeakMapValueHoldsKey.java DUMP.hprof}; prints {@code DUMPED} once the heap is dumped.
 */
public class WeakMapValueHoldsKey {

    static final int WIDGETS = 2_000;
    static final int LAYOUT_BYTES = 10_000;

    public static void main(String[] args) throws IOException {
        for (int i = 0; i < WIDGETS; i++) {
            Widget widget = new Widget("widget-" + i);
            WidgetRegistry.STATE.put(widget, new WidgetState(widget));
        }
        SoftCache.fill(36 << 20);
        dumpHeap(args[0]);
    }

    static final class WidgetRegistry {
        static final Map<Widget, WidgetState> STATE = new WeakHashMap<>();
    }

    static final class Widget {
        final String id;

        Widget(String id) {
            this.id = id;
        }
    }

    static final class WidgetState {
        /** The bug: the value refers back to its key, so the weak key is never only weakly reachable. */
        final Widget widget;
        final byte[] layout = new byte[LAYOUT_BYTES];

        WidgetState(Widget widget) {
            this.widget = widget;
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
