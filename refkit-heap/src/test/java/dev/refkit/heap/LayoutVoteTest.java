package dev.refkit.heap;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refkit.heap.HprofWriter.Field;
import dev.refkit.heap.hprof.BasicType;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The VM layout is inferred from the gaps between object addresses. The field layouts of JDK 8-14 and 15+
 * differ only for classes whose fields can fill a hole their super class leaves; in a large dump the
 * objects sampled for the vote may include none of them, and still the layout must come out right.
 */
class LayoutVoteTest {

    private static final long OBJECT = 0x7f00_0000L;
    private static final long CLASS = OBJECT + 0x100;
    private static final long COUNTER = OBJECT + 0x200;
    private static final long BASE = OBJECT + 0x300;
    private static final long DERIVED = OBJECT + 0x400;
    private static final long HEAP = 0x1000_0000L;

    @TempDir
    Path dir;

    @Test
    void aFewObjectsThatTellTheFieldLayoutsApartDecideItWhereverTheyAre() throws IOException {
        // Counter {int value}: 16 bytes under every 64-bit layout with compressed references.
        // Base {long x}: 24 bytes, leaving a 4-byte hole after the 12-byte header.
        // Derived extends Base {int y}: JDK 15+ puts y into that hole (24 bytes), older JDKs after x (32).
        int counters = 300_000;
        int stride = (counters + 16) / (1 << 14);
        Path file = dir.resolve("layout.hprof");
        BasicType[] counterFields = {BasicType.INT};
        BasicType[] derivedFields = {BasicType.INT, BasicType.LONG};
        int derived = 0;
        try (OutputStream out = Files.newOutputStream(file); HprofWriter w = new HprofWriter(out, 0)) {
            w.loadClass(1, OBJECT, "java/lang/Object");
            w.loadClass(2, CLASS, "java/lang/Class");
            w.loadClass(3, COUNTER, "example/Counter");
            w.loadClass(4, BASE, "example/Base");
            w.loadClass(5, DERIVED, "example/Derived");
            Field[] none = {};
            w.classDump(OBJECT, 0, 0, 0, none, none);
            w.classDump(CLASS, OBJECT, 0, 0, none, none);
            w.classDump(COUNTER, OBJECT, 0, 4, none, new Field[] {new Field("value", BasicType.INT)});
            w.classDump(BASE, OBJECT, 0, 8, none, new Field[] {new Field("x", BasicType.LONG)});
            w.classDump(DERIVED, BASE, 0, 4, none, new Field[] {new Field("y", BasicType.INT)});
            long address = HEAP;
            for (int i = 0; i < counters; i++) {
                // a Derived now and then, never where the evenly spread sample looks (indexes k * stride)
                if (i % 50_000 == 1 && i % stride != 0) {
                    w.instance(address, DERIVED, derivedFields, 7, 8);
                    address += 24;
                    derived++;
                } else {
                    w.instance(address, COUNTER, counterFields, i);
                    address += 16;
                }
            }
        }
        try (HeapDump dump = HeapDump.open(file)) {
            assertThat(dump.info().vmLayout()).contains("compressed references").contains("JDK 15+");
            assertThat(dump.histogram().entry("example.Derived").instances()).isEqualTo(derived);
            assertThat(dump.histogram().entry("example.Derived").shallowBytes()).isEqualTo(24L * derived);
            assertThat(dump.histogram().entry("example.Counter").shallowBytes())
                    .isEqualTo(16L * (counters - derived));
        }
    }
}
