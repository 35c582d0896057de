package dev.refkit.modules;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** refkit-bom names every module a user can depend on, at the reactor's version, and nothing else. */
class BomTest {

    /** Modules of the build that are not published for users to depend on. */
    private static final List<String> UNPUBLISHED = List.of("refkit-bom", "refkit-bench", "refkit-module-tests");

    // the tests run in this module's folder
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

    @Test
    void theBomManagesEveryPublishedModuleOfTheReactor() throws IOException {
        String parent = Files.readString(ROOT.resolve("pom.xml"));
        String bom = Files.readString(ROOT.resolve("refkit-bom/pom.xml"));

        List<String> published = all(parent, "<module>([^<]+)</module>").stream().filter(m -> !UNPUBLISHED.contains(m)).toList();

        assertThat(all(bom, "<artifactId>(refkit-[^<]+)</artifactId>\\s*<version>\\$\\{project.version}</version>"))
                .containsExactlyInAnyOrderElementsOf(published);
        assertThat(first(bom, "<artifactId>refkit-bom</artifactId>\\s*<version>([^<]+)</version>"))
                .as("the BOM's version").isEqualTo(first(parent, "<artifactId>refkit-parent</artifactId>\\s*<version>([^<]+)</version>"));
    }

    private static List<String> all(String text, String regex) {
        return Pattern.compile(regex).matcher(text).results().map(m -> m.group(1)).toList();
    }

    private static String first(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertThat(m.find()).as(regex).isTrue();
        return m.group(1);
    }
}
