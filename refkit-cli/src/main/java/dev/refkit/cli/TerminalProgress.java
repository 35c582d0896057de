package dev.refkit.cli;

import dev.refkit.heap.ProgressListener;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * A progress bar for long phases, redrawn in place on a terminal; silent when the output is not a terminal or
 * the user asked for quiet. Redraws at most ten times a second.
 */
final class TerminalProgress implements ProgressListener {

    private static final int BAR = 30;

    private final PrintWriter err;
    private String phase = "";
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
        this.phase = phase;
        lastDraw = now;
        double share = total <= 0 ? 0 : Math.min(1, (double) done / total);
        int filled = (int) Math.round(share * BAR);
        err.printf(Locale.ROOT, "\r\033[K%-22s [%s%s] %3.0f%%", Format.fit(phase, 22), "#".repeat(filled),
                " ".repeat(BAR - filled), share * 100);
        err.flush();
        drawn = true;
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
