package dev.refkit.heap;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refkit.heap.hprof.BasicType;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dumps small on disk but large in one dimension open in memory proportional to the dump, in seconds: each is
 * opened, references read, in a child JVM of a small heap ({@link BoundedOpen}).
 */
class OneLargeDimensionTest {

    @TempDir
    Path dir;

    private static void assertOpens(BoundedOpen.Result result, long maxMillis) {
        assertThat(result.exitCode()).as("exit code; output: %s", result.output()).isZero();
        assertThat(result.line()).startsWith("opened ");
        assertThat(result.millis()).as("milliseconds").isLessThan(maxMillis);
    }

    /**
     * A class with 65,535 reference fields and 20,000 subclasses that declare none: 57 KB gzipped, 2 MB
     * inflated. Each subclass copied the inherited field lists: OutOfMemoryError in a 4 GB heap after 26 s.
     */
    @Test
    void aClassOfManyFieldsWithThousandsOfSubclassesOpensInASmallHeap() throws Exception {
        Path dump = HostileDumps.gzip(HostileDumps.wideHierarchy(dir.resolve("wide.hprof"), 65_535, 20_000),
                dir.resolve("wide.hprof.gz"));
        assertThat(Files.size(dump)).isLessThan(100_000);
        assertOpens(BoundedOpen.open(dump, 64), 20_000);
    }

    /** A UTF8 record of 2^31 - 1 bytes (a sparse file) naming a class: "Requested array size exceeds VM limit". */
    @Test
    void aTwoGigabyteStringNamingAClassOpensInASmallHeap() throws Exception {
        assertOpens(BoundedOpen.open(HostileDumps.hugeUtf8(dir.resolve("utf8.hprof")), 64), 10_000);
    }

    /** A STACK_TRACE claiming 10^9 frames (4 GB of frame ids, sparse): an 8 GB array was allocated for it. */
    @Test
    void aStackTraceOfABillionFramesOpensInASmallHeap() throws Exception {
        assertOpens(BoundedOpen.open(HostileDumps.hugeStackTrace(dir.resolve("trace.hprof")), 64), 10_000);
    }

    /**
     * A class named by a string of 200 MB: it was copied five times over (1.1 GB RSS). A JVM's names are at most
     * 65,535 bytes; a longer one is kept as its start and its length.
     */
    @Test
    void aClassNamedByA200MegabyteStringOpensInASmallHeapWithItsNameCut() throws Exception {
        Path file = HostileDumps.longClassName(dir.resolve("name.hprof"), 200 << 20);
        assertOpens(BoundedOpen.open(file, 64), 20_000);
        try (HeapDump dump = HeapDump.open(file)) {
            String cut = "… (cut: 209715200 bytes)";
            assertThat(dump.graph().classes()).extracting(HeapClass::name)
                    .anyMatch(name -> name.equals("a".repeat(1024) + cut));
        }
    }

    /** 10 million GC roots (86 MB, 170 KB gzipped): 1.05 GB RSS, a heap of 1 GB needed; now 160 MB is enough. */
    @Test
    void tenMillionGcRootsOpenInAHeapOfTwiceTheDumpsSize() throws Exception {
        Path file = HostileDumps.manyRoots(dir.resolve("roots.hprof"), 10_000_000);
        assertThat(Files.size(file)).isLessThan(100L << 20);
        assertOpens(BoundedOpen.open(file, 224), 20_000);
    }

    /** 20 million empty heap dump segments (172 MB): an object per segment, 1.4 GB RSS. */
    @Test
    void twentyMillionEmptySegmentsOpenInASmallHeap() throws Exception {
        assertOpens(BoundedOpen.open(HostileDumps.emptySegments(dir.resolve("segments.hprof"), 20_000_000), 64),
                20_000);
    }

