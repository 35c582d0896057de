package dev.refkit.cli;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs a script as a user's shell would, with the environment the test chooses: the launchers' tests. */
final class Shell {

    private static final long WAIT_SECONDS = 120;

    private Shell() {
    }

    /** What a command printed on each stream, and its exit status. */
    record Result(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- out:\n" + out + "--- err:\n" + err;
        }
    }

    /**
     * Runs {@code command} in {@code dir} with exactly {@code env} as its environment (no PATH but the one given, no
     * JAVA_HOME unless given), its input closed.
     */
    static Result run(Path dir, Map<String, String> env, String... command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
        builder.environment().clear();
        builder.environment().putAll(env);
        Process process = builder.start();
        process.getOutputStream().close();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
        if (!process.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(WAIT_SECONDS, TimeUnit.SECONDS);
            throw new AssertionError(String.join(" ", command) + " did not finish within " + WAIT_SECONDS + " s");
        }
        try {
            return new Result(process.exitValue(), out.get(WAIT_SECONDS, TimeUnit.SECONDS), err.get(WAIT_SECONDS, TimeUnit.SECONDS));
        } catch (Exception e) {
            throw new AssertionError("cannot read what " + String.join(" ", command) + " printed", e);
        }
    }

    /**
     * A folder for a PATH that holds only the named tools of this machine's PATH (as links), so that what a script
     * needs beyond them (a java, mvn) is missing.
     */
    static Path toolsOnly(Path folder, String... tools) throws IOException {
        Files.createDirectories(folder);
        for (String tool : tools) {
            Path found = null;
            for (String dir : System.getenv("PATH").split(File.pathSeparator)) {
                Path candidate = Path.of(dir, tool);
                if (Files.isExecutable(candidate)) {
                    found = candidate;
                    break;
                }
            }
            if (found == null) {
                throw new IllegalStateException(tool + " is not on this machine's PATH; the launcher tests need it");
            }
            Files.createSymbolicLink(folder.resolve(tool), found.toRealPath());
        }
        return folder;
    }

    private static String readAll(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), UTF_8);
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }
}
