package dev.refkit.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The commands on heap dumps written by real JVMs 5 to 11 (the shared dumps; skipped where absent). */
class SharedDumpsTest {

    private static Path shared(String name) {
        String dir = System.getProperty("refkit.hprof.dir");
        Path file = dir == null ? null : Path.of(dir, name);
        assumeTrue(file != null && Files.isRegularFile(file),
                "the shared heap dumps (../shared/hprof beside the repository) are not here; skipping " + name);
        return file;
    }

    private static String run(int expectedExit, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = RefkitCli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        assertThat(exit).as(err.toString()).isEqualTo(expectedExit);
        return out.toString();
    }

    @ParameterizedTest
    @ValueSource(strings = {"sun_jdk5_13_x32.hprof", "sun_jdk6_18_x64.hprof", "oracle_jdk8_05_x64.hprof",
        "openjdk_jdk11_04_x64.hprof.gz"})
    void analyzeReadsDumpsOfEveryJvmGeneration(String name) {
        String text = run(0, "analyze", shared(name).toString(), "--top", "3", "--quiet");

        assertThat(text).contains("Reachability").contains("Top retainers").contains("Leak suspects");
        Matcher objects = Pattern.compile("Heap\\s+([\\d,]+) objects").matcher(text);
        assertThat(objects.find()).isTrue();
        assertThat(Long.parseLong(objects.group(1).replace(",", ""))).isGreaterThan(1_000);
    }

    @ParameterizedTest
    @ValueSource(strings = {"java.lang.String", "java.util.HashMap$Entry", "java.util.Hashtable$Entry"})
    void histogramGivesTheJvmsOwnInstanceSize(String className) throws Exception {
        // The JVM's histogram (taken beside the dump; CRLF lines): count, total bytes, class name.
        Matcher line = Pattern.compile("^\\s*(\\d+)\\s+(\\d+)\\s+" + Pattern.quote(className) + "\\r?$", Pattern.MULTILINE)
                .matcher(Files.readString(shared("histogram_sun_jdk6_18_x64.txt")));
        assertThat(line.find()).as("a row for " + className + " in the JVM's histogram").isTrue();
        long jvmInstanceSize = Long.parseLong(line.group(2)) / Long.parseLong(line.group(1));

        String text = run(0, "histogram", shared("sun_jdk6_18_x64.hprof").toString(), "--filter",
                "^" + Pattern.quote(className) + "$", "--quiet");

        Matcher ours = Pattern.compile(":\\s+(\\d+)\\s+(\\d+)\\s+" + Pattern.quote(className)).matcher(text);
        assertThat(ours.find()).as(text).isTrue();
        assertThat(Long.parseLong(ours.group(2)) / Long.parseLong(ours.group(1))).as("bytes per " + className)
                .isEqualTo(jvmInstanceSize);
    }
}
