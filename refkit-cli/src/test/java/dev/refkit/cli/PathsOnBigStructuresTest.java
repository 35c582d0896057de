package dev.refkit.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.refkit.heap.HeapClass;
import dev.refkit.heap.HeapDump;
import dev.refkit.heap.HeapGraph;
import dev.refkit.heap.ObjectRef;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code refkit paths} on ordinary big structures, written by a JVM: a list of a million items and a chain of
 * 200,000 links. Each ends in seconds (a bound far below what the quadratic merge took: 105 s for 40,000 items),
 * and a chain is drawn as one line, not 200,000 nested ones (which overflowed the stack).
 */
class PathsOnBigStructuresTest {

    private static final Duration BOUND = Duration.ofSeconds(60);

    @TempDir
    static Path dir;
    static Path dump;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeAll
    static void writeDump() throws Exception {
        dump = dir.resolve("big.hprof");
        ChildDump.run(BigShapes.class, "512m", dump.toString());
    }

    private int refkit(String... args) {
        return RefkitCli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    @Test
    void aMillionItemsInOneListMergeIntoOneLineInSeconds() {
        int exit = assertTimeoutPreemptively(BOUND, () -> refkit("paths", dump.toString(), "--class",
                BigShapes.Item.class.getName(), "--quiet"));

        assertThat(exit).as(err.toString()).isZero();
        assertThat(out.toString()).contains("1,000,000 reached, 0 without such a path")
                .containsPattern("1,000,000 .*\\[\\*\\] → dev\\.refkit\\.cli\\.BigShapes\\$Item  ◀ \\(×1,000,000\\)");
    }

    @Test
    void everyLinkOfADeepChainIsOneRunInSeconds() {
        int exit = assertTimeoutPreemptively(BOUND, () -> refkit("paths", dump.toString(), "--class",
                BigShapes.Link.class.getName(), "--quiet"));

        assertThat(exit).as(err.toString()).isZero();
        assertThat(out.toString()).contains("200,000 reached")
                .containsPattern("\\.next → dev\\.refkit\\.cli\\.BigShapes\\$Link @ 0x[0-9a-f]+  ◀ \\(×199,999 in a chain\\)");
        assertThat(out.toString().lines().count()).isLessThan(40);
    }

    @Test
    void theLastLinkOfADeepChainHasItsPathInSeconds() throws Exception {
        long last;
        try (HeapDump heap = HeapDump.open(dump)) {
            last = lastLink(heap.graph());
        }

        int exit = assertTimeoutPreemptively(BOUND, () -> refkit("paths", dump.toString(), "--object",
                "0x" + Long.toHexString(last), "--quiet"));

        assertThat(exit).as(err.toString()).isZero();
        assertThat(out.toString()).contains("1 reached")
                .containsPattern("\\.next → dev\\.refkit\\.cli\\.BigShapes\\$Link @ 0x[0-9a-f]+ \\(×199,998 in a chain\\)")
                .containsPattern("\\.next → dev\\.refkit\\.cli\\.BigShapes\\$Link @ 0x" + Long.toHexString(last) + "  ◀");
    }

    @Test
    void aHiddenClassIsFoundByTheVmsSpellingAsByJavas() throws Exception {
        String javaName;
        try (HeapDump heap = HeapDump.open(dump)) {
            javaName = heap.graph().classes().stream().map(HeapClass::name)
                    .filter(name -> name.startsWith(BigShapes.class.getName() + "$$Lambda")).findFirst().orElseThrow();
        }
        assertThat(javaName).contains("/0x");

        int exit = refkit("paths", dump.toString(), "--class", javaName.replace("/0x", "+0x"), "--quiet");

        assertThat(exit).as(err.toString()).isZero();
        assertThat(out.toString()).contains("to instances of " + javaName + ",").contains("1 reached, 0 without such a path")
                .contains(".TASK → ");
    }

    /** The id of the link whose {@code next} is null. */
    private static long lastLink(HeapGraph graph) {
        HeapClass link = graph.findClass(BigShapes.Link.class.getName());
        for (int o = 0; o < graph.objectCount(); o++) {
            if (graph.classOf(o) == link && !(graph.fieldValue(o, "next") instanceof ObjectRef)) {
                return graph.objectId(o);
            }
        }
        throw new AssertionError("no last link in the dump");
    }
}
