package dev.refkit.cli;

import dev.refkit.heap.ProgressListener;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * A progress bar for long phases, redrawn in place on a terminal; silent when the output is not a terminal or
 * the user asked for quiet. Redraws at most ten times a second. Once a phase has run for {@value #ETA_AFTER_SECONDS}
 * seconds the bar says how long it has left, at the pace of the phase so far.
 */
final class TerminalProgress implements ProgressListener {

    private static final int BAR = 30;
    /** No estimate before this: the first seconds of a phase (class loading, the JIT) say little of its pace. */
    static final int ETA_AFTER_SECONDS = 2;

    private final PrintWriter err;
    private String phase = "";
    private long phaseStart;
    private long lastDraw;
    private boolean drawn;

    private TerminalProgress(PrintWriter err) {
        this.err = err;
    }

    /** A progress bar on {@code err} when this process has a terminal and {@code quiet} is false; else nothing. */
    static ProgressListener on(PrintWriter err, boolean quiet) {
        return quiet || System.console() == null ? ProgressListener.NONE : new TerminalProgress(err);
    }

    @Override
    public void progress(String phase, long done, long total) {
        long now = System.nanoTime();
        boolean newPhase = !phase.equals(this.phase);
        if (!newPhase && now - lastDraw < 100_000_000L && done < total) {
            return;
        }
        if (newPhase) {
            phaseStart = now;
        }
        this.phase = phase;
        lastDraw = now;
        err.print("\r\033[K" + line(phase, done, total, now - phaseStart));
        err.flush();
        drawn = true;
    }

    /**
     * The bar's text: the phase, the bar, the share done and, once the phase has run long enough to tell, the time
     * it has left at its pace so far.
     *
     * @param elapsedNanos how long the phase has run
     */
    static String line(String phase, long done, long total, long elapsedNanos) {
        double share = total <= 0 ? 0 : Math.min(1, (double) done / total);
        int filled = (int) Math.round(share * BAR);
        String text = String.format(Locale.ROOT, "%-22s [%s%s] %3.0f%%", Format.fit(phase, 22), "#".repeat(filled),
                " ".repeat(BAR - filled), share * 100);
        if (share > 0 && share < 1 && elapsedNanos >= ETA_AFTER_SECONDS * 1_000_000_000L) {
            long left = (long) Math.ceil(elapsedNanos / 1e9 * (1 - share) / share);
            text += "  " + duration(left) + " left";
        }
        return text;
    }

    /** Seconds as {@code 42s}, {@code 3m 07s} or {@code 2h 05m}. */
    static String duration(long seconds) {
        if (seconds < 60) {
            return seconds + "s";
        }
        if (seconds < 3600) {
            return String.format(Locale.ROOT, "%dm %02ds", seconds / 60, seconds % 60);
        }
        return String.format(Locale.ROOT, "%dh %02dm", seconds / 3600, seconds % 3600 / 60);
    }

    /** Clears the bar, if one was drawn. */
    void clear() {
        if (drawn) {
            err.print("\r\033[K");
            err.flush();
            drawn = false;
        }
    }

    /** Clears the bar of {@code listener} if it is one of ours. */
    static void clear(ProgressListener listener) {
        if (listener instanceof TerminalProgress bar) {
            bar.clear();
        }
    }
}
