package dev.refkit.heap;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** The real heap dumps shared with the build, found through the {@code refkit.hprof.dir} property. */
final class SharedDumps {
    private SharedDumps() {
    }

    static Path dir() {
        String dir = System.getProperty("refkit.hprof.dir");
        assumeTrue(dir != null && Files.isDirectory(Path.of(dir)),
                "the shared heap dumps are absent (system property refkit.hprof.dir=" + dir + "); skipped");
        return Path.of(dir);
    }

    static Path dump(String name) {
        Path file = dir().resolve(name);
        assumeTrue(Files.isRegularFile(file), "shared heap dump " + file + " is absent; skipped");
        return file;
    }
}
