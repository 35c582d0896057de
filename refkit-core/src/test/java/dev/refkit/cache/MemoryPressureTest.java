package dev.refkit.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A soft-valued cache with a recent tier in a child JVM with {@code -Xmx64m}, loading about 400 MB of values:
 * the collector, not an {@link OutOfMemoryError}, makes room; the collections are reported; the hot entries,
 * kept by the recent tier, are loaded once.
 */
class MemoryPressureTest {
    private static final int VALUE_BYTES = 256 * 1024;
    private static final int COLD_KEYS = 1_600; // 400 MB of values through a 64 MB heap

    private static String output;
    private static int exitCode;

    @BeforeAll
    static void runChild() throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = List.of(java.toString(), "-Xmx64m",
                "-cp", System.getProperty("java.class.path"), MemoryPressureChild.class.getName(),
                Integer.toString(VALUE_BYTES), Integer.toString(COLD_KEYS));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] bytes = child.getInputStream().readAllBytes();
        if (!child.waitFor(120, TimeUnit.SECONDS)) {
            child.destroyForcibly();
            throw new AssertionError("the child JVM did not finish within 120 s: " + command);
        }
        output = new String(bytes, StandardCharsets.UTF_8).trim();
        exitCode = child.exitValue();
    }

    private static Map<String, Long> figures() {
        assertThat(exitCode).as("child exit code; output: %s", output).isZero();
        Map<String, Long> figures = new HashMap<>();
        String lastLine = output.lines().reduce((a, b) -> b).orElse("");
        for (String pair : lastLine.split(" ")) {
            String[] kv = pair.split("=", 2);
            if (kv.length == 2) {
                figures.put(kv[0], Long.parseLong(kv[1]));
            }
        }
        assertThat(figures).as("child output: %s", output).containsKeys("hotLoads", "coldLoads", "collected");
        return figures;
    }

    @Test
    void loadingFarMoreThanTheHeapHoldsEndsWithoutOutOfMemoryError() {
        assertThat(output).as("child output").doesNotContain("oom").doesNotContain("OutOfMemoryError");
        assertThat(figures().get("coldLoads")).isEqualTo(COLD_KEYS);
    }

    @Test
    void clearedValuesAreReportedAsCollected() {
        Map<String, Long> figures = figures();
        // 400 MB cannot stay in 64 MB: most values were cleared; the last collection's clearings may still
        // be on their way through the JVM's reference handler when the child counts, hence the margin
        assertThat(figures.get("collected")).isGreaterThan(COLD_KEYS / 2);
        assertThat(figures.get("listenerCollected")).isEqualTo(figures.get("collected"));
    }

    @Test
    void entriesOfTheRecentTierAreNeverLoadedAgain() {
        assertThat(figures().get("hotLoads")).isEqualTo(MemoryPressureChild.HOT_KEYS);
    }
}
