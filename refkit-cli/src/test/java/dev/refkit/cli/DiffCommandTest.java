package dev.refkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code refkit diff} on dumps a program wrote of itself three times: an audit log that grows beside a larger
 * catalog that does not and an LRU that churns, and the same program without the leak.
 */
class DiffCommandTest {

    private static final String LOG = "static field " + GrowingApp.class.getName() + ".EVENTS";

    @TempDir
    static Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeAll
    static void writeDumps() throws Exception {
        ChildDump.run(GrowingApp.class, "256m", dir.resolve("leak").toString(), "leak");
        ChildDump.run(GrowingApp.class, "256m", dir.resolve("steady").toString(), "steady");
    }

    private static String[] dumps(String prefix) {
        return new String[] {dir.resolve(prefix + "-1.hprof").toString(), dir.resolve(prefix + "-2.hprof").toString(),
            dir.resolve(prefix + "-3.hprof").toString()};
    }

    private int refkit(String... args) {
        return RefkitCli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    private int diff(String prefix, String... options) {
        String[] args = new String[1 + 3 + options.length];
        args[0] = "diff";
        System.arraycopy(dumps(prefix), 0, args, 1, 3);
        System.arraycopy(options, 0, args, 4, options.length);
        return refkit(args);
    }

    @Test
    void theGrowingLogIsTheFirstGrowingPathNotTheLargerCatalog() {
        int exit = diff("leak", "--quiet");

        assertThat(exit).as(err.toString()).isZero();
        String text = out.toString();
        assertThat(text.replaceAll("\\s+", " ")).contains("Growing paths (grew at every step")
                .contains(" 1. " + LOG + " → ArrayList: 1,000 → 2,000 → 3,000 GrowingApp$AuditEvent, +1.9 MB per step")
                .doesNotContain("CATALOG").doesNotContain("RECENT");
        assertThat(text).contains("Classes that grew at every step").contains(GrowingApp.AuditEvent.class.getName());
    }

    @Test
    void topZeroMeansEveryRow() {
        assertThat(diff("leak", "--top", "0", "--quiet")).as(err.toString()).isZero();
        assertThat(out.toString()).contains(" 1. " + LOG);
    }

    @Test
    void aProgramThatDoesNotLeakHasNoGrowingPathAndPassesTheGate() {
        int exit = diff("steady", "--quiet", "--fail-on-growth");

        assertThat(exit).as(err.toString()).isZero();
        assertThat(out.toString()).contains("Growing paths: none");
    }

    @Test
    void growthFailsTheGateWithExitOneAndASizeRaisesIt() {
        assertThat(diff("leak", "--quiet", "--fail-on-growth")).isEqualTo(1);
        assertThat(diff("leak", "--quiet", "--fail-on-growth", "100MB")).isZero();
    }

    @Test
    void jsonAndHtmlCarryThePathWithItsCountsAndChart() throws Exception {
        Path html = dir.resolve("growth.html");

        int exit = diff("leak", "--quiet", "--json", "-", "--html", html.toString(), "--force");

        assertThat(exit).as(err.toString()).isZero();
        assertThat(out.toString()).startsWith("{").contains("\"owner\": \"" + LOG + "\"")
                .contains("\"counts\": [1000, 2000, 3000]").contains("\"fingerprint\": \"");
        assertThat(Files.readString(html)).contains("<svg").contains("1,000 → 2,000 → 3,000");
    }

    @Test
    void oneDumpIsAUsageErrorAndAMissingOneIsOneLineAndExitThree() {
        assertThat(refkit("diff", dumps("leak")[0])).isEqualTo(2);
        assertThat(refkit("diff", dumps("leak")[0], dir.resolve("missing.hprof").toString(), "--quiet")).isEqualTo(3);
        assertThat(err.toString().lines().filter(l -> l.contains("missing.hprof"))).hasSize(1);
    }
}
