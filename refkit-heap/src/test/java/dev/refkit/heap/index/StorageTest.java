package dev.refkit.heap.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The index's arrays read and write the same on the heap and in mapped files, past the 1 GiB buffers and past
 * 2^31 elements; their files leave no trace.
 */
class StorageTest {

    @TempDir
    Path base;

    @Test
    void heapAndFilesHoldTheSameValues() {
        try (Storage heap = Storage.onHeap(); Storage files = Storage.inFiles(base)) {
            for (Storage storage : new Storage[] {heap, files}) {
                IntArray ints = storage.ints(1 << 20);
                LongArray longs = storage.longs(1 << 20);
                ByteArray bytes = storage.bytes(3 << 20);
                CharArray chars = storage.chars(1 << 20);
                for (int i = 0; i < 1 << 20; i += 7) {
                    ints.set(i, -i);
                    longs.set(i, (long) i << 33);
                    bytes.set(3L * i, (byte) i);
                    chars.set(i, (char) (i * 3));
                }
                ints.add(7, 10);
                longs.add(7, -1);
                for (int i = 0; i < 1 << 20; i++) {
                    boolean set = i % 7 == 0;
                    assertThat(ints.get(i)).isEqualTo(set ? (i == 7 ? 3 : -i) : 0);
                    assertThat(longs.get(i)).isEqualTo(set ? ((long) i << 33) - (i == 7 ? 1 : 0) : 0);
                    assertThat(chars.get(i)).isEqualTo(set ? (char) (i * 3) : (char) 0);
                }
                assertThat(bytes.get(21)).isEqualTo((byte) 7);
                assertThat(ints.mapped()).isEqualTo(storage == files);
            }
        }
    }

    @Test
    void mappedFilesAreAdvisedRandomWhereTheJdkCanCallCAndTheDiskReadsFarAhead() throws Exception {
        // the build runs tests with --enable-native-access=ALL-UNNAMED, as the launchers run the command
        boolean linux = System.getProperty("os.name").startsWith("Linux");
        boolean canCallC = Runtime.version().feature() >= 22 && linux
                && !"none".equals(System.getProperty("refkit.index.advice"));
        assertThat(Mapper.canAdvise()).isEqualTo(canCallC);
        long readAhead = Mapper.readAheadKilobytes(base);
        if (linux && Files.isDirectory(Path.of("/sys/block"))) {
            assertThat(readAhead).as("the read-ahead of the disk under " + base).isGreaterThanOrEqualTo(0);
        }
        boolean expected = canCallC && ("random".equals(System.getProperty("refkit.index.advice"))
                || readAhead > Mapper.LARGE_READ_AHEAD_KB);
        assertThat(Mapper.adviseRandom(base)).isEqualTo(expected);
        try (Storage files = Storage.inFiles(base)) {
            IntArray ints = files.ints(1 << 20);
            ints.set((1 << 20) - 1, 42);
            assertThat(ints.mapped()).isTrue();
            assertThat(ints.get((1 << 20) - 1)).isEqualTo(42);
        }
    }

