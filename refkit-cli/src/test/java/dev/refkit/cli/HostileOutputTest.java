package dev.refkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a stranger's dump cannot do to the terminal or the file system through refkit's output: names with escape
 * sequences, bells, line breaks and cut surrogates reach the terminal escaped and the reports valid; a report file
 * that cannot be written is one line and exit 3 (never 1, which means suspects); an existing file is not replaced
 * without --force, and a link is replaced, never followed.
 */
class HostileOutputTest {

    @TempDir
    static Path dir;
    static Path dump;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeAll
    static void writeDump() throws Exception {
        dump = dir.resolve("hostile.hprof");
        ChildDump.run(HostileNames.class, "128m", dump.toString());
    }

    private int refkit(String... args) {
        return RefkitCli.run(new PrintWriter(out, true, StandardCharsets.UTF_8),
                new PrintWriter(err, true, StandardCharsets.UTF_8), args);
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    /** No character a terminal acts on: controls other than line feed and tab, DEL, C1 controls. */
    private static void assertNoControls(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            assertThat(c < 0x20 && c != '\n' && c != '\t' || c >= 0x7f && c <= 0x9f)
                    .as("control character U+%04X at %d in: %s", (int) c, i, text).isFalse();
        }
    }

    @Test
    void namesFromTheDumpReachTheTerminalEscaped() {
        int exit = refkit("analyze", dump.toString(), "--quiet");

        assertThat(exit).as(err.toString()).isZero();
        String text = stdout();
        assertNoControls(text);
        assertThat(text).contains("thread \"evil\\x1b]0;pwned\\x07\\n 1. forged line")
                .contains("closed view\\x1b[2J\\x1b[H\\nforged")
                .doesNotContain("\n 1. forged line");
    }

    @Test
    void jsonOnStandardOutputIsValidWithTheLoneSurrogateEscaped() {
        int exit = refkit("analyze", dump.toString(), "--quiet", "--json", "-");

        assertThat(exit).as(err.toString()).isZero();
        String json = stdout();
        assertThat(json).startsWith("{").doesNotContain("Reachability (strongest path decides")
                .contains("\\u001b]0;pwned\\u0007\\n 1. forged line \\ud83d");
        assertNoControls(json);
    }

    @Test
    void htmlReplacesTheLoneSurrogateAndWritesAFile() throws Exception {
        Path page = dir.resolve("page.html");

        int exit = refkit("analyze", dump.toString(), "--quiet", "--html", page.toString(), "--force");

        assertThat(exit).as(err.toString()).isZero();
        String html = Files.readString(page, StandardCharsets.UTF_8);
        assertThat(html).contains("forged line \ufffd").doesNotContain("\u001b");
    }

    @Test
    void aReportIntoAMissingFolderIsOneLineAndExitThree() {
        int exit = refkit("analyze", dump.toString(), "--quiet", "--json", dir.resolve("no/such/folder/r.json").toString());

        assertThat(exit).isEqualTo(3);
        assertThat(err.toString()).hasLineCount(1).contains("cannot write").contains("does not exist");
    }

    @Test
    void aReportOntoAFolderIsRefusedAndWithForceStillOneLine() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("a-folder"));

        assertThat(refkit("analyze", dump.toString(), "--quiet", "--html", folder.toString())).isEqualTo(2);
        assertThat(refkit("analyze", dump.toString(), "--quiet", "--html", folder.toString(), "--force")).isEqualTo(2);
        assertThat(err.toString().lines()).hasSize(2).allMatch(line -> line.startsWith("refkit: "))
                .anyMatch(line -> line.contains("is a folder"));
        assertThat(folder).isDirectory();
    }

    @Test
    void anExistingFileIsKeptWithoutForce() throws Exception {
        Path existing = Files.writeString(dir.resolve("keep.json"), "precious");

        int exit = refkit("analyze", dump.toString(), "--quiet", "--json", existing.toString());

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("exists already").contains("--force");
        assertThat(Files.readString(existing)).isEqualTo("precious");
    }

    @Test
    void aLinkIsReplacedNotFollowed() throws Exception {
        Path target = Files.writeString(dir.resolve("target.txt"), "precious");
        Path link = Files.createSymbolicLink(dir.resolve("link.json"), target);

        int exit = refkit("analyze", dump.toString(), "--quiet", "--json", link.toString(), "--force");

        assertThat(exit).as(err.toString()).isZero();
        assertThat(Files.readString(target)).isEqualTo("precious");
        assertThat(Files.isSymbolicLink(link)).isFalse();
        assertThat(Files.readString(link)).startsWith("{");
    }
}
