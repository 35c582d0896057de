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
    void pathsTakesASimpleName() {
        int exit = refkit("paths", dump.toString(), "--class", "Owner", "--quiet");

        assertThat(exit).as(err.toString()).isZero();
        assertThat(out.toString()).contains("instances of " + OWNER + " (with the simple name Owner)")
                .contains("300 reached, 0 without such a path");
    }

    @Test
    void pathsTakesARegularExpressionAndMergesThePathsOfEveryClassItMatches() {
        int exit = refkit("paths", dump.toString(), "--class", "LeakyApp\\$(Owner|Listener)", "--quiet");

        assertThat(exit).as(err.toString()).isZero();
        assertThat(out.toString()).contains("instances of 2 classes matching LeakyApp\\$(Owner|Listener)")
                .contains("600 reached, 0 without such a path");
    }

    @Test
    void pathsSuggestsTheClassesMeantWhenNothingMatches() {
        assertThat(refkit("paths", dump.toString(), "--class", "LeakyApp$Ownr")).isEqualTo(2);
        assertThat(err.toString()).contains("no class named LeakyApp$Ownr").endsWith("did you mean " + OWNER + "?"
                + System.lineSeparator());
    }

    @Test
    void theObjectsAnalyzeNamesByTheirIdAreThoseThatPathsFindsByIt() {
        assertThat(refkit("analyze", dump.toString(), "--quiet")).isZero();
        Matcher retainer = Pattern.compile("java\\.util\\.ArrayList @ (0x[0-9a-f]+)").matcher(out.toString());
        assertThat(retainer.find()).as(out.toString()).isTrue();
        String id = retainer.group(1);
        assertThat(out.toString()).contains("container    an ArrayList of 300 elements @ " + id + ", retaining");
        out.getBuffer().setLength(0);

        assertThat(refkit("paths", dump.toString(), "--object", id, "--quiet")).as(err.toString()).isZero();

        assertThat(out.toString()).contains("object " + id + " (java.util.ArrayList)").contains("1 reached")
                .containsPattern("\\.REGISTRY → java\\.util\\.ArrayList @ " + id + "  ◀");
    }

    @Test
    void anObjectIdWithout0xIsRefusedNotReadAsHexadecimal() {
        assertThat(refkit("paths", dump.toString(), "--object", "12345")).isEqualTo(2);
        assertThat(err.toString()).contains("in hexadecimal after 0x").contains("not 12345; if that is the id in hexadecimal,"
                + " write 0x12345");
    }

    @Test
    void topZeroShowsEveryRow() {
        assertThat(refkit("analyze", dump.toString(), "--top", "0", "--quiet")).as(err.toString()).isZero();

        String classes = out.toString().split("Top classes by retained size")[1].split("Top retainers")[0];
        assertThat(classes.lines().filter(line -> line.matches("\\s+[\\d.]+ [KMG]?B .*"))).hasSizeGreaterThan(100);
    }

    @Test
    void histogramAndAnalyzeSayWhichObjectsTheyCount() {
        assertThat(refkit("histogram", dump.toString(), "--quiet")).isZero();
        assertThat(out.toString()).contains("Every object in the dump, garbage included; 'refkit analyze' counts the"
                + " strongly reachable objects only.");
        out.getBuffer().setLength(0);

        assertThat(refkit("analyze", dump.toString(), "--quiet")).isZero();
        assertThat(out.toString().replaceAll("\\s+", " ")).containsPattern("strongly reachable objects only \\([\\d,]+ of"
                + " [\\d,]+; 'refkit histogram' counts every object, garbage included\\); share: of the [\\d.]+ [KM]?B they take");
    }

    @Test
    void jsonReportCarriesTheFigures() throws Exception {
        Path json = dir.resolve("report.json");

        assertThat(refkit("analyze", dump.toString(), "--json", json.toString(), "--quiet")).isZero();

        String text = Files.readString(json);
        assertThat(text).startsWith("{").contains("\"reachability\"").contains("\"strong\": {\"objects\": ")
                .contains("\"suspects\": [").contains("\"reference\": \"" + LeakyApp.class.getName() + ".REGISTRY\"")
                .containsPattern("\"topRetainers\": \\[\\s*\\{\"id\": \"0x[0-9a-f]+\", \"type\"");
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
        // The container is named by its id in the dump, as the text names it.
        Matcher container = Pattern.compile("container    an ArrayList of 300 elements @ (0x[0-9a-f]+)").matcher(out.toString());
        assertThat(container.find()).as(out.toString()).isTrue();
        assertThat(page).contains("<span class=\"id\">@ " + container.group(1) + "</span>");
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
