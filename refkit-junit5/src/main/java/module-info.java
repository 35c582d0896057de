/**
 * refkit-junit5: a JUnit 5 extension that fails a test which leaks watched objects or unclosed resources, and a
 * check that fails a scenario which makes the heap grow. {@code dev.refkit.heap} is optional: it adds retaining
 * paths to failure messages, and {@code HeapGrowthCheck} needs it (on the module path, require it too, or add
 * it with {@code --add-modules dev.refkit.heap}).
 */
@SuppressWarnings("module") // "junit5" ends in a digit, as the artifact and the package do: the name says which JUnit
module dev.refkit.junit5 {
    requires transitive dev.refkit.core;
    requires transitive org.junit.jupiter.api;
    requires static dev.refkit.heap;
    // HeapGrowthCheck dumps the test JVM's heap through the HotSpot diagnostic MXBean
    requires jdk.management;

    exports dev.refkit.junit5;
}
