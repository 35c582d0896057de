package dev.refkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Healthy programs at rest have no leak suspect at the default thresholds, so that {@code --fail-on-suspects}
 * can gate a CI job: the demo's employee directory (H2 and its page cache, a ReferenceCache in front) after
 * its requests, and an idle jshell. (A fresh JVM is in refkit-heap's corpus.)
 */
class HealthyProgramsTest {

    private static final long WAIT_SECONDS = 120;

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int analyze(Path dump) {
        return RefkitCli.run(new PrintWriter(out, true), new PrintWriter(err, true), "analyze", dump.toString(),
                "--fail-on-suspects", "--quiet");
    }

    private static String java(String tool) {
        return Path.of(System.getProperty("java.home"), "bin", tool).toString();
    }

    @Test
    void employeeDirectoryAtRestHasNoSuspect() throws Exception {
        Path dump = dir.resolve("directory.hprof");
        Process child = new ProcessBuilder(java("java"), "-Xmx128m", "-XX:+UseSerialGC", "-cp",
                System.getProperty("java.class.path"), DirectoryAtRest.class.getName(), dir.resolve("db").toString(),
                dump.toString()).redirectErrorStream(true).start();
        String output = readAll(child.getInputStream());
        assertThat(child.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)).as("the child finished: %s", output).isTrue();
        assertThat(output).contains("DUMPED");

        int exit = analyze(dump);

        assertThat(exit).as(out + err.toString()).isZero();
        assertThat(out.toString()).contains("Leak suspects: none found");
    }

    @Test
    void idleJshellHasNoSuspect() throws Exception {
        Path dump = dir.resolve("jshell.hprof");
        Process jshell = new ProcessBuilder(java("jshell"), "-J-Xmx128m", "-J-XX:+UseSerialGC", "--no-startup")
                .redirectErrorStream(true).start();
        try {
            awaitPrompt(jshell.getInputStream());
            Process jcmd = new ProcessBuilder(java("jcmd"), Long.toString(jshell.pid()), "GC.heap_dump",
                    dump.toString()).redirectErrorStream(true).start();
            String said = readAll(jcmd.getInputStream());
            assertThat(jcmd.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)).as("jcmd finished: %s", said).isTrue();
            assertThat(Files.exists(dump)).as("jcmd wrote the dump: %s", said).isTrue();
        } finally {
            try (OutputStream in = jshell.getOutputStream()) {
                in.write("/exit\n".getBytes(StandardCharsets.UTF_8));
            } catch (IOException alreadyGone) {
                // the process ended; nothing to tell it
            }
            if (!jshell.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)) {
                jshell.destroyForcibly();
            }
        }

        int exit = analyze(dump);

        assertThat(exit).as(out + err.toString()).isZero();
        assertThat(out.toString()).contains("Leak suspects: none found");
    }

    /** Waits, within the bound, for jshell's first prompt; its output is read on a thread of its own. */
    private static void awaitPrompt(InputStream stream) throws Exception {
        StringBuffer seen = new StringBuffer();
        java.util.concurrent.CountDownLatch prompted = new java.util.concurrent.CountDownLatch(1);
        Thread reader = new Thread(() -> {
            try {
                for (int c = stream.read(); c >= 0; c = stream.read()) {
                    seen.append((char) c);
                    if (seen.indexOf("jshell>") >= 0) {
                        prompted.countDown();
                    }
                }
            } catch (IOException ended) {
                // the process is gone; the wait below says so
            }
        }, "jshell-output");
        reader.setDaemon(true);
        reader.start();
        if (!prompted.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
            throw new AssertionError("jshell gave no prompt within " + WAIT_SECONDS + " s: " + seen);
        }
    }

    private static String readAll(InputStream stream) throws IOException {
        StringBuilder text = new StringBuilder();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                text.append(line).append('\n');
            }
        }
        return text.toString();
    }
}
