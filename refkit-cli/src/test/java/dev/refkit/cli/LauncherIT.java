package dev.refkit.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The checkout's ./refkit as people link and run it: through a symbolic link from another folder, on the Java of
 * JAVA_HOME before the one on the PATH. Runs after the package phase, so the launcher finds its jar up to date and
 * does not build (mvn is not on the PATH given: a launcher that tried would say so).
 */
class LauncherIT {

    private static final Path LAUNCHER = Path.of(System.getProperty("refkit.checkout"), "refkit").toAbsolutePath().normalize();
    private static final Path THIS_JDK = Path.of(System.getProperty("java.home"));

    @TempDir
    static Path work;
    static Path tools;
    static Path link;

    @BeforeAll
    static void linkTheLauncherFromAnotherFolder() throws IOException {
        tools = Shell.toolsOnly(work.resolve("tools"), "bash", "readlink", "find");
        link = Files.createSymbolicLink(Files.createDirectories(work.resolve("home/bin")).resolve("refkit"), LAUNCHER);
    }

    @Test
    void aSymbolicLinkRunsTheCheckoutsCommandOnTheJdkOfJavaHome() throws Exception {
        Path otherJdk = otherJdk().orElse(null);
        assumeTrue(otherJdk != null, "no second JDK beside " + THIS_JDK + " (nor -Drefkit.second.jdk); skipping");
        // this JDK's java is first on the PATH: JAVA_HOME's must win all the same
        Path thisJava = Files.createDirectories(work.resolve("this-jdk"));
        Files.createSymbolicLink(thisJava.resolve("java"), THIS_JDK.resolve("bin/java"));
        Map<String, String> env = Map.of("PATH", thisJava + ":" + tools, "JAVA_HOME", otherJdk.toString());

        Shell.Result run = Shell.run(work, env, link.toString(), "--version");

        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.out()).startsWith("refkit " + System.getProperty("refkit.version") + "\n")
                .contains("Java " + release(otherJdk)).contains("at " + otherJdk.toRealPath());
    }

    @Test
    void withoutJavaHomeTheJavaOnThePathRuns() throws Exception {
        Path bin = Files.createDirectories(work.resolve("path-jdk"));
        Files.createSymbolicLink(bin.resolve("java"), THIS_JDK.resolve("bin/java"));

        Shell.Result run = Shell.run(work, Map.of("PATH", bin + ":" + tools), link.toString(), "--version");

        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.out()).contains("Java " + Runtime.version().feature()).contains("at " + THIS_JDK.toRealPath());
    }

    /** A JDK of another feature release: -Drefkit.second.jdk, else one beside this JDK (/usr/lib/jvm/*). */
    private static Optional<Path> otherJdk() throws IOException {
        String given = System.getProperty("refkit.second.jdk");
        if (given != null && !given.isBlank()) {
            return Optional.of(Path.of(given));
        }
        try (Stream<Path> siblings = Files.list(THIS_JDK.toRealPath().getParent())) {
            return siblings.filter(jdk -> Files.isExecutable(jdk.resolve("bin/java")) && Files.isRegularFile(jdk.resolve("release")))
                    .filter(jdk -> !release(jdk).equals(Integer.toString(Runtime.version().feature())))
                    .findFirst();
        }
    }

    /** The feature release a JDK's release file names ({@code JAVA_VERSION="25.0.3"} → {@code 25}). */
    private static String release(Path jdk) {
        try {
            return Files.readAllLines(jdk.resolve("release")).stream().filter(l -> l.startsWith("JAVA_VERSION="))
                    .map(l -> l.replaceAll("JAVA_VERSION=\"?(\\d+).*", "$1")).findFirst().orElse("?");
        } catch (IOException e) {
            return "?";
        }
    }
}
