package dev.refkit.leak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LeakWatcherTest {

    /** Holds objects on purpose: a leak that the watcher must find. */
    private static final List<Object> STATIC_HOLDER = new ArrayList<>();

    private final List<RetainedObject> heard = new CopyOnWriteArrayList<>();

    @AfterEach
    void releaseStaticHolder() {
        STATIC_HOLDER.clear();
    }

    private LeakWatcher watcherWithoutGrace() {
        return LeakWatcher.builder().gracePeriod(Duration.ZERO).listener(heard::add).build();
    }

    /** Watches an object that nothing else refers to once this method returns. */
    private static void watchReleased(LeakWatcher watcher, String description) {
        watcher.expectCollected(new byte[1024], description);
    }

    private static String watchKeptInStaticList(LeakWatcher watcher, String description) {
        Object view = new StringBuilder(description);
        STATIC_HOLDER.add(view);
        return watcher.expectCollected(view, description);
    }

    @Test
    void releasedObjectIsNotReported() {
        LeakWatcher watcher = watcherWithoutGrace();
        watchReleased(watcher, "released buffer");

        assertThat(watcher.check()).isEmpty();
        assertThat(heard).isEmpty();
        assertThat(watcher.watchedCount()).isZero();
    }

    @Test
    void objectKeptInStaticListIsReportedWithItsDescription() {
        LeakWatcher watcher = watcherWithoutGrace();
        String key = watchKeptInStaticList(watcher, "closed settings view");

        List<RetainedObject> retained = watcher.check();

        assertThat(retained).singleElement().satisfies(object -> {
            assertThat(object.key()).isEqualTo(key);
            assertThat(object.description()).isEqualTo("closed settings view");
        });
    }

    @Test
    void listenersAreToldOncePerRetainedObjectAcrossChecks() {
        LeakWatcher watcher = watcherWithoutGrace();
        watchKeptInStaticList(watcher, "closed settings view");

        assertThat(watcher.check()).hasSize(1);
        assertThat(watcher.check()).hasSize(1);

        assertThat(heard).singleElement()
                .extracting(RetainedObject::description).isEqualTo("closed settings view");
    }

    @Test
    void onlyTheRetainedOfSeveralWatchedObjectsIsReported() {
        LeakWatcher watcher = watcherWithoutGrace();
        watchReleased(watcher, "released buffer");
        watchKeptInStaticList(watcher, "held view");
        watchReleased(watcher, "another released buffer");

        assertThat(watcher.check()).extracting(RetainedObject::description).containsExactly("held view");
    }

    @Test
    void retainedObjectIsForgottenOnceReleased() {
        LeakWatcher watcher = watcherWithoutGrace();
        watchKeptInStaticList(watcher, "held view");
        assertThat(watcher.check()).hasSize(1);

        STATIC_HOLDER.clear();

        assertThat(watcher.check()).isEmpty();
        assertThat(watcher.watchedCount()).isZero();
    }

    @Test
    void objectWithinItsGracePeriodIsNotReported() {
        AtomicLong nanos = new AtomicLong(1_000);
        LeakWatcher watcher = LeakWatcher.builder().gracePeriod(Duration.ofSeconds(5)).clock(nanos::get)
                .listener(heard::add).build();
        watchKeptInStaticList(watcher, "held view");
        nanos.addAndGet(Duration.ofSeconds(4).toNanos());

        assertThat(watcher.check()).isEmpty();
        assertThat(heard).isEmpty();
    }

    @Test
    void objectPastItsGracePeriodIsReportedWithTheTimeWatchedByTheWatchersClock() {
        AtomicLong nanos = new AtomicLong(1_000);
        LeakWatcher watcher = LeakWatcher.builder().gracePeriod(Duration.ofSeconds(5)).clock(nanos::get).build();
        watchKeptInStaticList(watcher, "held view");
        nanos.addAndGet(Duration.ofSeconds(6).toNanos());

        assertThat(watcher.check()).singleElement()
                .extracting(RetainedObject::watchedFor).isEqualTo(Duration.ofSeconds(6));
    }

    @Test
    void listenerThatThrowsDoesNotStopTheOthers() {
        LeakWatcher watcher = LeakWatcher.builder().gracePeriod(Duration.ZERO)
                .listener(object -> {
                    throw new IllegalStateException("listener failure on purpose");
                })
                .listener(heard::add).build();
        watchKeptInStaticList(watcher, "held view");

        assertThat(watcher.check()).hasSize(1);
        assertThat(heard).hasSize(1);
    }

    @Test
    void keysAreUniqueAmongWatchedObjects() {
        LeakWatcher watcher = watcherWithoutGrace();
        Object held = new Object();

        String first = watcher.expectCollected(held, "same object");
        String second = watcher.expectCollected(held, "same object");

        assertThat(first).isNotEqualTo(second);
    }

    @Test
    void nullObjectIsRefusedWithAMessage() {
        LeakWatcher watcher = LeakWatcher.create();

        assertThatThrownBy(() -> watcher.expectCollected(null, "nothing"))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("object");
    }

    @Test
    void negativeGracePeriodIsRefusedWithAMessage() {
        assertThatThrownBy(() -> LeakWatcher.builder().gracePeriod(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("gracePeriod");
    }

    @Test
    void heapDumpHoldsTheKeyOfTheRetainedObject(@TempDir Path folder) throws IOException {
        LeakWatcher watcher = watcherWithoutGrace();
        String key = watchKeptInStaticList(watcher, "held view");
        Path dump = folder.resolve("retained.hprof");

        watcher.dumpHeap(dump);

        assertThat(startsWith(dump, "JAVA PROFILE 1.0.2")).isTrue();
        assertThat(contains(dump, key.getBytes(StandardCharsets.ISO_8859_1))).isTrue();
    }

    @Test
    void heapDumpRefusesAFileNameWithoutHprofSuffix(@TempDir Path folder) {
        LeakWatcher watcher = LeakWatcher.create();

        assertThatThrownBy(() -> watcher.dumpHeap(folder.resolve("retained.bin")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(".hprof");
    }

    @Test
    void heapDumpNeverOverwritesAFile(@TempDir Path folder) throws IOException {
        LeakWatcher watcher = LeakWatcher.create();
        Path existing = Files.writeString(folder.resolve("existing.hprof"), "keep me");

        assertThatThrownBy(() -> watcher.dumpHeap(existing)).isInstanceOf(FileAlreadyExistsException.class);
        assertThat(Files.readString(existing)).isEqualTo("keep me");
    }

    @Test
    void explainingWithoutTheHeapAnalyzerSaysWhatToAdd(@TempDir Path folder) {
        LeakWatcher watcher = LeakWatcher.create();

        assertThat(LeakWatcher.canExplain()).isFalse();
        assertThatThrownBy(() -> watcher.explain(folder.resolve("retained.hprof"),
                List.of(new RetainedObject("k", "held view", Duration.ZERO))))
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("refkit-heap")
                .hasMessageContaining("dev.refkit.heap.analysis.KeyedReferencePaths.shortestStrongPaths");
    }

    private static boolean startsWith(Path file, String header) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return new String(in.readNBytes(header.length()), StandardCharsets.US_ASCII).equals(header);
        }
    }

    /** Streams the file, so that a dump larger than the test's heap is still searched. */
    private static boolean contains(Path file, byte[] needle) throws IOException {
        byte[] window = new byte[1 << 16];
        int carry = 0;
        try (InputStream in = Files.newInputStream(file)) {
            int read;
            while ((read = in.read(window, carry, window.length - carry)) > 0) {
                int filled = carry + read;
                for (int i = 0; i + needle.length <= filled; i++) {
                    if (regionMatches(window, i, needle)) {
                        return true;
                    }
                }
                carry = Math.min(needle.length - 1, filled);
                System.arraycopy(window, filled - carry, window, 0, carry);
            }
        }
        return false;
    }

    private static boolean regionMatches(byte[] data, int offset, byte[] needle) {
        for (int j = 0; j < needle.length; j++) {
            if (data[offset + j] != needle[j]) {
                return false;
            }
        }
        return true;
    }
}
