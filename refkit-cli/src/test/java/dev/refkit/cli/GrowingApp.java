package dev.refkit.cli;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A program dumped three times as it runs: an audit log that gains 1,000 events each round (unless told not to
 * leak) beside a larger catalog filled once and a bounded LRU that replaces its entries. Arguments: the dump
 * prefix ({@code PREFIX-1.hprof} …), and {@code leak} or {@code steady}.
 */
public final class GrowingApp {

    /** An event the audit log keeps. */
    public static final class AuditEvent {
        final byte[] details = new byte[2_000];
    }

    static final List<AuditEvent> EVENTS = new ArrayList<>();
    static final Map<Integer, byte[]> CATALOG = new HashMap<>();
    static final Map<Integer, byte[]> RECENT = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Integer, byte[]> eldest) {
            return size() > 500;
        }
    };

    private GrowingApp() {
    }

    public static void main(String[] args) throws Exception {
        boolean leak = args[1].equals("leak");
        for (int i = 0; i < 5_000; i++) {
            CATALOG.put(i, new byte[2_000]);
        }
        int next = 0;
        for (int round = 1; round <= 3; round++) {
            for (int i = 0; i < 1_000 && (leak || round == 1); i++) {
                EVENTS.add(new AuditEvent());
            }
            for (int i = 0; i < 2_000; i++) {
                RECENT.put(next++, new byte[1_000]);
            }
            ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class).dumpHeap(args[0] + "-" + round + ".hprof",
                    true);
        }
    }
}
