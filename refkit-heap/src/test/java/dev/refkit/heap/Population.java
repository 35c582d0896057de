package dev.refkit.heap;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import java.lang.ref.PhantomReference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.SoftReference;
import java.lang.ref.WeakReference;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.management.ObjectName;

/**
 * The main class of a child JVM that builds a known object population, dumps its heap and prints its own
 * class histogram right after. Arguments: the dump file, and {@code live} or {@code all}.
 */
public final class Population {

    static final int SPECIMENS = 1000;
    static final int GARBAGE = 500;
    static final String HISTOGRAM_MARKER = "=== class histogram ===";

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
        for (int i = 0; i < GARBAGE; i++) {
            sink = new Garbage(i);
        }
        sink = null;
        String warmUp = histogram();
        Files.deleteIfExists(out);
        HotSpotDiagnosticMXBean diagnostic = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        diagnostic.dumpHeap(out.toString(), live);
        String histogram = histogram();
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
