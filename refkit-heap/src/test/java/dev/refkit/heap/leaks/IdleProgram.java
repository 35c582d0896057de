package dev.refkit.heap.leaks;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;

/**
 * Healthy: a fresh JVM that only dumps its heap. Whatever the JDK keeps at start is no leak.
 *
 * <p>Run: {@code java IdleProgram.java DUMP.hprof}; prints {@code DUMPED} once the heap is dumped.
 */
public class IdleProgram {

    public static void main(String[] args) throws IOException {
        ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class).dumpHeap(args[0], true);
        System.out.println("DUMPED");
        System.exit(0);
    }
}
