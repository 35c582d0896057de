package dev.refkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DumpCommandTest {

    /** A JVM to be dumped: says "ready", then waits until its standard input closes. */
    public static final class Waiting {
        public static void main(String[] args) throws Exception {
            System.out.println("ready");
            System.out.flush();
            while (System.in.read() >= 0) {
                // wait for the parent to close our input
            }
        }
    }

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int refkit(String... args) {
        return RefkitCli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    @Test
    void writesAHeapDumpOfAnotherRunningJvm(@TempDir Path dir) throws Exception {
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx32m", "-cp", System.getProperty("java.class.path"), Waiting.class.getName())
                .redirectErrorStream(true).start();
        try {
            BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            assertThat(lines.readLine()).isEqualTo("ready");
            Path file = dir.resolve("child.hprof");

            int exit = refkit("dump", Long.toString(child.pid()), file.toString(), "--live");

            assertThat(exit).as(err.toString()).isZero();
            assertThat(out.toString()).contains("Wrote " + file).contains("refkit analyze " + file);
            byte[] header = new byte[18];
            try (var in = Files.newInputStream(file)) {
                assertThat(in.read(header)).isEqualTo(18);
            }
            assertThat(new String(header, StandardCharsets.US_ASCII)).startsWith("JAVA PROFILE 1.0.");
        } finally {
            child.getOutputStream().close();
            if (!child.waitFor(30, TimeUnit.SECONDS)) {
                child.destroyForcibly();
            }
        }
    }

    @Test
    void aProcessThatDoesNotExistIsUnreadableWithOneLine(@TempDir Path dir) {
        long noSuchPid = ProcessHandle.allProcesses().mapToLong(ProcessHandle::pid).max().orElse(1) + 100_000;

        int exit = refkit("dump", Long.toString(noSuchPid), dir.resolve("x.hprof").toString());

        assertThat(exit).isEqualTo(3);
        assertThat(err.toString()).isEqualTo("refkit: no process with id " + noSuchPid + " is running (see 'jps -l')" + System.lineSeparator()).doesNotContain("\tat ");
    }

    @Test
    void aProcessThatIsNoJvmIsRefusedAtOnceAndKeepsRunning(@TempDir Path dir) throws Exception {
        Process sleeper = new ProcessBuilder("sleep", "60").start();
        try {
            long start = System.nanoTime();

            int exit = refkit("dump", Long.toString(sleeper.pid()), dir.resolve("x.hprof").toString());

            assertThat(exit).isEqualTo(3);
            assertThat((System.nanoTime() - start) / 1e9).as("seconds to refuse").isLessThan(2);
            assertThat(err.toString()).startsWith("refkit: process " + sleeper.pid()).contains("is not a Java virtual machine")
                    .doesNotContain("\tat ");
            assertThat(sleeper.isAlive()).as("the process, untouched (attaching sends it SIGQUIT)").isTrue();
        } finally {
            sleeper.destroyForcibly();
        }
    }

    @Test
    void refusesToOverwriteAnExistingFile(@TempDir Path dir) throws Exception {
        Path existing = Files.writeString(dir.resolve("old.hprof"), "keep me");

        int exit = refkit("dump", "1", existing.toString());

        assertThat(exit).isEqualTo(2);
        assertThat(Files.readString(existing)).isEqualTo("keep me");
    }
}
