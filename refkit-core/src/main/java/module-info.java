/**
 * refkit-core: reference maps and caches, weak listeners and leak watchers. Depends on the JDK alone
 * ({@code java.management} and {@code jdk.management} for heap dumps, {@code jdk.jfr} for events; all
 * optional at run time).
 */
module dev.refkit.core {
    requires static java.management;
    requires static jdk.management;
    requires static jdk.jfr;

    exports dev.refkit;
    exports dev.refkit.map;
    exports dev.refkit.cache;
    exports dev.refkit.event;
    exports dev.refkit.leak;
}
