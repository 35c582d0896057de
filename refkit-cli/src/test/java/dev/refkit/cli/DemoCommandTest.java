package dev.refkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code refkit demo} end to end: a real child JVM, a real H2 database, a real heap dump, the real analyzer. */
class DemoCommandTest {

    @Test
    void theDemoNarratesTheCacheThePressureTheLeakAndExplainsTheLeakFromItsOwnDump(@TempDir Path dir) throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();

        int exit = RefkitCli.run(new PrintWriter(out, true), new PrintWriter(err, true), "demo", "--work-dir", dir.toString(), "--quiet");

        String text = out.toString();
        assertThat(exit).as(text + err).isZero();
        assertThat(Files.exists(dir.resolve("employees.mv.db"))).as("the H2 database file").isTrue();
        assertThat(text).contains("database created: 50,000 employees");
        // 1. The caches in front of the database: far fewer loads than requests, with either policy.
        for (String policy : new String[] {"soft values      ", "memory-sensitive "}) {
            Matcher workload = Pattern.compile(policy + ": hit rate ([\\d.]+)%  database loads ([\\d,]+)").matcher(text);
            assertThat(workload.find()).as(text).isTrue();
            assertThat(Double.parseDouble(workload.group(1))).isGreaterThan(50);
            assertThat(Long.parseLong(workload.group(2).replace(",", ""))).isLessThan(40_000);
        }
        // 2. Pressure: the memory-sensitive cache gave records back first, the collector cleared soft values later,
        // and nothing failed.
        Matcher released = Pattern.compile("memory-sensitive had given back ([\\d,]+) records, from (\\d+) MB on").matcher(text);
        assertThat(released.find()).as(text).isTrue();
        assertThat(Long.parseLong(released.group(1).replace(",", ""))).isPositive();
        Matcher cleared = Pattern.compile("other part +(\\d+) MB: .*the collector cleared ([\\d,]+) soft values at once").matcher(text);
        assertThat(cleared.find()).as(text).isTrue();
        assertThat(Long.parseLong(cleared.group(2).replace(",", ""))).isPositive();
        assertThat(Long.parseLong(cleared.group(1))).as("soft values went later").isGreaterThan(Long.parseLong(released.group(2)));
        assertThat(text).contains("no OutOfMemoryError").doesNotContain("java.lang.OutOfMemoryError");
        // 3. The lapsed listener: all retained by the strong feed, none by Listeners.
        assertThat(text).contains("feed = List<Consumer<Price>>  : 200 of 200 closed views still in memory (600 registrations)")
                .contains("feed = refkit Listeners       :   0 of 200 closed views still in memory (0 registrations)");
        // 4-5. The dump, and the analyzer's path from the static feed to the views.
        assertThat(text).contains("wrote " + dir.resolve("demo.hprof"));
        assertThat(text).containsPattern("200 .*\\.strongPriceFeed → dev\\.refkit\\.examples\\.ListenerLeak\\$StrongFeed")
                .containsPattern("200 .*\\.arg\\$1 → dev\\.refkit\\.examples\\.ListenerLeak\\$PriceView  ◀ \\(×200\\)");
        assertThat(text).contains("Try it on your own JVM:");
    }

    @Test
    void withoutWorkDirTheDemoWorksInTheUsersOwnCacheFolder() {
        assertThat(DemoCommand.defaultWorkDir(Map.of("XDG_CACHE_HOME", "/home/ann/.xdg"), "Linux", "/home/ann", "/tmp", "ann"))
                .isEqualTo(Path.of("/home/ann/.xdg/refkit/demo"));
        assertThat(DemoCommand.defaultWorkDir(Map.of(), "Linux", "/home/ann", "/tmp", "ann"))
                .isEqualTo(Path.of("/home/ann/.cache/refkit/demo"));
        assertThat(DemoCommand.defaultWorkDir(Map.of("XDG_CACHE_HOME", "relative"), "Mac OS X", "/Users/bob", "/tmp", "bob"))
                .as("a relative XDG_CACHE_HOME is ignored, as the XDG specification says").isEqualTo(Path.of("/Users/bob/.cache/refkit/demo"));
        assertThat(DemoCommand.defaultWorkDir(Map.of(), "Linux", "?", "/tmp", "svc user"))
                .as("no home: a folder of the user's own in the temporary folder").isEqualTo(Path.of("/tmp/refkit-demo-svc_user"));
    }

    @Test
    void aWorkDirThatCannotBeAFolderIsRefusedInOneLine(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("notes"), "a file, not a folder");
        StringWriter err = new StringWriter();

        int exit = RefkitCli.run(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true), "demo", "--work-dir",
                file.toString(), "--quiet");

        assertThat(exit).isEqualTo(3);
        assertThat(err.toString()).isEqualTo("refkit: cannot use " + file + " for the demo's database and dumps (a file is"
                + " there); name another folder with --work-dir DIR" + System.lineSeparator());
    }
}
