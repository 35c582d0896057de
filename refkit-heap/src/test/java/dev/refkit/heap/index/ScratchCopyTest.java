package dev.refkit.heap.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.refkit.heap.hprof.HprofFormatException;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A compressed dump is inflated into the temporary folder only as far as the folder has room. */
class ScratchCopyTest {

    @TempDir
    Path dir;

    @AfterEach
    void restoreTheFoldersRoom() {
        ScratchCopy.spaceForTests = -1;
    }

    /** A header and one UTF8 record of {@code bytes} zeros, gzip-compressed. */
    private Path compressedDump(int bytes) throws IOException {
        Path file = dir.resolve("zeros.hprof.gz");
        try (DataOutputStream out = new DataOutputStream(new GZIPOutputStream(Files.newOutputStream(file)))) {
            out.write("JAVA PROFILE 1.0.2".getBytes(StandardCharsets.US_ASCII));
            out.write(0);
            out.writeInt(8);
            out.writeLong(0);
            out.writeByte(0x01);
            out.writeInt(0);
            out.writeInt(8 + bytes);
            out.writeLong(1);
            out.write(new byte[bytes]);
        }
        return file;
    }

    private static long ownCopies() throws IOException {
        String own = "refkit-dump-" + ProcessHandle.current().pid() + "-";
        try (Stream<Path> files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return files.filter(f -> f.getFileName().toString().startsWith(own)).count();
        }
    }

    @Test
    void aDumpThatWouldFillTheTemporaryFolderIsStoppedWithWhatToDo() throws IOException {
        Path dump = compressedDump(8 << 20);
        ScratchCopy.spaceForTests = 3 << 20;
        Throwable t = catchThrowable(() -> HprofFile.open(dump).close());
        assertThat(t).isInstanceOf(IOException.class).isNotInstanceOf(HprofFormatException.class);
        assertThat(t.getMessage()).startsWith("zeros.hprof.gz: decompressing the dump stopped at ")
                .contains(": it needs more than the 3.0 MB that ").contains("-Djava.io.tmpdir").doesNotContain("\n");
        assertThat(ownCopies()).isZero();
    }

    @Test
    void aDumpThatFitsIsInflatedAndItsCopyDeletedOnClose() throws IOException {
        Path dump = compressedDump(8 << 20);
        ScratchCopy.spaceForTests = 9 << 20;
        try (HprofFile file = HprofFile.open(dump)) {
            assertThat(file.wasCompressed()).isTrue();
            assertThat(file.size()).isEqualTo(31 + 9 + 8 + (8 << 20));
            assertThat(ownCopies()).isEqualTo(1);
        }
        assertThat(ownCopies()).isZero();
    }
}
