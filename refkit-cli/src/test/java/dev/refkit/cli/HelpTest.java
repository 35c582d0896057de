package dev.refkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every command's --help, as picocli renders it: complete, and without a complaint of picocli's about it. */
class HelpTest {

    @ParameterizedTest
    @ValueSource(strings = {"analyze", "diff", "histogram", "paths", "dump", "demo"})
    void helpRendersEveryOptionWithoutAWarning(String command) {
        StringWriter out = new StringWriter();
        PrintStream realErr = System.err;
        ByteArrayOutputStream picocliErr = new ByteArrayOutputStream();
        int exit;
        // picocli reports a description it cannot format on System.err, not on the command's own streams
        System.setErr(new PrintStream(picocliErr, true, StandardCharsets.UTF_8));
        try {
            exit = RefkitCli.run(new PrintWriter(out, true), new PrintWriter(new StringWriter(), true), command, "--help");
        } finally {
            System.setErr(realErr);
        }

        assertThat(exit).isZero();
        assertThat(out.toString()).startsWith("Usage: refkit " + command).contains("--verbose");
        assertThat(picocliErr.toString(StandardCharsets.UTF_8)).isEmpty();
    }
}
