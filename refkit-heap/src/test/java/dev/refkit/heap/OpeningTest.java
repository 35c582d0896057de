package dev.refkit.heap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.refkit.heap.hprof.HprofFormatException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@link HeapDump#open} does with files it cannot map where they are, with a listener that throws and
 * with too small a heap: a copy, or one line that says what happened and what to do; no temporary file left.
 */
class OpeningTest {

    @TempDir
    Path dir;

    /** The copies of dumps this JVM has in the temporary folder. */
    private static List<Path> scratchCopies() throws IOException {
        String own = "refkit-dump-" + ProcessHandle.current().pid() + "-";
        try (Stream<Path> files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return files.filter(f -> f.getFileName().toString().startsWith(own)).toList();
        }
    }

    private static Path gzip(Path file) throws IOException {
        return HostileDumps.gzip(file, file.resolveSibling(file.getFileName() + ".gz"));
    }

    /** A dump in a zip archive, opened through a zip file system: UnsupportedOperationException, mapping it. */
    @Test
    void aDumpInsideAZipArchiveIsCopiedOutAndReadLikeTheFile() throws IOException {
        Path plain = SyntheticHeap.write(dir.resolve("s.hprof"), 500);
        Path zip = dir.resolve("dumps.zip");
        try (FileSystem fs = FileSystems.newFileSystem(URI.create("jar:" + zip.toUri()), Map.of("create", "true"))) {
            Files.copy(plain, fs.getPath("s.hprof"));
        }
        int objects;
        try (HeapDump dump = HeapDump.open(plain)) {
            objects = dump.graph().objectCount();
        }
        try (FileSystem fs = FileSystems.newFileSystem(zip)) {
            try (HeapDump dump = HeapDump.open(fs.getPath("s.hprof"))) {
                assertThat(dump.graph().objectCount()).isEqualTo(objects);
                assertThat(dump.info().gzipped()).isFalse();
                assertThat(scratchCopies()).hasSize(1);
            }
        }
        assertThat(scratchCopies()).isEmpty();
    }

