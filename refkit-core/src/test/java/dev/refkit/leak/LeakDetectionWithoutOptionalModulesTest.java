package dev.refkit.leak;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refkit.probe.WithoutOptionalModulesProbe;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * refkit-core requires {@code jdk.jfr} and {@code jdk.management} only statically: where they are absent,
 * leak detection must work all the same, without JFR events, and heap dumps must be refused with a reason.
 * A child JVM limited to {@code java.base} runs {@link WithoutOptionalModulesProbe}, once with refkit-core
 * on the class path and once as a named module on the module path.
 */
class LeakDetectionWithoutOptionalModulesTest {

    enum Launch {
        CLASS_PATH, MODULE_PATH
    }

    private static final Map<Launch, List<String>> OUTPUTS = new EnumMap<>(Launch.class);
    private static Path folder;

    @AfterAll
    static void deleteFolder() throws IOException {
        if (folder != null) {
            Files.deleteIfExists(folder.resolve("probe.hprof"));
            Files.deleteIfExists(folder);
        }
    }

    /** The probe's output lines in this launch mode; the probe runs once per mode. */
    private static synchronized List<String> probeOutput(Launch launch) {
        return OUTPUTS.computeIfAbsent(launch, mode -> {
            try {
                return runProbe(mode);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException | URISyntaxException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static List<String> runProbe(Launch launch) throws IOException, InterruptedException, URISyntaxException {
        if (folder == null) {
            folder = Files.createTempDirectory("refkit-probe");
        }
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--limit-modules", "java.base", "-Xmx64m"));
        String core = codeSource(LeakWatcher.class);
        String probe = codeSource(WithoutOptionalModulesProbe.class);
        if (launch == Launch.MODULE_PATH) {
            command.addAll(List.of("--module-path", core, "--add-modules", "dev.refkit.core", "-cp", probe));
        } else {
            command.addAll(List.of("-cp", core + java.io.File.pathSeparator + probe));
        }
        command.addAll(List.of(WithoutOptionalModulesProbe.class.getName(), folder.toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the probe JVM (" + launch + ") did not finish within 120 s");
        }
        List<String> lines = new ArrayList<>(
                new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList());
        lines.add("exit code: " + process.exitValue());
        return lines;
    }

    private static String codeSource(Class<?> type) throws URISyntaxException {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }

    @ParameterizedTest
    @EnumSource(Launch.class)
    void probeRunsWithoutTheOptionalModules(Launch launch) {
        assertThat(probeOutput(launch))
                .contains("exit code: 0", "jdk.jfr present: false", "jdk.management present: false");
    }

    @ParameterizedTest
    @EnumSource(Launch.class)
    void probeLoadsRefkitCoreAsLaunched(Launch launch) {
        assertThat(probeOutput(launch))
                .contains("refkit-core is a named module: " + (launch == Launch.MODULE_PATH));
    }

    @ParameterizedTest
    @EnumSource(Launch.class)
    void watcherStillReportsRetainedObjects(Launch launch) {
        assertThat(probeOutput(launch)).contains("retained: [held view]");
    }

    @ParameterizedTest
    @EnumSource(Launch.class)
    void heapDumpIsRefusedNamingTheMissingModule(Launch launch) {
        assertThat(probeOutput(launch))
                .anySatisfy(line -> assertThat(line).startsWith("dumpHeap: refused:").contains("jdk.management"));
    }

    @ParameterizedTest
    @EnumSource(Launch.class)
    void trackerStillReportsLeaks(Launch launch) {
        assertThat(probeOutput(launch)).contains("resource collected: true", "leaks: 1");
    }

    @ParameterizedTest
    @EnumSource(Launch.class)
    void trackerWithoutListenersLogsTheLeakAsAWarning(Launch launch) {
        assertThat(probeOutput(launch)).contains("leaks logged: 1")
                .anySatisfy(line -> assertThat(line).contains("WARNING").contains("LEAK in probe-logging"));
    }
}
