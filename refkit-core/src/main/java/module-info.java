/**
 * refkit-core: reference maps and caches, weak listeners and leak watchers. Depends on the JDK alone.
 */
module dev.refkit.core {
    exports dev.refkit;
}