    /** A named pipe nobody writes to: opening it blocked forever. */
    @Test
    void aNamedPipeIsRefusedAtOnceWithWhatToDo() throws Exception {
        Path fifo = dir.resolve("pipe.hprof");
        Process mkfifo;
        try {
            mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        } catch (IOException e) {
            mkfifo = null;
        }
        assumeTrue(mkfifo != null && mkfifo.waitFor() == 0, "mkfifo is not available");
        Throwable t = assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> catchThrowable(() -> HeapDump.open(fifo)));
        assertThat(t).isInstanceOf(IOException.class).isNotInstanceOf(HprofFormatException.class)
                .hasMessage(fifo + ": not a regular file (a pipe, a device or a folder), and the reader needs a "
                        + "seekable file: save the dump to a file first");
    }

    /** A dump piped to standard input: "not an HPROF heap dump … found \"\"". */
    @Test
    void standardInputIsRefusedWithWhatToDo() throws Exception {
        BoundedOpen.Result result = BoundedOpen.run(BoundedOpen.start(64, List.of(), "/dev/stdin"));
        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.line()).endsWith("the reader needs a seekable file: save the dump to a file first")
                .doesNotContain("\n");
    }

    /**
     * A listener that throws, here as one that cancels the work would (CancellationException is an
     * IllegalStateException): "the file is corrupt".
     */
    @Test
    void whatTheProgressListenerThrowsIsThrownAsItWas() throws IOException {
        Path plain = SyntheticHeap.write(dir.resolve("s.hprof"), 500);
        for (String phase : new String[] {"indexing objects", "sorting objects"}) {
            CancellationException no = new CancellationException("cancelled at " + phase);
            Throwable t = catchThrowable(() -> HeapDump.open(plain, (p, done, total) -> {
                if (p.equals(phase)) {
                    throw no;
                }
            }).close());
            assertThat(t).as(phase).isSameAs(no);
        }
        Path compressed = gzip(SyntheticHeap.write(dir.resolve("big.hprof"), 40_000));
        CancellationException no = new CancellationException("cancelled while decompressing");
        Throwable t = catchThrowable(() -> HeapDump.open(compressed, (p, done, total) -> {
            throw no;
        }).close());
        assertThat(t).isSameAs(no);
        assertThat(scratchCopies()).isEmpty();
    }

    /**
     * A gzip stream of zeros (a bomb: 4 GB from 4 MB) was inflated whole into the temporary folder before its
     * header was read; now the first bytes decide, and nothing is written.
     */
    @Test
    void aCompressedFileThatIsNoHeapDumpIsRejectedBeforeAnythingIsInflated() throws IOException {
        Path bomb = dir.resolve("zeros.hprof.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(bomb), 1 << 16)) {
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 64; i++) {
                out.write(zeros);
            }
        }
        AtomicLong inflated = new AtomicLong();
        Throwable t = catchThrowable(() -> HeapDump.open(bomb, (p, done, total) -> inflated.set(done)).close());
        assertThat(t).isInstanceOf(HprofFormatException.class).hasMessageContaining("not an HPROF heap dump");
        assertThat(inflated).hasValue(0);
        assertThat(scratchCopies()).isEmpty();
    }

    /**
     * A process killed while it has a compressed dump open leaves the decompressed copy behind; the next
     * process that decompresses a dump deletes it (never one that a live process holds).
     */
    @Test
    void aCopyLeftByAKilledProcessIsDeletedByTheNextOne() throws Exception {
        Path tmp = Files.createDirectory(dir.resolve("tmp"));
        Path compressed = gzip(SyntheticHeap.write(dir.resolve("s.hprof"), 500));
        List<String> options = List.of("-Djava.io.tmpdir=" + tmp);
        Process holder = BoundedOpen.start(64, options, compressed.toString(), "--hold");
        Process other = BoundedOpen.start(64, options, compressed.toString(), "--hold");
        try {
            for (Process p : new Process[] {holder, other}) {
                BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(),
                        StandardCharsets.UTF_8));
                assertThat(out.readLine()).startsWith("opened");
            }
            assertThat(names(tmp)).hasSize(2);
            holder.destroyForcibly().waitFor();
            assertThat(names(tmp)).hasSize(2);
            BoundedOpen.Result next = BoundedOpen.run(BoundedOpen.start(64, options, compressed.toString()));
            assertThat(next.line()).startsWith("opened");
            assertThat(names(tmp)).singleElement().asString().startsWith("refkit-dump-" + other.pid() + "-");
        } finally {
            holder.destroyForcibly();
            other.destroyForcibly();
        }
    }

    private static List<String> names(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(f -> f.getFileName().toString()).toList();
        }
    }

    /** Too small a heap for an index kept on it: one line with what the JVM had and what to do, not a stack trace. */
    @Test
    void runningOutOfHeapSaysHowMuchTheJvmHadAndWhatToDo() throws Exception {
        Path dump = SyntheticHeap.write(dir.resolve("s.hprof"), 400_000);
        BoundedOpen.Result result = BoundedOpen.open(dump, 12, "-Drefkit.index=heap");
        assertThat(result.exitCode()).as(result.output()).isEqualTo(3);
        assertThat(result.line()).startsWith("s.hprof: not enough memory to ").contains("this JVM's heap is at most ")
                .contains("keep the index in files").contains("-Xmx").doesNotContain("\n");
    }

    /** The same heap, the index left to choose: a dump larger than the heap allows keeps its index in files. */
    @Test
    void aDumpTooLargeForTheHeapOpensWithItsIndexInFiles() throws Exception {
        Path dump = SyntheticHeap.write(dir.resolve("t.hprof"), 400_000);
        BoundedOpen.Result result = BoundedOpen.open(dump, 12, "-Djava.io.tmpdir=" + dir);
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.line()).isEqualTo("opened 580012 objects, 16 classes");
        try (Stream<Path> left = Files.walk(dir.resolve("refkit-index"))) {
            assertThat(left.filter(Files::isRegularFile)).as("index files left behind").isEmpty();
        }
    }
}
