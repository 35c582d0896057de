package dev.refkit.cache;

/**
 * Emits the JFR events of this package when {@code jdk.jfr} is present; does nothing otherwise.
 * refkit-core requires {@code jdk.jfr} only statically, so every use of it sits in classes loaded only
 * after the module was found readable.
 */
final class CacheEvents {

    private static volatile boolean enabled = ModuleLayer.boot().findModule("jdk.jfr")
            .map(CacheEvents.class.getModule()::canRead)
            .orElse(false);

    private CacheEvents() {
    }

    /** An event that starts now, to be passed to {@link #pressureEpisode}; null without JFR. */
    static Object begin() {
        if (enabled) {
            try {
                return CachePressureEvent.start();
            } catch (LinkageError e) {
                enabled = false;
            }
        }
        return null;
    }

    static void pressureEpisode(Object event, PressureEpisode episode, int residentEntries, long budget) {
        if (enabled && event != null) {
            try {
                CachePressureEvent.emit(event, episode, residentEntries, budget);
            } catch (LinkageError e) {
                enabled = false;
            }
        }
    }
}
