package dev.refkit.cache;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.lang.management.RuntimeMXBean;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * The JVM's garbage-collection notifications, turned into {@link HeapReading}s for the memory-sensitive
 * caches of this JVM. One listener per collector is installed, once, when the first such cache is built; the
 * caches are held weakly, so a cache nobody uses any more is collected and forgotten.
 *
 * <p>Which memory counts: what the collection left in the heap is every heap pool but eden (which it empties);
 * the capacity is that of the pools that hold long-lived objects, every heap pool but the young generation's
 * eden and survivor spaces (which the collector keeps for new objects). For G1, ZGC and Shenandoah that is
 * the whole heap; for the serial and parallel collectors it is the old generation (about two thirds of the
 * heap by default). A notification that carries none of these pools (the pause notifications of ZGC and
 * Shenandoah) is not a reading.
 *
 * <p>The notification types come from {@code jdk.management} and {@code java.management}, which refkit-core
 * requires only statically: every use of them sits in {@link Notifications}, loaded only after both modules
 * were found readable. Without them, {@link #register} says why, and the cache falls back to soft values.
 */
final class HeapMonitor {
    private static final System.Logger LOG = System.getLogger(HeapMonitor.class.getName());

    /** Told about every reading, on the JVM's notification thread. */
    interface Listener {
        void onCollection(HeapReading reading);
    }

    private static final List<WeakReference<Listener>> LISTENERS = new CopyOnWriteArrayList<>();
    private static boolean installed;
    private static String unavailable;
    private static volatile boolean listenerFailureLogged;

    private HeapMonitor() {
    }

    /**
     * Sends {@code listener} the reading of every collection from now on, holding it weakly.
     *
     * @return {@code null}, or why this JVM sends no collection notifications (then nothing is registered)
     */
    static synchronized String register(Listener listener) {
        if (!installed) {
            unavailable = install();
            installed = true;
        }
        if (unavailable == null) {
            LISTENERS.add(new WeakReference<>(listener));
        }
        return unavailable;
    }

    private static String install() {
        for (String module : List.of("java.management", "jdk.management")) {
            boolean readable = ModuleLayer.boot().findModule(module)
                    .map(HeapMonitor.class.getModule()::canRead).orElse(false);
            if (!readable) {
                return "the module " + module + " is absent or not readable (on the module path, add "
                        + "--add-modules " + module + ")";
            }
        }
        try {
            return Notifications.subscribe(HeapMonitor::dispatch);
        } catch (RuntimeException | LinkageError e) {
            return "subscribing to the collectors' notifications failed: " + e;
        }
    }

    private static void dispatch(HeapReading reading) {
        for (WeakReference<Listener> ref : LISTENERS) {
            Listener listener = ref.get();
            if (listener == null) {
                LISTENERS.remove(ref);
                continue;
            }
            try {
                listener.onCollection(reading);
            } catch (RuntimeException | StackOverflowError e) {
                // the notification thread serves the whole JVM: never let a cache's failure reach it
                if (!listenerFailureLogged) {
                    listenerFailureLogged = true;
                    LOG.log(System.Logger.Level.WARNING, "a memory-sensitive cache failed while handling a "
                            + "garbage-collection notification (logged once; the next reading retries)", e);
                }
            }
        }
    }

    /**
     * Puts the end of a collection on the scale of {@link System#nanoTime()}. A {@code GcInfo}'s times are
     * milliseconds since the JVM's start time ({@code RuntimeMXBean.getStartTime()}, on the wall clock), and in
     * HotSpot that is not where the uptime counts from: converted through {@code getUptime()}, every collection came
     * out 18 to 90 ms too early (as long as the JVM took to reach its start time; measured on JDK 17 and 25 under
     * each collector), and a reading was compared with what the cache held that long before the collection. So the
     * origin is taken from the wall clock once, when the clock is made, but never before the uptime's origin: the
     * start time comes after it, and a wall clock stepped forward (or a host suspended) between the two would
     * otherwise date every collection early for the rest of the JVM's life. A collection cannot end after its
     * notification arrives: an end past the arrival (a wall clock stepped back) is the arrival.
     */
    static final class GcClock {
        private final long originNanos;

        /**
         * A clock for collections whose times count from {@code startMillis}, made when the wall clock said
         * {@code wallMillis}, the uptime {@code uptimeMillis} and {@link System#nanoTime()} {@code nowNanos}.
         */
        GcClock(long startMillis, long wallMillis, long uptimeMillis, long nowNanos) {
            long fromStart = nowNanos - TimeUnit.MILLISECONDS.toNanos(wallMillis - startMillis);
            long fromUptime = nowNanos - TimeUnit.MILLISECONDS.toNanos(uptimeMillis);
            this.originNanos = fromStart - fromUptime < 0 ? fromUptime : fromStart;
        }

        /** The end of a collection at {@code endMillis} after the start, told at {@code arrivalNanos}. */
        long endNanos(long endMillis, long arrivalNanos) {
            long end = originNanos + TimeUnit.MILLISECONDS.toNanos(endMillis);
            return end - arrivalNanos > 0 ? arrivalNanos : end;
        }
    }

    /** The uses of {@code jdk.management} and {@code java.management}; loaded only when both are readable. */
    static final class Notifications {
        private Notifications() {
        }

        /** Installs a listener on every collector; returns null, or why no collector sends notifications. */
        static String subscribe(Consumer<HeapReading> sink) {
            Set<String> heap = new HashSet<>();
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() == MemoryType.HEAP) {
                    heap.add(pool.getName());
                }
            }
            long maxHeap = maxHeap();
            RuntimeMXBean runtime = ManagementFactory.getRuntimeMXBean();
            GcClock clock = new GcClock(runtime.getStartTime(), System.currentTimeMillis(), runtime.getUptime(),
                    System.nanoTime());
            NotificationListener listener = (notification, handback) -> {
                if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
                    long arrival = System.nanoTime();
                    GarbageCollectionNotificationInfo info =
                            GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
                    HeapReading reading = reading(info.getGcName(), info.getGcAction(),
                            info.getGcInfo().getMemoryUsageBeforeGc(), info.getGcInfo().getMemoryUsageAfterGc(),
                            heap, maxHeap, clock.endNanos(info.getGcInfo().getEndTime(), arrival));
                    if (reading != null) {
                        sink.accept(reading);
                    }
                }
            };
            List<String> silent = new ArrayList<>();
            int emitters = 0;
            for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
                if (collector instanceof NotificationEmitter emitter) {
                    emitter.addNotificationListener(listener, null, null);
                    emitters++;
                } else {
                    silent.add(collector.getName());
                }
            }
            if (emitters == 0) {
                return "no garbage collector of this JVM sends notifications " + silent;
            }
            if (heap.isEmpty() || maxHeap <= 0) {
                return "this JVM reports no heap pools with a size";
            }
            return null;
        }

        /**
         * The reading of one notification, or null if it carries no heap pool but eden (the pause notifications
         * of ZGC and Shenandoah carry all-zero usages, which do not count). In use: every heap pool
         * but eden (which a collection empties), survivor spaces included (they hold what just survived, the
         * cache's newest values among it). Capacity: the sum of the maxima of the pools that hold long-lived
         * objects (not eden, not survivor spaces), at most the heap's; the heap's if one of them has none.
         */
        static HeapReading reading(String collector, String action, Map<String, MemoryUsage> before,
                                   Map<String, MemoryUsage> after, Set<String> heap, long maxHeap,
                                   long endNanos) {
            long used = 0;
            long usedBefore = 0;
            long capacity = 0;
            boolean found = false;
            for (Map.Entry<String, MemoryUsage> e : after.entrySet()) {
                String pool = e.getKey();
                MemoryUsage usage = e.getValue();
                if (!heap.contains(pool) || pool.contains("Eden") || (usage.getCommitted() == 0 && usage.getMax() == 0)) {
                    continue; // not a pool that outlives collections, or not reported (the pause notifications)
                }
                used += e.getValue().getUsed();
                MemoryUsage was = before.get(pool);
                usedBefore += was == null ? e.getValue().getUsed() : was.getUsed();
                if (!pool.contains("Survivor")) {
                    found = true;
                    long max = e.getValue().getMax();
                    capacity = max < 0 || capacity < 0 ? -1 : capacity + max;
                }
            }
            if (!found) {
                return null;
            }
            capacity = capacity <= 0 ? maxHeap : Math.min(capacity, maxHeap);
            boolean complete = action.contains("major")
                    || (action.equals("end of GC cycle") && !collector.contains("Minor"));
            return new HeapReading(collector, complete, used, capacity, Math.max(0, usedBefore - used), endNanos);
        }

        private static long maxHeap() {
            long max = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getMax();
            return max > 0 ? max : Runtime.getRuntime().maxMemory();
        }
    }
}
