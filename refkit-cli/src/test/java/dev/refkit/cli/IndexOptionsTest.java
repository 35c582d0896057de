package dev.refkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --index} and {@code --work-dir}: a dump's index in files gives the report it gives on the heap and leaves
 * nothing in the work folder; a folder that cannot hold the files is one line naming the option, exit 3.
 */
class IndexOptionsTest {

    @TempDir
    static Path dir;
    static Path dump;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeAll
    static void writeDump() throws Exception {
        dump = dir.resolve("leaky.hprof");
        ChildDump.run(LeakyApp.class, "128m", dump.toString());
    }

    /** Runs refkit with every index array mapped, however small, as a dump larger than memory would have them. */
    private int refkitMappingEverything(String... args) {
        String before = System.getProperty("refkit.index.mapFrom");
        System.setProperty("refkit.index.mapFrom", "0");
        try {
            return RefkitCli.run(new PrintWriter(out, true, StandardCharsets.UTF_8),
                    new PrintWriter(err, true, StandardCharsets.UTF_8), args);
        } finally {
            if (before == null) {
                System.clearProperty("refkit.index.mapFrom");
            } else {
                System.setProperty("refkit.index.mapFrom", before);
            }
        }
    }

    private String take() {
        String text = out.toString(StandardCharsets.UTF_8);
        out.reset();
        return text;
    }

    @Test
    void theReportFromFilesIsTheReportFromTheHeapAndTheFolderIsLeftEmpty() throws Exception {
        Path work = Files.createDirectories(dir.resolve("work"));

        assertThat(refkitMappingEverything("analyze", dump.toString(), "--quiet", "--index", "heap")).isZero();
        String onHeap = take();
        assertThat(refkitMappingEverything("analyze", dump.toString(), "--quiet", "--index", "files", "--work-dir",
                work.toString())).as(err.toString(StandardCharsets.UTF_8)).isZero();
        String inFiles = take();

        assertThat(inFiles).isEqualTo(onHeap).contains("Leak suspects");
        try (Stream<Path> left = Files.walk(work)) {
            assertThat(left.filter(Files::isRegularFile)).as("files left in the work folder").isEmpty();
        }
        try (Stream<Path> folders = Files.list(work.resolve("refkit-index"))) {
            assertThat(folders).as("the process's folder, removed").isEmpty();
        }
    }

    @Test
    void aWorkFolderThatCannotBeMadeIsOneLineNamingTheOption() throws Exception {
        Path notAFolder = Files.write(dir.resolve("a-file"), new byte[] {1});

        int exit = refkitMappingEverything("analyze", dump.toString(), "--quiet", "--index", "files", "--work-dir",
                notAFolder.toString());

        String message = err.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(message).isEqualTo(3);
        assertThat(message.strip()).doesNotContain("\n").contains("--work-dir").contains("a-file")
                .doesNotContain("Exception");
    }

    @Test
    void anUnknownIndexModeIsBadUsage() {
        assertThat(refkitMappingEverything("analyze", dump.toString(), "--index", "disk")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("'disk' is not auto, heap or files");
    }

    @Test
    void memorySaysThePeaksAtTheEndAndNothingWithoutIt() {
        assertThat(refkitMappingEverything("analyze", dump.toString(), "--quiet", "--index", "files")).isZero();
        assertThat(err.toString(StandardCharsets.UTF_8)).doesNotContain("memory:");

        assertThat(refkitMappingEverything("analyze", dump.toString(), "--quiet", "--index", "files", "--memory"))
                .isZero();

        String said = err.toString(StandardCharsets.UTF_8).strip();
        assertThat(take()).contains("Leak suspects");
        assertThat(said).startsWith("memory:").doesNotContain("\n").contains("Java heap: at most");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isReadable(Path.of("/proc/self/status")),
                "no /proc/self/status here: the peaks are not read");
        java.util.regex.Matcher m = java.util.regex.Pattern
                .compile("peak resident ([0-9.]+) (B|KB|MB|GB).*peak anonymous ([0-9.]+) (B|KB|MB|GB)").matcher(said);
        assertThat(m.find()).as(said).isTrue();
        double resident = Double.parseDouble(m.group(1)) * unit(m.group(2));
        double anonymous = Double.parseDouble(m.group(3)) * unit(m.group(4));
        assertThat(anonymous).as(said).isPositive().isLessThanOrEqualTo(resident * 1.01);
    }

    @Test
    void aStatusLineIsReadInKilobytes() {
        String status = "Name:\tjava\nVmHWM:\t  123456 kB\nRssAnon:\t    789 kB\n";

        assertThat(MemoryWatch.kilobytes(status, "VmHWM:")).isEqualTo(123_456);
        assertThat(MemoryWatch.kilobytes(status, "RssAnon:")).isEqualTo(789);
        assertThat(MemoryWatch.kilobytes(status, "RssFile:")).isEqualTo(-1);
        assertThat(MemoryWatch.kilobytes("VmHWM:\tlots kB", "VmHWM:")).isEqualTo(-1);
    }

    private static double unit(String unit) {
        return switch (unit) {
            case "KB" -> 1 << 10;
            case "MB" -> 1 << 20;
            case "GB" -> 1 << 30;
            default -> 1;
        };
    }
}
