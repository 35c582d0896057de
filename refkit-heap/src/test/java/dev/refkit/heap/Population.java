package dev.refkit.heap;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import java.lang.ref.PhantomReference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.SoftReference;
import java.lang.ref.WeakReference;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.SubmissionPublisher;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import javax.management.ObjectName;

/**
 * The main class of a child JVM that builds a known object population, dumps its heap and prints its own
 * class histogram right after. Arguments: the dump file, and {@code live} or {@code all}. The JVM must open
 * {@code java.util.concurrent} and {@code java.util.concurrent.atomic} to this class's module, so that it can
 * wait until a LongAdder and a ConcurrentHashMap have spread their counts over padded cells.
 */
public final class Population {

    static final int SPECIMENS = 1000;
    static final int GARBAGE = 500;
    static final String HISTOGRAM_MARKER = "=== class histogram ===";
    static final String LAMBDA_MARKER = "lambda class: ";

    static Specimen[] specimens;
    static Referent[] referents;
    static SoftReference<Referent> soft;
    static WeakReference<Referent> weak;
    static PhantomReference<Referent> phantom;
    static final ReferenceQueue<Referent> QUEUE = new ReferenceQueue<>();
    static Object sink;

    private Population() {
    }

    /** An object with one field of every kind; its values follow from {@code id}. */
    static final class Specimen {
        final int id;
        long stamp;
        boolean even;
        byte small;
        char letter;
        short medium;
        float ratio;
        double precise;
        String label;
        Specimen next;
        int[] numbers;
        Object[] slots;

        Specimen(int id) {
            this.id = id;
            stamp = id * 1_000_000_007L;
            even = id % 2 == 0;
            small = (byte) id;
            letter = (char) ('A' + id % 26);
            medium = (short) (id * 3);
            ratio = id / 4f;
            precise = id / 3d;
            label = "specimen-" + id;
            numbers = new int[id % 7];
            slots = new Object[3];
            slots[0] = label;
        }
    }

    /** The target of the soft, weak and phantom references; also held strongly so a live dump keeps them. */
    static final class Referent {
        final String name;

        Referent(String name) {
            this.name = name;
        }
    }

    /** Unreachable once created: absent from a live dump. */
    static final class Garbage {
        final long value;

        Garbage(long value) {
            this.value = value;
        }
    }

    /** A subclass whose fields fit the holes of its super class under the JDK 15+ layout. */
    static class Holey {
        long wide;
        byte narrow;
    }

    static final class HoleyChild extends Holey {
        byte filler;
        int more;
    }

    static HoleyChild[] holey;

    /** An application's pool: an application class that extends a JDK class padded for {@code @Contended}. */
    static class CustomPool extends ForkJoinPool {
        long extra;

        CustomPool() {
            super(2);
        }
    }

    /** A subclass of it that declares no field. */
    static final class QuietPool extends CustomPool {
    }

    /** An instance of a hidden class: a lambda. */
    static Runnable lambda = () -> { };

    /** The JDK classes padded for {@code @Contended} that a program meets most: kept for the dump. */
    static Object[] padded;

    /**
     * Pools with work queues (worker and submission queues), a LongAdder and a ConcurrentHashMap whose counts
     * went to cells under contention, and a publisher with one subscription.
     */
    static Object[] padded() throws Exception {
        ForkJoinPool pool = new ForkJoinPool(2);
        CustomPool custom = new CustomPool();
        QuietPool quiet = new QuietPool();
        for (ForkJoinPool p : new ForkJoinPool[] {pool, custom, quiet}) {
            p.submit(() -> p.submit(() -> { }).join()).get(30, TimeUnit.SECONDS);
        }
        LongAdder adder = new LongAdder();
        ConcurrentHashMap<Integer, Integer> map = new ConcurrentHashMap<>();
        Field cells = Class.forName("java.util.concurrent.atomic.Striped64").getDeclaredField("cells");
        Field counterCells = ConcurrentHashMap.class.getDeclaredField("counterCells");
        cells.setAccessible(true);
        counterCells.setAccessible(true);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        Thread[] threads = new Thread[4];
        for (int t = 0; t < threads.length; t++) {
            int base = t << 20;
            threads[t] = new Thread(() -> {
                for (int i = 0; System.nanoTime() < deadline; i++) {
                    adder.increment();
                    map.put(base + (i & 0xff), i);   // a new key: the count changes, twice
                    map.remove(base + (i & 0xff));
                    try {
                        if ((i & 0xfff) == 0 && cells.get(adder) != null && counterCells.get(map) != null) {
                            return;
                        }
                    } catch (IllegalAccessException e) {
                        throw new AssertionError(e);
                    }
                }
            });
            threads[t].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        if (cells.get(adder) == null || counterCells.get(map) == null) {
            throw new AssertionError("no contention on the LongAdder and the map in 30 s");
        }
        SubmissionPublisher<String> publisher = new SubmissionPublisher<>(Runnable::run, 16);
        publisher.subscribe(new java.util.concurrent.Flow.Subscriber<String>() {
            @Override
            public void onSubscribe(java.util.concurrent.Flow.Subscription subscription) {
                subscription.request(1);
            }

            @Override
            public void onNext(String item) {
            }

            @Override
            public void onError(Throwable throwable) {
            }

            @Override
            public void onComplete() {
            }
        });
        return new Object[] {pool, custom, quiet, adder, map, publisher};
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        boolean live = args[1].equals("live");
        specimens = new Specimen[SPECIMENS];
        for (int i = 0; i < SPECIMENS; i++) {
            specimens[i] = new Specimen(i);
        }
        for (int i = 0; i < SPECIMENS; i++) {
            specimens[i].next = specimens[(i + 1) % SPECIMENS];
        }
        referents = new Referent[] {new Referent("soft"), new Referent("weak"), new Referent("phantom")};
        soft = new SoftReference<>(referents[0]);
        weak = new WeakReference<>(referents[1]);
        phantom = new PhantomReference<>(referents[2], QUEUE);
        holey = new HoleyChild[] {new HoleyChild(), new HoleyChild()};
        padded = padded();
        for (int i = 0; i < GARBAGE; i++) {
            sink = new Garbage(i);
        }
        sink = null;
        String warmUp = histogram();
        Files.deleteIfExists(out);
        HotSpotDiagnosticMXBean diagnostic = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        diagnostic.dumpHeap(out.toString(), live);
        String histogram = histogram();
        System.out.println(LAMBDA_MARKER + lambda.getClass().getName());
        System.out.println(HISTOGRAM_MARKER);
        System.out.print(histogram);
        System.out.flush();
        if (warmUp.isEmpty()) {
            throw new AssertionError("empty histogram");
        }
    }

    /** The live class histogram, as {@code jcmd <pid> GC.class_histogram} prints it. */
    static String histogram() throws Exception {
        return (String) ManagementFactory.getPlatformMBeanServer().invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                new Object[] {new String[0]}, new String[] {String[].class.getName()});
    }
}
