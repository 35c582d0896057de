package dev.refkit.map;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM that runs a test's {@code main} on this JVM's class path with a heap of its own, for tests that
 * need real memory pressure; its output (standard output and error together) is kept for the assertions.
 *
 * @param finished whether it exited within the time allowed (it is killed otherwise)
 * @param exitValue its exit code, or -1 when it did not finish
 * @param output what it wrote
 */
record ChildJvm(boolean finished, int exitValue, String output) {

    private static final long LIMIT_SECONDS = 60;

    /** Runs {@code main} with {@code -Xmx<heapMb>m} and the serial collector, for at most a minute. */
    static ChildJvm run(Class<?> main, int heapMb) throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(java.toString(), "-Xmx" + heapMb + "m", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), main.getName())
                .redirectErrorStream(true)
                .start();
        byte[] output;
        try (var in = child.getInputStream()) {
            output = in.readAllBytes();
        }
        boolean finished = child.waitFor(LIMIT_SECONDS, TimeUnit.SECONDS);
        if (!finished) {
            child.destroyForcibly();
        }
        return new ChildJvm(finished, finished ? child.exitValue() : -1, new String(output, StandardCharsets.UTF_8));
    }
}
