package dev.refkit.heap.analysis;

import dev.refkit.heap.ProgressListener;

/**
 * One phase of an analysis told to a {@link ProgressListener}. A phase is a fixed number of passes, each over at
 * most every object; the listener hears {@code pass × objects + done} of {@code passes × objects} units, so
 * that a bar moves evenly through passes that visit the same objects, and a pass that ends early (most objects
 * not reached) jumps to the next. Loops call {@link #at} only when {@code (done & MASK) == 0}: one branch per
 * object in the hot loops, a call every 65,536.
 */
final class PhaseProgress {

    /** Progress that goes nowhere. */
    static final PhaseProgress NONE = new PhaseProgress(ProgressListener.NONE, "", 1, 0);
    /** Loops report when their counter has these bits clear. */
    static final int MASK = (1 << 16) - 1;

    private final ProgressListener listener;
    private final String phase;
    private final long objects;
    private final long total;

    /**
     * @param phase   what the bar says, e.g. {@code "dominators"}
     * @param passes  how many passes over the objects the phase makes
     * @param objects the objects of the heap
     */
    PhaseProgress(ProgressListener listener, String phase, int passes, long objects) {
        this.listener = listener;
        this.phase = phase;
        this.objects = objects;
        this.total = passes * objects;
    }

    static PhaseProgress of(ProgressListener listener, String phase, int passes, long objects) {
        return listener == ProgressListener.NONE ? NONE : new PhaseProgress(listener, phase, passes, objects);
    }

    /** Tells that pass {@code pass} (from 0) has done {@code done} of its objects. */
    void at(int pass, long done) {
        if (this != NONE) {
            listener.progress(phase, pass * objects + Math.min(done, objects), total);
        }
    }

    /** Tells that the phase is done. */
    void done() {
        if (this != NONE) {
            listener.progress(phase, total, total);
        }
    }
}
