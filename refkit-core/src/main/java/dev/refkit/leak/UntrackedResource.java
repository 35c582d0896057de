package dev.refkit.leak;

/** The handle of every resource that is not tracked: one shared instance, so that not tracking allocates nothing. */
enum UntrackedResource implements Tracked {
    INSTANCE;

    @Override
    public void record(Object hint) {
    }

    @Override
    public void record() {
    }

    @Override
    public boolean close() {
        return false;
    }

    @Override
    public boolean isTracking() {
        return false;
    }

    @Override
    public String toString() {
        return "Tracked[not tracking]";
    }
}
