package dev.refkit.cli;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * A program with a known leak, run in a child JVM by the tests: a static registry holds 300 listeners, each
 * holding its owner with 10 KB of state; then the program dumps its own heap (live objects) and exits.
 */
public final class LeakyApp {

    /** What leaks: an owner with some state. */
    public static final class Owner {
        final byte[] state = new byte[10 * 1024];
        final String name;

        Owner(String name) {
            this.name = name;
        }
    }

    /** A listener holding its owner. */
    public static final class Listener {
        final Owner owner;

        Listener(Owner owner) {
            this.owner = owner;
        }
    }

    static final List<Listener> REGISTRY = new ArrayList<>();

    public static void main(String[] args) throws Exception {
        for (int i = 0; i < 300; i++) {
            REGISTRY.add(new Listener(new Owner("owner-" + i)));
        }
        ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class).dumpHeap(args[0], true);
    }
}
