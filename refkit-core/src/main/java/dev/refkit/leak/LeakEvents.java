package dev.refkit.leak;

/**
 * Emits the JFR events of this package when {@code jdk.jfr} is present; does nothing otherwise.
 * refkit-core requires {@code jdk.jfr} only statically, so every use of it sits in classes loaded only
 * after the module was found readable.
 */
final class LeakEvents {

    private static volatile boolean enabled = ModuleLayer.boot().findModule("jdk.jfr")
            .map(LeakEvents.class.getModule()::canRead)
            .orElse(false);

    private LeakEvents() {
    }

    static void objectRetained(RetainedObject object) {
        if (enabled) {
            try {
                ObjectRetainedEvent.emit(object);
            } catch (LinkageError e) {
                enabled = false;
            }
        }
    }

    static void resourceLeak(ResourceLeak leak) {
        if (enabled) {
            try {
                ResourceLeakEvent.emit(leak);
            } catch (LinkageError e) {
                enabled = false;
            }
        }
    }
}
