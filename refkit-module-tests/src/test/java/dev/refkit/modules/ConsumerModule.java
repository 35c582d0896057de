package dev.refkit.modules;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.spi.ToolProvider;
import java.util.stream.Collectors;

/**
 * A small application module, compiled with javac against refkit's modules and run with {@code java -m} in a JVM of
 * its own: nothing but the module path given, so a missing {@code requires} or {@code exports}, a wrong module
 * name or a split package fails here as it would for a user.
 */
final class ConsumerModule {

    private static final long WAIT_SECONDS = 120;

    /** What the program printed (standard output and error) and its exit status. */
    record Run(int exit, String output) {
    }

    private final String name;
    private final Map<String, String> sources = new LinkedHashMap<>();

    ConsumerModule(String name) {
        this.name = name;
    }

    /** Adds a source file, by its path in the module's source tree ({@code module-info.java}, {@code a/b/C.java}). */
    ConsumerModule source(String path, String text) {
        sources.put(path, text);
        return this;
    }

    /**
     * Compiles the module into {@code work} against {@code modulePath} and runs {@code mainClass} from it; fails
     * the test when javac reports an error.
     */
    Run run(Path work, List<Path> modulePath, String mainClass, String... args) throws IOException, InterruptedException {
        Path sourceRoot = work.resolve("src").resolve(name);
        List<String> javacArgs = new ArrayList<>(List.of("--release", "17", "-Xlint:all", "-Werror",
                "--module-path", joined(modulePath), "-d", work.resolve("classes").resolve(name).toString()));
        for (Map.Entry<String, String> source : sources.entrySet()) {
            Path file = sourceRoot.resolve(source.getKey());
            Files.createDirectories(file.getParent());
            Files.writeString(file, source.getValue(), UTF_8);
            javacArgs.add(file.toString());
        }
        // javac through java.util.spi.ToolProvider (java.base): the tests need a JDK, and nothing else
        ToolProvider javac = ToolProvider.findFirst("javac")
                .orElseThrow(() -> new IllegalStateException("the module tests need a JDK with javac, not a JRE"));
        StringWriter diagnostics = new StringWriter();
        PrintWriter out = new PrintWriter(diagnostics, true);
        assertThat(javac.run(out, out, javacArgs.toArray(String[]::new))).as("javac of %s:%n%s", name, diagnostics).isZero();

        List<Path> runPath = new ArrayList<>(modulePath);
        runPath.add(work.resolve("classes").resolve(name));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-XX:+UseSerialGC", "--module-path", joined(runPath), "--module", name + "/" + mainClass));
        command.addAll(List.of(args));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        child.getOutputStream().close();
        CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> readAll(child.getInputStream()));
        if (!child.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)) {
            child.destroyForcibly().waitFor(WAIT_SECONDS, TimeUnit.SECONDS);
            throw new AssertionError(name + " did not finish within " + WAIT_SECONDS + " s; it printed:\n" + output.getNow(""));
        }
        try {
            return new Run(child.exitValue(), output.get(WAIT_SECONDS, TimeUnit.SECONDS));
        } catch (Exception e) {
            throw new AssertionError("cannot read what " + name + " printed", e);
        }
    }

    /** The jar (or, in a build that stopped before packaging, the classes folder) that holds {@code type}. */
    static Path home(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate " + type.getName() + "'s jar", e);
        }
    }

    private static String joined(List<Path> paths) {
        return paths.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator));
    }

    private static String readAll(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), UTF_8);
        } catch (IOException e) {
            return "(output unreadable: " + e + ")";
        }
    }
}
