package dev.refkit.heap;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refkit.heap.HprofWriter.Field;
import dev.refkit.heap.hprof.BasicType;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Android's HPROF 1.0.3: extra root kinds, HEAP_DUMP_INFO and PRIMITIVE_ARRAY_NODATA are read. */
class AndroidDumpTest {

    private static final long OBJECT = 0x100;
    private static final long CLASS = 0x200;
    private static final long STRING = 0x300;
    private static final long INSTANCE = 0x1000;
    private static final long NO_DATA_ARRAY = 0x1010;

    @TempDir
    Path dir;

    private static byte[] subRecord(int tag, long id, int... ints) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeByte(tag);
        out.writeLong(id);
        for (int i : ints) {
            out.writeInt(i);
        }
        return bytes.toByteArray();
    }

    private Path androidDump() throws IOException {
        Path file = dir.resolve("android.hprof");
        try (OutputStream out = Files.newOutputStream(file);
             HprofWriter w = new HprofWriter(out, 0, "1.0.3")) {
            w.loadClass(1, OBJECT, "java.lang.Object");
            w.loadClass(2, CLASS, "java.lang.Class");
            w.loadClass(3, STRING, "java.lang.String");
            long heapName = w.string("app");
            ByteArrayOutputStream info = new ByteArrayOutputStream();
            DataOutputStream i = new DataOutputStream(info);
            i.writeByte(0xfe);
            i.writeInt(0x41);
            i.writeLong(heapName);
            w.subRecord(info.toByteArray());
            Field[] none = {};
            w.classDump(OBJECT, 0, 0, 0, none, none);
            w.classDump(CLASS, OBJECT, 0, 0, none, none);
            w.classDump(STRING, OBJECT, 0, 8, none, new Field[] {new Field("count", BasicType.INT),
                new Field("hashCode", BasicType.INT)});
            w.instance(INSTANCE, STRING, new BasicType[] {BasicType.INT, BasicType.INT}, 0, 0);
            ByteArrayOutputStream noData = new ByteArrayOutputStream();
            DataOutputStream n = new DataOutputStream(noData);
            n.writeByte(0xc3);
            n.writeLong(NO_DATA_ARRAY);
            n.writeInt(0);
            n.writeInt(1000);
            n.writeByte(BasicType.CHAR.code());
            w.subRecord(noData.toByteArray());
            w.subRecord(subRecord(0x89, INSTANCE));
            w.subRecord(subRecord(0x8a, INSTANCE));
            w.subRecord(subRecord(0x8b, INSTANCE));
            w.subRecord(subRecord(0x8c, INSTANCE));
            w.subRecord(subRecord(0x8d, NO_DATA_ARRAY));
            w.subRecord(subRecord(0x8e, INSTANCE, 1, 0));
            w.subRecord(subRecord(0x90, INSTANCE));
        }
        return file;
    }

    @Test
    void androidRootKindsAreRead() throws IOException {
        try (HeapDump dump = HeapDump.open(androidDump())) {
            assertThat(dump.info().formatVersion()).isEqualTo("1.0.3");
            Set<GcRootKind> kinds = EnumSet.noneOf(GcRootKind.class);
            for (int i = 0; i < dump.graph().gcRootCount(); i++) {
                kinds.add(dump.graph().gcRoot(i).kind());
            }
            assertThat(kinds).containsExactlyInAnyOrder(GcRootKind.INTERNED_STRING, GcRootKind.FINALIZING,
                    GcRootKind.DEBUGGER, GcRootKind.REFERENCE_CLEANUP, GcRootKind.VM_INTERNAL,
                    GcRootKind.JNI_MONITOR, GcRootKind.UNREACHABLE);
        }
    }

    @Test
    void aPrimitiveArrayWithoutDataHasItsLengthAndType() throws IOException {
        try (HeapDump dump = HeapDump.open(androidDump())) {
            HeapGraph g = dump.graph();
            int array = g.objectIndex(NO_DATA_ARRAY);
            assertThat(g.arrayLength(array)).isEqualTo(1000);
            assertThat(g.classOf(array).name()).isEqualTo("char[]");
            assertThat(dump.histogram().entry("java.lang.String").instances()).isEqualTo(1);
        }
    }
}
