package dev.refkit.cli;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * {@code --memory}: how much memory the command took, said at its end. The kernel keeps the peak resident set
 * ({@code VmHWM} in {@code /proc/self/status}), which counts the mapped pages of the dump and of the index's files,
 * and which a container's limit reclaims; it keeps no peak of the anonymous memory ({@code RssAnon}: the Java heap,
 * the JVM's own, what nothing on disk backs), which is what must fit. So a daemon thread reads {@code RssAnon}
 * every {@link #PERIOD_MILLIS} ms and keeps the largest; a peak shorter than that can be missed, which the line
 * says. Where there is no {@code /proc} (not Linux), the line says that instead.
 */
final class MemoryWatch implements AutoCloseable {

    static final long PERIOD_MILLIS = 50;
    private static final Path STATUS = Path.of("/proc/self/status");

    private final Thread sampler;
    private volatile boolean stopped;
    private volatile long peakAnonKb = -1;

    private MemoryWatch() {
        sampler = new Thread(this::sample, "refkit-memory-watch");
        sampler.setDaemon(true);
    }

    /** Starts sampling; {@link #close()} stops it. */
    static MemoryWatch start() {
        MemoryWatch watch = new MemoryWatch();
        watch.peakAnonKb = kilobytes(status(), "RssAnon:");
        watch.sampler.start();
        return watch;
    }

    private void sample() {
        while (!stopped) {
            long anon = kilobytes(status(), "RssAnon:");
            if (anon > peakAnonKb) {
                peakAnonKb = anon;
            }
            try {
                Thread.sleep(PERIOD_MILLIS); // a sampling period, not a wait for another thread
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Override
    public void close() {
        stopped = true;
        sampler.interrupt();
    }

    /** The line to print at the end of the command. */
    String report() {
        String status = status();
        long hwm = kilobytes(status, "VmHWM:");
        long anon = Math.max(peakAnonKb, kilobytes(status, "RssAnon:"));
        long heapPeak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
                heapPeak += pool.getPeakUsage().getUsed();
            }
        }
        String heap = String.format(Locale.ROOT, "Java heap: at most %s, peaks of its pools %s",
                Format.bytes(Runtime.getRuntime().maxMemory()), Format.bytes(heapPeak));
        if (hwm < 0 || anon < 0) {
            return "memory: " + heap + "; the peak resident and anonymous memory are read from /proc/self/status,"
                    + " which this system does not have";
        }
        return String.format(Locale.ROOT, "memory: peak resident %s (VmHWM: counts the mapped pages of the dump and"
                        + " the index, which the kernel reclaims under a limit), peak anonymous %s (RssAnon, read every"
                        + " %d ms); %s", Format.bytes(hwm << 10), Format.bytes(anon << 10), PERIOD_MILLIS, heap);
    }

    private static String status() {
        try {
            return Files.readString(STATUS);
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    /** The value of a {@code kB} line of /proc/self/status, or -1. */
    static long kilobytes(String status, String field) {
        int at = status.indexOf(field);
        if (at < 0) {
            return -1;
        }
        int end = status.indexOf('\n', at);
        String value = status.substring(at + field.length(), end < 0 ? status.length() : end).trim();
        if (value.endsWith("kB")) {
            value = value.substring(0, value.length() - 2).trim();
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
