package dev.refkit.heap.analysis;

import com.sun.management.HotSpotDiagnosticMXBean;
import dev.refkit.leak.KeyedWeakReference;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.ref.PhantomReference;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.SoftReference;
import java.lang.ref.WeakReference;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.WeakHashMap;

/**
 * The program a child JVM runs: it builds marker objects each reachable in exactly one way, plus a listener
 * leak and a weak-keyed entry whose value holds its key, dumps its heap ({@code live=false}, so garbage
 * stays in the dump), and then, on request, lets the collector judge.
 *
 * A leak watcher's {@code KeyedWeakReference} watches two closed views, one of which a static field still holds.
 *
 * <p>Protocol on standard streams: argument 0 is the dump file; the child prints {@code DUMPED} once the
 * dump is written, waits for a line {@code GC}, runs full collections, and prints
 * {@code CLEARED <names>} (the markers whose observer was cleared) followed by {@code DONE}.
 *
 * <p>Observers must not change what they observe: a weak reference to a marker would make an unreachable
 * marker weakly reachable. So each marker holds a private sentinel, and the observer refers weakly to the
 * sentinel only; the sentinel is collected exactly when its marker stops being strongly or softly reachable.
 */
public final class MarkerHeap {

    /** Marker classes, one per way of being reachable. */
    static final class StrongMarker extends Marker { }
    static final class SoftMarker extends Marker { }
    static final class WeakMarker extends Marker { }
    static final class FinalizerMarker extends Marker { }
    static final class PhantomMarker extends Marker { }
    static final class UnreachableMarker extends Marker { }

    static class Marker {
        final Object sentinel = new Object();
    }

    /** Holds a marker and has a finalizer, so that the JVM registers it with {@code java.lang.ref.Finalizer}. */
    static final class Finalizable {
        final Object held;

        Finalizable(Object held) {
            this.held = held;
        }

        @Override
        @SuppressWarnings({"deprecation", "removal"})
        protected void finalize() {
            // HotSpot does not register objects whose finalize() is empty, so this one does something.
            finalized++;
        }
    }

    /** A static registry of listeners that nobody unregisters. */
    static final class Registry {
        static final List<Object> LISTENERS = new ArrayList<>();
    }

    static final class Owner {
        final byte[] screen = new byte[4096];
    }

    static final class PriceListener {
        final Owner owner;

        PriceListener(Owner owner) {
            this.owner = owner;
        }
    }

    static final class Widget { }

    static final class WidgetState {
        final Widget widget;

        WidgetState(Widget widget) {
            this.widget = widget;
        }
    }

    /** A view that was closed and should be collected, but a static field still holds it. */
    static final class ClosedView { }

    /** Held only by a local variable of {@code main} while the dump is written. */
    static final class FrameHeld { }

    static final int LISTENERS = 40;
    static final List<KeyedWeakReference> WATCHED = new ArrayList<>();
    static Object lastView;

    static final StrongMarker STRONG = new StrongMarker();
    static SoftReference<Object> soft;
    static WeakReference<Object> weak;
    static PhantomReference<Object> phantom;
    static final ReferenceQueue<Object> QUEUE = new ReferenceQueue<>();
    static final Map<Widget, WidgetState> STATES = new WeakHashMap<>();
    static volatile Object sink;
    static volatile int finalized;

    private MarkerHeap() {
    }

    public static void main(String[] args) throws Exception {
        String[] names = {"StrongMarker", "SoftMarker", "WeakMarker", "FinalizerMarker", "PhantomMarker",
                "UnreachableMarker"};
        List<WeakReference<Object>> observers = new ArrayList<>();
        observers.add(new WeakReference<>(STRONG.sentinel));
        observers.add(build(m -> soft = new SoftReference<>(m), new SoftMarker()));
        observers.add(build(m -> weak = new WeakReference<>(m), new WeakMarker()));
        observers.add(build(m -> sink = new Finalizable(m), new FinalizerMarker()));
        sink = null;
        observers.add(build(m -> phantom = new PhantomReference<>(m, QUEUE), new PhantomMarker()));
        observers.add(build(m -> sink = m, new UnreachableMarker()));
        sink = null;
        registerListeners();
        Widget widget = new Widget();
        STATES.put(widget, new WidgetState(widget));
        widget = null;
        watchClosedViews();

        FrameHeld frameHeld = new FrameHeld();
        HotSpotDiagnosticMXBean bean = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        bean.dumpHeap(args[0], false);
        System.out.println("DUMPED");
        System.out.flush();

        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String command = in.readLine();
        if (!"GC".equals(command)) {
            System.out.println("UNEXPECTED " + command);
            return;
        }
        // Two full collections: the first may only discover references, the second settles them.
        System.gc();
        System.gc();
        StringJoiner cleared = new StringJoiner(" ", "CLEARED ", "");
        for (int i = 0; i < names.length; i++) {
            if (observers.get(i).get() == null) {
                cleared.add(names[i]);
            }
        }
        System.out.println(cleared);
        System.out.println("DONE");
        System.out.flush();
        Reference.reachabilityFence(frameHeld);
        Reference.reachabilityFence(STRONG);
        Reference.reachabilityFence(soft);
        Reference.reachabilityFence(weak);
        Reference.reachabilityFence(phantom);
    }

    private interface Holder {
        void hold(Marker marker);
    }

    private static WeakReference<Object> build(Holder holder, Marker marker) {
        holder.hold(marker);
        return new WeakReference<>(marker.sentinel);
    }

    private static void watchClosedViews() {
        ClosedView leaked = new ClosedView();
        lastView = leaked;
        WATCHED.add(new KeyedWeakReference(leaked, "view-1", "closed view", System.nanoTime(), QUEUE));
        WATCHED.add(new KeyedWeakReference(new ClosedView(), "view-2", "closed view", System.nanoTime(), QUEUE));
    }

    private static void registerListeners() {
        for (int i = 0; i < LISTENERS; i++) {
            Registry.LISTENERS.add(new PriceListener(new Owner()));
        }
    }
}
