package dev.refkit.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Where the JVM sends no collection notifications (a runtime image without {@code jdk.management}, or without
 * {@code java.management} either), a memory-sensitive cache holds its values softly instead, says so once
 * through {@link System.Logger}, and still gives its memory back before an {@link OutOfMemoryError}.
 * {@link MemorySensitiveFallbackChild} runs in a child JVM with a 64 MB heap limited to those modules.
 */
class MemorySensitiveFallbackTest {

    enum Modules {
        BASE_ONLY("java.base", "java.management"), WITHOUT_JDK_MANAGEMENT("java.base,java.management", "jdk.management");

        final String limit;
        final String missing;

        Modules(String limit, String missing) {
            this.limit = limit;
            this.missing = missing;
        }
    }

    private static final Map<Modules, List<String>> OUTPUTS = new EnumMap<>(Modules.class);

    private static synchronized List<String> output(Modules modules) {
        return OUTPUTS.computeIfAbsent(modules, m -> {
            try {
                return run(m);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        });
    }

    private static List<String> run(Modules modules) throws IOException, InterruptedException {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--limit-modules", modules.limit, "-Xmx64m", "-cp", System.getProperty("java.class.path"),
                MemorySensitiveFallbackChild.class.getName());
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        child.getOutputStream().close();
        byte[] bytes = child.getInputStream().readAllBytes();
        if (!child.waitFor(120, TimeUnit.SECONDS)) {
            child.destroyForcibly();
            throw new AssertionError("the child JVM did not finish within 120 s: " + command);
        }
        List<String> lines = new ArrayList<>(new String(bytes, StandardCharsets.UTF_8).lines().toList());
        lines.add("exit code: " + child.exitValue());
        return lines;
    }

    @ParameterizedTest
    @EnumSource(Modules.class)
    void theCacheHoldsItsValuesSoftlyInstead(Modules modules) {
        assertThat(output(modules)).contains("exit code: 0", "first holds entries strongly: false",
                "second holds entries strongly: false");
    }

    @ParameterizedTest
    @EnumSource(Modules.class)
    void itSaysSoOnceNamingTheMissingModule(Modules modules) {
        List<String> warnings = output(modules).stream()
                .filter(line -> line.contains("ReferenceCache.memorySensitive(): no garbage-collection notifications"))
                .toList();

        assertThat(warnings).as("output: %s", output(modules)).singleElement()
                .satisfies(line -> assertThat(line).contains("the module " + modules.missing + " is absent")
                        .contains("hold their values softly instead"));
    }

    @ParameterizedTest
    @EnumSource(Modules.class)
    void itStillGivesItsMemoryBackBeforeAnOutOfMemoryErrorReportingCollections(Modules modules) {
        assertThat(output(modules)).contains("collected: some", "pressure: 0", "stats pressure: 0")
                .noneMatch(line -> line.equals("loaded: oom"));
    }
}
