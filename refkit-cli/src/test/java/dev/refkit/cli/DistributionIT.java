package dev.refkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.spi.ToolProvider;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distribution as a user gets it: target/refkit-VERSION-bin.tar.gz unpacked into a temporary folder and run
 * through bin/refkit with a Java runtime made by jlink (no compiler, no Maven) and nothing else on the PATH but the
 * shell and readlink.
 */
class DistributionIT {

    private static final String VERSION = System.getProperty("refkit.version");
    private static final Path ZIP = Path.of(System.getProperty("refkit.distribution"));
    private static final Path TAR = ZIP.resolveSibling(ZIP.getFileName().toString().replace(".zip", ".tar.gz"));

    @TempDir
    static Path work;
    static Path home;
    static Path jre;
    static Path dump;
    static Path tools;

    @BeforeAll
    static void unpackTheDistributionAndMakeAJre() throws Exception {
        Shell.Result untar = Shell.run(work, Map.of("PATH", System.getenv("PATH")), "tar", "xzf", TAR.toString());
        assertThat(untar.exit()).as(untar.toString()).isZero();
        home = work.resolve("refkit-" + VERSION);
        jre = work.resolve("jre");
        ToolProvider jlink = ToolProvider.findFirst("jlink").orElseThrow(() -> new IllegalStateException("needs a JDK's jlink"));
        assertThat(jlink.run(System.out, System.err, "--add-modules", "java.se,jdk.attach,jdk.management",
                "--strip-debug", "--no-man-pages", "--no-header-files", "--output", jre.toString())).isZero();
        tools = Shell.toolsOnly(work.resolve("tools"), "bash", "readlink");
        dump = work.resolve("leaky.hprof");
        ChildDump.run(LeakyApp.class, "64m", dump.toString());
    }

    /** The environment of a user who has the JRE's bin on the PATH, and no JAVA_HOME. */
    private static Map<String, String> jreOnPath() {
        return Map.of("PATH", jre.resolve("bin") + ":" + tools);
    }

    @Test
    void theZipAndTheTarHoldTheLauncherTheJarsTheCompletionAndTheTexts() throws IOException {
        Set<String> zipped = new TreeSet<>();
        try (ZipFile zip = new ZipFile(ZIP.toFile())) {
            zip.stream().filter(e -> !e.isDirectory()).forEach(e -> zipped.add(e.getName()));
        }
        Set<String> unpacked = new TreeSet<>();
        try (var files = Files.walk(home)) {
            files.filter(Files::isRegularFile).forEach(f -> unpacked.add("refkit-" + VERSION + "/" + home.relativize(f)));
        }

        assertThat(zipped).isEqualTo(unpacked).contains("refkit-" + VERSION + "/bin/refkit", "refkit-" + VERSION + "/bin/refkit.bat",
                "refkit-" + VERSION + "/lib/refkit-cli-" + VERSION + ".jar", "refkit-" + VERSION + "/lib/picocli-4.7.6.jar",
                "refkit-" + VERSION + "/completion/refkit.bash", "refkit-" + VERSION + "/README.md",
                "refkit-" + VERSION + "/LICENSE", "refkit-" + VERSION + "/NOTICE");
        assertThat(Files.getPosixFilePermissions(home.resolve("bin/refkit"))).contains(PosixFilePermission.OWNER_EXECUTE,
                PosixFilePermission.OTHERS_EXECUTE);
        assertThat(Files.readString(home.resolve("bin/refkit.bat"))).as("Windows line ends").contains("\r\n");
    }

    @Test
    void versionNamesTheReleaseAndTheJavaOnThePath() throws Exception {
        Shell.Result run = Shell.run(work, jreOnPath(), home.resolve("bin/refkit").toString(), "--version");

        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.out()).startsWith("refkit " + VERSION + "\n").contains("at " + jre.toRealPath());
    }

    @Test
    void histogramReadsADumpWithOnlyAJreOnThePath() throws Exception {
        Shell.Result run = Shell.run(work, jreOnPath(), home.resolve("bin/refkit").toString(), "histogram", dump.toString(),
                "--filter", "LeakyApp", "--quiet");

        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.out()).containsPattern(":\\s+300\\s+\\d+\\s+" + LeakyApp.Owner.class.getName().replace("$", "\\$"));
    }

    @Test
    void aSymbolicLinkToTheLauncherRunsTheDistribution() throws Exception {
        Path links = Files.createDirectories(work.resolve("links"));
        Path link = Files.createSymbolicLink(links.resolve("refkit"), home.resolve("bin/refkit"));

        Shell.Result run = Shell.run(links, jreOnPath(), link.toString(), "--version");

        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.out()).startsWith("refkit " + VERSION);
    }

    @Test
    void javaHomeComesBeforeThePath() throws Exception {
        Map<String, String> env = Map.of("PATH", tools.toString(), "JAVA_HOME", jre.toString());

        Shell.Result run = Shell.run(work, env, home.resolve("bin/refkit").toString(), "--version");

        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.out()).contains("at " + jre.toRealPath());
    }

    @Test
    void aJavaHomeWithoutJavaIsSaidInOneLine() throws Exception {
        Map<String, String> env = Map.of("PATH", jre.resolve("bin") + ":" + tools, "JAVA_HOME", work.resolve("nowhere").toString());

        Shell.Result run = Shell.run(work, env, home.resolve("bin/refkit").toString(), "--version");

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("refkit: JAVA_HOME is " + work.resolve("nowhere") + ", but it has no bin/java; point it"
                + " at a Java 17+ installation, or unset it to use the java on the PATH\n");
    }

    @Test
    void theBashCompletionCompletesCommandsAndTheirOptions() throws Exception {
        String script = "source " + home.resolve("completion/refkit.bash") + "\n"
                + "COMP_WORDS=(refkit hist); COMP_CWORD=1; _complete_refkit refkit hist refkit; echo \"${COMPREPLY[@]}\"\n"
                + "COMP_WORDS=(refkit paths x --incl); COMP_CWORD=3; _complete_refkit refkit --incl x; echo \"${COMPREPLY[@]}\"\n";

        Shell.Result run = Shell.run(work, Map.of("PATH", tools.toString()), "bash", "-c", script);

        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.out().lines().toList()).containsExactly("histogram", "--include-weak");
    }
}