    /**
     * References of a class that declares one reference and inherits a hundred, and of a subclass of it that
     * declares none: in the dump's order (own fields first), named, with a WeakReference's referent weak.
     */
    @Test
    void referencesOfClassesThatInheritManyAreReadInTheDumpsOrder() throws IOException {
        Path file = dir.resolve("inherits.hprof");
        int inherited = 100;
        try (OutputStream out = Files.newOutputStream(file); HprofWriter w = new HprofWriter(out, 0)) {
            w.loadClass(1, 0x100, "java/lang/Object");
            w.loadClass(2, 0x200, "java/lang/Class");
            w.loadClass(3, 0x300, "app/Base");
            w.loadClass(4, 0x400, "app/Middle");
            w.loadClass(5, 0x500, "app/Leaf");
            w.loadClass(6, 0x600, "java/lang/ref/Reference");
            w.loadClass(7, 0x700, "java/lang/ref/WeakReference");
            w.loadClass(8, 0x800, "app/Tracked");
            HprofWriter.Field[] none = {};
            HprofWriter.Field[] base = new HprofWriter.Field[inherited];
            for (int i = 0; i < inherited; i++) {
                base[i] = new HprofWriter.Field("b" + i, BasicType.OBJECT);
            }
            w.classDump(0x100, 0, 0, 0, none, none);
            w.classDump(0x200, 0x100, 0, 0, none, none);
            w.classDump(0x300, 0x100, 0, 0, none, base);
            w.classDump(0x400, 0x300, 0, 0, none, new HprofWriter.Field[] {
                new HprofWriter.Field("count", BasicType.INT), new HprofWriter.Field("own", BasicType.OBJECT)});
            w.classDump(0x500, 0x400, 0, 0, none, none);
            w.classDump(0x600, 0x100, 0, 0, none, new HprofWriter.Field[] {
                new HprofWriter.Field("referent", BasicType.OBJECT), new HprofWriter.Field("queue", BasicType.OBJECT)});
            w.classDump(0x700, 0x600, 0, 0, none, none);
            w.classDump(0x800, 0x700, 0, 0, none, new HprofWriter.Field[] {
                new HprofWriter.Field("label", BasicType.OBJECT)});
            BasicType[] types = new BasicType[2 + inherited];
            long[] values = new long[2 + inherited];
            types[0] = BasicType.INT;
            values[0] = 7;
            types[1] = BasicType.OBJECT;
            values[1] = 0x9000;
            for (int i = 0; i < inherited; i++) {
                types[2 + i] = BasicType.OBJECT;
                values[2 + i] = 0x10000 + 16L * i;
            }
            w.instance(0x8000, 0x500, types, values);
            w.instance(0x8800, 0x800, new BasicType[] {BasicType.OBJECT, BasicType.OBJECT, BasicType.OBJECT},
                    0x9000, 0x10000, 0);
            w.instance(0x9000, 0x100, new BasicType[0]);
            for (int i = 0; i < inherited; i++) {
                w.instance(0x10000 + 16L * i, 0x100, new BasicType[0]);
            }
        }
        try (HeapDump dump = HeapDump.open(file)) {
            HeapGraph g = dump.graph();
            int leaf = g.objectIndex(0x8000);
            List<String> names = new ArrayList<>();
            List<Long> targets = new ArrayList<>();
            for (long r = g.firstReference(leaf); r < g.firstReference(leaf + 1); r++) {
                names.add(g.referenceName(r));
                targets.add(g.objectId(g.referenceTarget(r)));
            }
            assertThat(names).hasSize(2 + inherited).startsWith("<class>", "own", "b0", "b1").endsWith("b99");
            assertThat(targets.subList(1, 4)).containsExactly(0x9000L, 0x10000L, 0x10010L);
            assertThat(g.fieldValue(leaf, "count")).isEqualTo(7);
            assertThat(((ObjectRef) g.fieldValue(leaf, "b99")).id()).isEqualTo(0x10000 + 16L * 99);
            int tracked = g.objectIndex(0x8800);
            for (long r = g.firstReference(tracked); r < g.firstReference(tracked + 1); r++) {
                String name = g.referenceName(r);
                ReferenceKind expected = name.equals("referent") ? ReferenceKind.WEAK_REFERENT
                        : name.equals("<class>") ? ReferenceKind.CLASS_STRUCTURE : ReferenceKind.FIELD;
                assertThat(g.referenceKind(r)).as(name).isEqualTo(expected);
            }
        }
    }
}
