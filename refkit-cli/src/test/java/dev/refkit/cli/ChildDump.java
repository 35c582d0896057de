package dev.refkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a program of the test class path in a child JVM that dumps its own heap, within a bound. */
final class ChildDump {

    private static final long WAIT_SECONDS = 120;

    private ChildDump() {
    }

    /** Runs {@code program} with the heap size and arguments; fails (and ends the child) unless it exits 0 in time. */
    static void run(Class<?> program, String xmx, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + xmx, "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), program.getName()));
        command.addAll(List.of(args));
        Process child = new ProcessBuilder(command).inheritIO().start();
        if (!child.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)) {
            child.destroyForcibly().waitFor(WAIT_SECONDS, TimeUnit.SECONDS);
            throw new AssertionError(program.getSimpleName() + " did not finish within " + WAIT_SECONDS + " s");
        }
        assertThat(child.exitValue()).as("%s's exit code", program.getSimpleName()).isZero();
    }
}
