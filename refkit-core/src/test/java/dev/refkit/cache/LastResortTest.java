package dev.refkit.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The last resort of a memory-sensitive cache, with the real collector, in a child JVM of 64 MB
 * ({@link LastResortChild}): the cache is full to its budget, and the program allocates, in one piece, 60% of the
 * heap, more than the room the cache leaves, too fast for any reading of the heap. Under the collectors that stop
 * the program, the collection before the {@link OutOfMemoryError} clears the cache's resident set with the soft
 * references, and the allocation succeeds; the entries are reported as {@link RemovalCause#COLLECTED} and the
 * cache loads again after. (Before, the same child ended in OutOfMemoryError every time.)
 *
 * <p>Serial and Parallel only: they run the collections of a failed allocation, up to the last one that clears the
 * soft references, in one pause, so the cache cannot be in the middle of an operation (holding its resident set
 * strongly) when the last one starts. G1 runs them as separate pauses, between which the cache's notification
 * thread may be at work: there the child succeeded 39 times in 40 (docs/BENCHMARKS.md), which a test must not
 * depend on. ZGC and Shenandoah keep the resident set strongly; see the notes of {@link PressureTier}.
 */
class LastResortTest {

    @TempDir
    Path dir;

    /** The child's output under {@code collector}, once it has ended without an OutOfMemoryError. */
    private String run(String collector) throws IOException, InterruptedException {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", collector, "-cp", System.getProperty("java.class.path"), LastResortChild.class.getName(),
                "60");
        Path log = dir.resolve("child.txt");
        Process child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!child.waitFor(120, TimeUnit.SECONDS)) {
            child.destroyForcibly();
            throw new AssertionError("the child JVM did not finish within 120 s: " + command);
        }
        String output = Files.readString(log, StandardCharsets.UTF_8).trim();
        assertThat(output).as("child output").doesNotContain("oom after").doesNotContain("java.lang.OutOfMemoryError");
        assertThat(child.exitValue()).as(output).isZero();
        return output;
    }

    private static Map<String, Long> figures(String output) {
        Map<String, Long> figures = new HashMap<>();
        for (String line : output.lines().toList()) {
            for (String pair : line.split(" ")) {
                String[] kv = pair.split("=", 2);
                if (kv.length == 2 && kv[1].matches("\\d+")) {
                    figures.put(kv[0], Long.parseLong(kv[1]));
                }
            }
        }
        assertThat(figures).as(output).containsKeys("heldBefore", "burstBytes", "lastResorts", "reloaded");
        return figures;
    }

    @ParameterizedTest
    @ValueSource(strings = {"-XX:+UseSerialGC", "-XX:+UseParallelGC"})
    void anAllocationLargerThanTheRoomTheCacheLeavesSucceedsAndTheCacheLoadsAgain(String collector) throws Exception {
        String output = run(collector);
        Map<String, Long> figures = figures(output);

        assertThat(figures.get("heldBefore")).as("%s", figures).isPositive();
        assertThat(figures.get("lastResorts")).as("%s", figures).isPositive();
        assertThat(figures.get("heldAfter")).as("%s", figures).isLessThan(figures.get("heldBefore"));
        assertThat(figures.get("reloaded")).isEqualTo(64);
        assertThat(figures.get("listenerCollected")).as("%s", figures).isPositive();
        assertThat(output.split("cleared by the collector", -1)).as("logged once: %s", output).hasSize(2);
        assertThat(figures.get("heldAgain")).as("filled again after the reset: %s", figures).isPositive();
        assertThat(figures.get("secondBurst")).as("%s", figures).isEqualTo(1);
    }
}
