package dev.refkit.heap;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The real dumps of JDK 5 to 11 in the shared folder: they open, and their sizes are the JVM's. */
class SharedDumpsTest {

    static Stream<String> smallDumps() {
        return Stream.of("sun_jdk5_13_x32.hprof", "sun_jdk6_18_x32.hprof", "sun_jdk6_18_x64.hprof",
                "sun_jdk6_30_x64_compressedOops.hprof", "sun_jdk6_30_x64_nocompressedOops.hprof",
                "oracle_jdk7_21_x64.hprof", "oracle_jdk8_05_x64.hprof", "openjdk_jdk11_04_x64.hprof.gz");
    }

    @ParameterizedTest
    @MethodSource("smallDumps")
    void everyObjectIsCountedOnceInTheHistogram(String name) throws IOException {
        try (HeapDump dump = HeapDump.open(SharedDumps.dump(name))) {
            assertThat(dump.info().objectCount()).isPositive();
            assertThat(dump.histogram().totalInstances()).isEqualTo(dump.info().objectCount());
        }
    }

    @ParameterizedTest
    @MethodSource("smallDumps")
    void referencesFormAValidCsrOverTheObjects(String name) throws IOException {
        try (HeapDump dump = HeapDump.open(SharedDumps.dump(name))) {
            HeapGraph g = dump.graph();
            int n = g.objectCount();
            assertThat(g.firstReference(0)).isZero();
            for (int o = 0; o < n; o++) {
                assertThat(g.firstReference(o + 1)).isGreaterThanOrEqualTo(g.firstReference(o));
            }
            assertThat(g.firstReference(n)).isEqualTo(dump.info().referenceCount());
            for (long r = 0; r < g.firstReference(n); r++) {
                assertThat(g.referenceTarget(r)).isBetween(0, n - 1);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("smallDumps")
    void everyObjectIdMapsBackToItsIndex(String name) throws IOException {
        try (HeapDump dump = HeapDump.open(SharedDumps.dump(name))) {
            HeapGraph g = dump.graph();
            for (int o = 0; o < g.objectCount(); o++) {
                assertThat(g.objectIndex(g.objectId(o))).isEqualTo(o);
            }
            assertThat(g.objectIndex(g.objectId(g.objectCount() - 1) + 1)).isEqualTo(-1);
        }
    }

    @ParameterizedTest
    @MethodSource("smallDumps")
    void gcRootsPointIntoTheGraphAndThreadsHaveThreadObjects(String name) throws IOException {
        try (HeapDump dump = HeapDump.open(SharedDumps.dump(name))) {
            HeapGraph g = dump.graph();
            assertThat(g.gcRootCount()).isPositive();
            boolean sawThread = false;
            for (int i = 0; i < g.gcRootCount(); i++) {
                GcRoot root = g.gcRoot(i);
                assertThat(root.object()).isBetween(0, g.objectCount() - 1);
                if (root.kind() == GcRootKind.THREAD_OBJECT) {
                    sawThread = true;
                    assertThat(g.classOf(root.object()).isSubclassOf("java.lang.Thread")).isTrue();
                }
            }
            assertThat(sawThread).isTrue();
        }
    }

    @ParameterizedTest
    @MethodSource("smallDumps")
    void stringTextIsDecoded(String name) throws IOException {
        try (HeapDump dump = HeapDump.open(SharedDumps.dump(name))) {
            HeapGraph g = dump.graph();
            List<String> texts = new ArrayList<>();
            for (int o = 0; o < g.objectCount(); o++) {
                String s = g.stringValue(o);
                if (s != null) {
                    texts.add(s);
                }
            }
            assertThat(texts).contains("java.home");
        }
    }

    static Stream<Arguments> dumpsWithJvmHistograms() {
        return Stream.of(
                Arguments.of("sun_jdk5_13_x32.hprof", "histogram_sun_jdk5_13_x32.txt", List.of("byte[]")),
                Arguments.of("sun_jdk6_18_x32.hprof", "histogram_sun_jdk6_18_x32.txt", List.of()),
                Arguments.of("sun_jdk6_18_x64.hprof", "histogram_sun_jdk6_18_x64.txt", List.of()),
                Arguments.of("sun_jdk6_30_x64_compressedOops.hprof", "sun_jdk6_30_x64_compressedOops.notes.txt",
                        List.of()),
                Arguments.of("sun_jdk6_30_x64_nocompressedOops.hprof",
                        "sun_jdk6_30_x64_nocompressedOops.notes.txt", List.of()));
    }

    /**
     * Per-instance sizes of every class but java.lang.Class, and total bytes of array classes whose counts
     * match, equal the JVM's histogram. The one known exception: on the JDK 5 dump the 16 byte[] of the
     * histogram add up to 8 bytes less than the 16 of the dump; every byte[] of the dump is exactly as far
     * from the next object as its computed size, so one array changed between the dump and the histogram.
     */
    @ParameterizedTest
    @MethodSource("dumpsWithJvmHistograms")
    void shallowSizesAreTheJvmsOwn(String dumpName, String histogramName, List<String> knownExceptions)
            throws IOException {
        JvmHistogram jvm = new JvmHistogram(Files.readString(SharedDumps.dump(histogramName)));
        Map<String, String> mismatches = new TreeMap<>();
        int compared = 0;
        try (HeapDump dump = HeapDump.open(SharedDumps.dump(dumpName))) {
            compared = compare(dump, jvm, mismatches);
        }
        assertThat(compared).isGreaterThan(100);
        assertThat(mismatches.keySet()).as("classes whose sizes differ: %s", mismatches)
                .containsExactlyInAnyOrderElementsOf(knownExceptions);
    }

    /** Compares sizes with the JVM's histogram; returns how many classes were compared. */
    static int compare(HeapDump dump, JvmHistogram jvm, Map<String, String> mismatches) {
        int compared = 0;
        for (JvmHistogram.Row row : jvm.rows().values()) {
            String name = row.className();
            if (name.startsWith("<") || name.equals("java.lang.Class")) {
                continue;
            }
            HeapClass c = dump.graph().findClass(name);
            Histogram.Entry ours = dump.histogram().entry(name);
            if (c == null || ours == null) {
                continue;
            }
            if (!c.isArray()) {
                compared++;
                if (row.bytes() / row.instances() != c.instanceSize()) {
                    mismatches.put(name, "JVM " + row.bytes() / row.instances() + " bytes, read " + c.instanceSize());
                }
            } else if (ours.instances() == row.instances()) {
                compared++;
                if (ours.shallowBytes() != row.bytes()) {
                    mismatches.put(name, "JVM " + row.bytes() + " bytes, read " + ours.shallowBytes());
                }
            }
        }
        return compared;
    }

    static Stream<Arguments> dumpsWithoutHistograms() {
        return Stream.of(
                Arguments.of("oracle_jdk7_21_x64.hprof", "JDK 5-7", List.of()),
                Arguments.of("oracle_jdk8_05_x64.hprof", "JDK 8-14", List.of()),
                Arguments.of("openjdk_jdk11_04_x64.hprof.gz", "JDK 8-14",
                        List.of("jdk.internal.reflect.DelegatingClassLoader")));
    }

    /**
     * Without a histogram, the addresses are the JVM's word: an instance is followed by the next object at
     * exactly its size, unless garbage or a filler lies between. Classes whose instances are mostly not
     * (java.lang.Class aside: its size is an approximation) are listed; the one known is
     * DelegatingClassLoader on JDK 11, 8 bytes larger than computed, for a reason not found.
     */
    @ParameterizedTest
    @MethodSource("dumpsWithoutHistograms")
    void instanceSizesAgreeWithTheAddressesOfTheNextObject(String name, String generation,
                                                           List<String> knownExceptions) throws IOException {
        try (HeapDump dump = HeapDump.open(SharedDumps.dump(name))) {
            assertThat(dump.info().vmLayout()).contains(generation);
            HeapGraph g = dump.graph();
            Map<String, int[]> matches = new TreeMap<>();
            for (int o = 0; o + 1 < g.objectCount(); o++) {
                if (g.asClass(o) != null || g.asClass(o + 1) != null || g.isArray(o)) {
                    continue;
                }
                int[] counts = matches.computeIfAbsent(g.classOf(o).name(), k -> new int[2]);
                counts[g.objectId(o + 1) - g.objectId(o) == g.shallowSize(o) ? 0 : 1]++;
            }
            List<String> mismatched = matches.entrySet().stream()
                    .filter(e -> e.getValue()[1] > e.getValue()[0] && e.getValue()[1] >= 2)
                    .map(Map.Entry::getKey).filter(n -> !n.equals("java.lang.Class")).toList();
            assertThat(matches.size()).isGreaterThan(200);
            assertThat(mismatched).containsExactlyInAnyOrderElementsOf(knownExceptions);
        }
    }

    @Test
    void compressedReferencesAreInferredFromTheDump() throws IOException {
        try (HeapDump compressed = HeapDump.open(SharedDumps.dump("sun_jdk6_30_x64_compressedOops.hprof"));
             HeapDump wide = HeapDump.open(SharedDumps.dump("sun_jdk6_30_x64_nocompressedOops.hprof"))) {
            assertThat(compressed.info().compressedReferences()).isTrue();
            assertThat(wide.info().compressedReferences()).isFalse();
            assertThat(compressed.graph().findClass("java.lang.String").instanceSize()).isEqualTo(32);
            assertThat(wide.graph().findClass("java.lang.String").instanceSize()).isEqualTo(40);
        }
    }

    @Test
    void theFormatVersionAndIdSizeComeFromTheHeader() throws IOException {
        try (HeapDump dump = HeapDump.open(SharedDumps.dump("sun_jdk6_18_x32.hprof"))) {
            assertThat(dump.info().formatVersion()).isEqualTo("1.0.1");
            assertThat(dump.info().idSize()).isEqualTo(4);
        }
    }

    @Test
    void aGzipDumpReadsAsItsContent() throws IOException {
        try (HeapDump dump = HeapDump.open(SharedDumps.dump("openjdk_jdk11_04_x64.hprof.gz"))) {
            assertThat(dump.info().gzipped()).isTrue();
            assertThat(dump.info().formatVersion()).isEqualTo("1.0.2");
            assertThat(dump.info().bytes()).isEqualTo(14_080_024L);
            assertThat(dump.histogram().entry("java.lang.String").instances()).isEqualTo(46_312);
        }
    }

    @Test
    void progressIsReportedForEveryPhase() throws IOException {
        java.util.Set<String> phases = new java.util.LinkedHashSet<>();
        try (HeapDump dump = HeapDump.open(SharedDumps.dump("openjdk_jdk11_04_x64.hprof.gz"),
                (phase, done, total) -> phases.add(phase))) {
            assertThat(dump.info().objectCount()).isPositive();
        }
        assertThat(phases).contains("decompressing", "indexing objects", "reading references");
    }

    @Test
    void concatenatedGzipMembersReadAsOneDump(@TempDir Path dir) throws IOException {
        Path plain = SharedDumps.dump("oracle_jdk8_05_x64.hprof");
        byte[] bytes = Files.readAllBytes(plain);
        Path members = dir.resolve("members.hprof.gz");
        try (OutputStream out = Files.newOutputStream(members)) {
            int chunk = bytes.length / 3 + 1;
            for (int start = 0; start < bytes.length; start += chunk) {
                try (GZIPOutputStream gz = new GZIPOutputStream(new NonClosing(out))) {
                    gz.write(bytes, start, Math.min(chunk, bytes.length - start));
                }
            }
        }
        try (HeapDump original = HeapDump.open(plain); HeapDump split = HeapDump.open(members)) {
            assertThat(split.info().bytes()).isEqualTo(bytes.length);
            assertThat(split.info().objectCount()).isEqualTo(original.info().objectCount());
            assertThat(split.info().referenceCount()).isEqualTo(original.info().referenceCount());
        }
    }

    /** Lets each gzip member finish without closing the file they share. */
    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {64, 4096, 65_536})
    void smallMemoryMappingsGiveTheSameGraph(long mappingBytes) throws IOException {
        Path file = SharedDumps.dump("sun_jdk6_18_x64.hprof");
        try (HeapDump whole = HeapDump.open(file);
             HeapDump pieces = HeapDump.open(file, ProgressListener.NONE, mappingBytes)) {
            HeapGraph a = whole.graph();
            HeapGraph b = pieces.graph();
            assertThat(b.objectCount()).isEqualTo(a.objectCount());
            assertThat(b.firstReference(b.objectCount())).isEqualTo(a.firstReference(a.objectCount()));
            for (long r = 0; r < a.firstReference(a.objectCount()); r++) {
                assertThat(b.referenceTarget(r)).isEqualTo(a.referenceTarget(r));
            }
            assertThat(rows(pieces.histogram())).isEqualTo(rows(whole.histogram()));
        }
    }

    private static List<String> rows(Histogram histogram) {
        return histogram.entries().stream().map(e -> e.className() + " " + e.instances() + " " + e.shallowBytes())
                .toList();
    }

    @Test
    void theLargeDumpOpensInBoundedMemory() throws IOException {
        try (HeapDump dump = HeapDump.open(SharedDumps.dump("java_pid1884.0001.hprof.gz"))) {
            assertThat(dump.info().bytes()).isEqualTo(522_836_448L);
            Histogram.Entry bytes = dump.histogram().entry("byte[]");
            assertThat(bytes.shallowBytes()).isGreaterThan(500_000_000L);
            assertThat(dump.info().indexBytesPerObject()).isLessThan(12.0);
        }
    }
}
