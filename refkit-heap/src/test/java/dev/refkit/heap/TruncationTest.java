package dev.refkit.heap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.refkit.heap.hprof.HprofFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A dump cut short at any byte ends in an HprofFormatException, quickly. */
class TruncationTest {

    @TempDir
    Path dir;

    private void assertEveryCutFails(byte[] whole, Iterable<Integer> cuts) {
        assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
            Path cut = dir.resolve("cut.hprof");
            for (int length : cuts) {
                Files.write(cut, Arrays.copyOf(whole, length));
                Throwable t = catchThrowable(() -> HeapDump.open(cut).close());
                assertThat(t).as("dump cut to %d of %d bytes", length, whole.length)
                        .isInstanceOf(HprofFormatException.class);
                assertThat(((HprofFormatException) t).offset()).isLessThanOrEqualTo(length);
            }
        });
    }

    @Test
    void aSyntheticDumpCutAtEveryByteFails() throws IOException {
        byte[] whole = Files.readAllBytes(SyntheticHeap.write(dir.resolve("whole.hprof"), 12));
        TreeSet<Integer> cuts = new TreeSet<>();
        for (int i = 0; i < whole.length; i++) {
            cuts.add(i);
        }
        assertEveryCutFails(whole, cuts);
    }

    @Test
    void aRealDumpCutAtManyOffsetsFails() throws IOException {
        byte[] whole = Files.readAllBytes(SharedDumps.dump("sun_jdk6_30_x64_compressedOops.hprof"));
        TreeSet<Integer> cuts = new TreeSet<>();
        for (int i = 0; i < 64; i++) {
            cuts.add(i);
        }
        Random random = new Random(20_260_401L);
        while (cuts.size() < 200) {
            cuts.add(random.nextInt(whole.length));
        }
        cuts.add(whole.length - 1);
        assertEveryCutFails(whole, cuts);
    }
}