    @Test
    void aFreedMappedArrayFailsInsteadOfReadingUnmappedMemoryWhereTheJdkHasArenas() {
        org.junit.jupiter.api.Assumptions.assumeTrue(Runtime.version().feature() >= 22,
                "JDK " + Runtime.version().feature() + ": unmapped through Unsafe, a use after free is not checked");
        try (Storage files = Storage.inFiles(base)) {
            LongArray longs = files.longs(1 << 18);
            longs.set(5, 7);
            assertThat(longs.mapped()).isTrue();
            ByteBuffer chunk = longs.buffers[0];
            Storage.free(longs);
            assertThatThrownBy(() -> chunk.getLong(40))
                    .isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void smallArraysStayOnTheHeapEvenInFiles() {
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getProperty("refkit.index.mapFrom") == null,
                "refkit.index.mapFrom is set: every array is mapped");
        try (Storage files = Storage.inFiles(base)) {
            assertThat(files.ints(1000).mapped()).isFalse();
            assertThat(files.folder()).isNull();
        }
    }

    @Test
    void valuesCrossTheBuffersOfAGibibyte() {
        try (Storage files = Storage.inFiles(base)) {
            long gib = 1L << 30;
            ByteArray bytes = files.bytes(gib + 16);
            bytes.set(gib - 1, (byte) 1);
            bytes.set(gib, (byte) 2);
            bytes.set(gib + 15, (byte) 3);
            assertThat(new byte[] {bytes.get(gib - 1), bytes.get(gib), bytes.get(gib + 15), bytes.get(gib - 2)})
                    .containsExactly(1, 2, 3, 0);
            assertThatThrownBy(() -> bytes.get(gib + 16)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> bytes.set(-1, (byte) 0)).isInstanceOf(IndexOutOfBoundsException.class);
        }
    }

    @Test
    void moreThanTwoToTheThirtyOneElementsAreAddressed() {
        try (Storage files = Storage.inFiles(base)) {
            long length = (1L << 31) + 1000;
            IntArray ints = files.ints(length); // an 8 GB sparse file: only the pages written take room
            long[] at = {0, Integer.MAX_VALUE, 1L << 31, (1L << 31) + 999, 3L << 29};
            for (long i : at) {
                ints.set(i, (int) (i % 1_000_003));
            }
            for (long i : at) {
                assertThat(ints.get(i)).as("element %d", i).isEqualTo((int) (i % 1_000_003));
            }
            assertThat(ints.length()).isEqualTo(length);
            assertThat(files.mappedBytes()).isEqualTo(4 * length);
        }
    }

    @Test
    void filesAreDeletedOnceMappedAndTheFolderOnClose() throws IOException {
        Path folder;
        try (Storage files = Storage.inFiles(base)) {
            LongArray longs = files.longs(1 << 20);
            longs.set(5, 42);
            folder = files.folder();
            assertThat(folder).startsWith(base.resolve("refkit-index"));
            try (Stream<Path> left = Files.list(folder)) {
                assertThat(left).as("files still named in the work folder").isEmpty();
            }
            assertThat(longs.get(5)).isEqualTo(42);
        }
        assertThat(folder).doesNotExist();
    }

    @Test
    void aFreedArrayFailsInsteadOfReadingUnmappedMemory() {
        try (Storage files = Storage.inFiles(base)) {
            IntArray ints = files.ints(1 << 20);
            ints.set(1, 1);
            Storage.free(ints);
            assertThatThrownBy(() -> ints.get(1)).isInstanceOf(NullPointerException.class);
        }
    }

    @Test
    void theFolderOfAProcessThatIsGoneIsSweptByTheNext() throws IOException {
        Path stale = Files.createDirectories(base.resolve("refkit-index").resolve("2147483000-1"));
        Files.write(stale.resolve("index-1.bin"), new byte[1024]);
        Path alive = Files.createDirectories(base.resolve("refkit-index").resolve(ProcessHandle.current().pid() + "-0"));
        try (Storage files = Storage.inFiles(base)) {
            files.ints(1 << 20);
            assertThat(stale).doesNotExist();
            assertThat(alive).exists();
        }
    }

    @Test
    void anUnwritableFolderIsOneSentenceNamingTheOption() throws IOException {
        Path file = Files.write(base.resolve("not-a-folder"), new byte[1]);
        try (Storage files = Storage.inFiles(file)) {
            assertThatThrownBy(() -> files.ints(1 << 20)).hasMessageContaining("--work-dir")
                    .hasMessageContaining("not-a-folder");
        }
    }

    @Test
    void theSystemPropertyChoosesWhereTheCallerLeavesItToChoose() {
        String before = System.getProperty("refkit.index");
        try {
            System.setProperty("refkit.index", "files");
            assertThat(Storage.forDump(1, Storage.Mode.AUTO, base).inFiles()).isTrue();
            assertThat(Storage.forDump(1, Storage.Mode.HEAP, base).inFiles()).as("what the caller asks for").isFalse();
            System.setProperty("refkit.index", "heap");
            assertThat(Storage.forDump(Long.MAX_VALUE / 4, Storage.Mode.AUTO, base).inFiles()).isFalse();
            System.clearProperty("refkit.index");
            assertThat(Storage.forDump(Runtime.getRuntime().maxMemory(), Storage.Mode.AUTO, base).inFiles()).isTrue();
            assertThat(Storage.forDump(1 << 20, Storage.Mode.AUTO, base).inFiles()).isFalse();
        } finally {
            if (before == null) {
                System.clearProperty("refkit.index");
            } else {
                System.setProperty("refkit.index", before);
            }
        }
    }
}
