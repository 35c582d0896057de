package dev.refkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The analysis commands on a dump that a child JVM with a known leak wrote of itself. */
class AnalysisCommandsTest {

    private static final String OWNER = LeakyApp.Owner.class.getName();

    @TempDir
    static Path dir;
    static Path dump;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeAll
    static void writeDump() throws Exception {
        dump = dir.resolve("leaky.hprof");
        ChildDump.run(LeakyApp.class, "64m", dump.toString());
    }

    private int refkit(String... args) {
        return RefkitCli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    @Test
    void analyzeReportsTheCensusAndTheLeakWithItsPath() {
        int exit = refkit("analyze", dump.toString(), "--top", "5");

        assertThat(exit).as(err.toString()).isZero();
        String text = out.toString();
        assertThat(text).contains("HPROF 1.0.2, 8-byte ids").contains("Reachability").contains("strong")
                .contains("Top classes by retained size").contains("Leak suspects");
        // The registry retains 300 owners of 10 KB each: at least 3,000 KB through the static field.
        assertThat(text).contains("LeakyApp.REGISTRY");
        assertThat(text).containsPattern("300 × " + Pattern.quote(OWNER));
    }

    @Test
    void failOnSuspectsExitsWithOne() {
        assertThat(refkit("analyze", dump.toString(), "--fail-on-suspects", "--quiet")).isEqualTo(1);
    }

    @Test
    void histogramCountsTheInstancesOfEachClass() {
        int exit = refkit("histogram", dump.toString(), "--filter", "LeakyApp", "--sort", "count");

        assertThat(exit).as(err.toString()).isZero();
        Matcher owner = Pattern.compile(":\\s+(\\d+)\\s+(\\d+)\\s+" + Pattern.quote(OWNER) + "\\s*$", Pattern.MULTILINE)
                .matcher(out.toString());
        assertThat(owner.find()).as(out.toString()).isTrue();
        assertThat(owner.group(1)).isEqualTo("300");
        assertThat(Long.parseLong(owner.group(2))).as("300 owners of 16 to 24 bytes each").isBetween(300L * 16, 300L * 24);
        assertThat(out.toString()).contains(LeakyApp.Listener.class.getName()).doesNotContain("java.lang.String ");
    }

    @Test
    void histogramByRetainedSizePutsTheRetainerOfTheStateFirstAmongTheAppClasses() {
        int exit = refkit("histogram", dump.toString(), "--filter", "LeakyApp\\$", "--sort", "retained");

        assertThat(exit).as(err.toString()).isZero();
        String firstRow = out.toString().lines().filter(l -> l.matches("\\s+1:.*")).findFirst().orElseThrow();
        assertThat(firstRow).endsWith(LeakyApp.Listener.class.getName());
        long retained = Long.parseLong(firstRow.trim().split("\\s+")[3]);
        assertThat(retained).as("300 listeners retain their owners' 10 KB of state").isGreaterThan(300L * 10 * 1024);
    }

    @Test
    void pathsMergesTheThreeHundredOwnersIntoOneChainFromTheStaticRegistry() {
        int exit = refkit("paths", dump.toString(), "--class", OWNER);

        assertThat(exit).as(err.toString()).isZero();
        assertThat(out.toString()).contains("300 reached, 0 without such a path")
                .containsPattern("300 .*\\.REGISTRY → java\\.util\\.ArrayList")
                .containsPattern("300 .*\\.elementData → java\\.lang\\.Object\\[\\]")
                .containsPattern("300 .*\\[\\*\\] → " + Pattern.quote(LeakyApp.Listener.class.getName()) + " \\(×300\\)")
                .containsPattern("300 .*\\.owner → " + Pattern.quote(OWNER) + "  ◀ \\(×300\\)");
    }

    @Test
    void pathsToAClassTheDumpDoesNotHaveIsAUsageError() {
        assertThat(refkit("paths", dump.toString(), "--class", "no.such.Type")).isEqualTo(2);
        assertThat(err.toString()).contains("no class named no.such.Type");
    }

    @Test
    void jsonReportCarriesTheFigures() throws Exception {
        Path json = dir.resolve("report.json");

        assertThat(refkit("analyze", dump.toString(), "--json", json.toString(), "--quiet")).isZero();

        String text = Files.readString(json);
        assertThat(text).startsWith("{").contains("\"reachability\"").contains("\"strong\": {\"objects\": ")
                .contains("\"suspects\": [").contains("\"reference\": \"" + LeakyApp.class.getName() + ".REGISTRY\"");
    }

    @Test
    void htmlReportIsSelfContainedAndShowsTheNumbers() throws Exception {
        Path html = dir.resolve("report.html");

        assertThat(refkit("analyze", dump.toString(), "--html", html.toString(), "--quiet")).isZero();

        String page = Files.readString(html);
        assertThat(page).startsWith("<!DOCTYPE html>").contains("<svg").contains("Leak suspects")
                .contains(LeakyApp.class.getName() + ".REGISTRY");
        assertThat(page).doesNotContain("<script").doesNotContain("http://").doesNotContain("https://")
                .doesNotContain("@import").doesNotContain("url(");
        // The census numbers shown in the terminal are in the page too.
        Matcher strong = Pattern.compile("^  strong\\s+([\\d,]+) objects", Pattern.MULTILINE).matcher(out.toString());
        assertThat(strong.find()).as(out.toString()).isTrue();
        assertThat(page).contains(">" + strong.group(1) + "<");
    }

    @Test
    void aMissingFileIsUnreadableWithOneLine() {
        int exit = refkit("analyze", dir.resolve("nope.hprof").toString());

        assertThat(exit).isEqualTo(3);
        assertThat(err.toString().trim()).endsWith("nope.hprof: no such file").doesNotContain("\n");
    }

    @Test
    void aCorruptDumpIsUnreadableWithTheReadersMessageAndNoStackTrace() throws Exception {
        byte[] bytes = Files.readAllBytes(dump);
        Path cut = dir.resolve("cut.hprof");
        Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length / 2));

        int exit = refkit("analyze", cut.toString());

        assertThat(exit).isEqualTo(3);
        assertThat(err.toString()).startsWith("refkit: ").contains("cut.hprof").contains("offset").doesNotContain("\tat ");
        assertThat(err.toString().trim().lines().count()).isEqualTo(1);
    }

    @Test
    void verboseAddsTheCauseOfAnUnreadableDump() throws Exception {
        byte[] bytes = Files.readAllBytes(dump);
        Path cut = dir.resolve("cut-verbose.hprof");
        Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length / 3));

        int exit = refkit("analyze", cut.toString(), "--verbose");

        assertThat(exit).isEqualTo(3);
        assertThat(err.toString()).startsWith("refkit: ").contains("HprofFormatException").contains("\tat ");
    }

    @Test
    void aFileThatIsNoDumpIsUnreadable() throws Exception {
        Path text = Files.writeString(dir.resolve("notes.hprof"), "these are notes, not a heap dump\n");

        assertThat(refkit("histogram", text.toString())).isEqualTo(3);
        assertThat(err.toString()).contains("notes.hprof");
    }

    @Test
    void anUnknownOptionIsAUsageError() {
        assertThat(refkit("analyze", dump.toString(), "--frobnicate")).isEqualTo(2);
    }
}
