package dev.refkit.bench;

import dev.refkit.heap.hprof.BasicType;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A class as a generated dump describes it: its VM name, super class, instance fields in the dump's order and
 * static fields with their values; written as a LOAD_CLASS record and a CLASS_DUMP sub-record.
 *
 * <p>Sizes are those of the VM the dump pretends to come from: a 12-byte header and 4-byte references (64-bit,
 * compressed) or an 8-byte header (32-bit), and the JDK 15+ field layout. The classes of
 * {@link SyntheticJvmHeap} are chosen so that this layout leaves no hole a field could not fill (a class with a
 * {@code long} also has a 4-byte field for the gap after a 12-byte header), so an instance's size is its header
 * and its fields rounded up to 8, and consecutive objects are exactly one size apart, as the reader expects.
 */
final class DumpClass {

    /** A field or a static: name, type and, for a static, its value (an object id or the primitive's bits). */
    record Field(String name, BasicType type, long value) {
        Field(String name, BasicType type) {
            this(name, type, 0);
        }
    }

    static final BasicType L = BasicType.OBJECT;
    static final BasicType I = BasicType.INT;
    static final BasicType J = BasicType.LONG;
    static final BasicType B = BasicType.BYTE;
    static final BasicType Z = BasicType.BOOLEAN;
    static final BasicType F = BasicType.FLOAT;

    final String vmName;
    final DumpClass superClass;
    final Field[] fields;
    final List<Field> statics = new ArrayList<>();
    /** The class object's address; set when the heap is laid out. */
    long id;
    int serial;
    private int cachedIdSize;
    private int cachedDataBytes;
    private int cachedHeader;
    private long cachedSize;
    private long[] staticNames;
    private long[] fieldNames;

    DumpClass(String vmName, DumpClass superClass, Field... fields) {
        this.vmName = vmName;
        this.superClass = superClass;
        this.fields = fields;
    }

    static Field field(String name, BasicType type) {
        return new Field(name, type);
    }

    /** Adds a static field; object statics take the id of the object they hold. */
    DumpClass staticField(String name, BasicType type, long value) {
        statics.add(new Field(name, type, value));
        return this;
    }

    /** Sets the value of a static declared before. */
    void setStatic(String name, long value) {
        for (int i = 0; i < statics.size(); i++) {
            if (statics.get(i).name().equals(name)) {
                statics.set(i, new Field(name, statics.get(i).type(), value));
                return;
            }
        }
        throw new IllegalArgumentException(vmName + " declares no static " + name);
    }

    /** Bytes of an INSTANCE_DUMP's field data: this class's fields, then its super classes'. */
    int dataBytes(int idSize) {
        if (idSize == cachedIdSize) {
            return cachedDataBytes;
        }
        int n = 0;
        for (DumpClass c = this; c != null; c = c.superClass) {
            for (Field f : c.fields) {
                n += f.type().byteSize(idSize);
            }
        }
        cachedIdSize = idSize;
        cachedDataBytes = n;
        return n;
    }

    /** Bytes the fields take in the VM, references at 4 bytes. */
    int heapFieldBytes() {
        int n = 0;
        for (DumpClass c = this; c != null; c = c.superClass) {
            for (Field f : c.fields) {
                n += f.type().byteSize(4);
            }
        }
        return n;
    }

    /** Bytes of an instance in the VM with an object header of {@code header} bytes. */
    long instanceSize(int header) {
        if (header != cachedHeader) {
            cachedSize = align(header + heapFieldBytes());
            cachedHeader = header;
        }
        return cachedSize;
    }

    /** Bytes of the class object (a {@code java.lang.Class} with the statics), as the reader estimates them. */
    long mirrorSize(DumpClass javaLangClass, int header) {
        long size = javaLangClass.instanceSize(header);
        for (Field f : statics) {
            size += f.type().byteSize(4);
        }
        return align(size);
    }

    static long align(long bytes) {
        return (bytes + 7) & ~7L;
    }

    /** Object references among the statics that are not null. */
    int staticReferences() {
        int n = 0;
        for (Field f : statics) {
            if (f.type() == BasicType.OBJECT && f.value() != 0) {
                n++;
            }
        }
        return n;
    }

    /**
     * The LOAD_CLASS record and the symbols of the class's name and fields, which must all come before the heap
     * dump segments (as HotSpot writes them).
     */
    void writeLoadClass(HprofStream out) throws IOException {
        out.loadClass(serial, id, out.symbol(vmName));
        staticNames = new long[statics.size()];
        for (int i = 0; i < staticNames.length; i++) {
            staticNames[i] = out.symbol(statics.get(i).name());
        }
        fieldNames = new long[fields.length];
        for (int i = 0; i < fields.length; i++) {
            fieldNames[i] = out.symbol(fields[i].name());
        }
    }

    /** The CLASS_DUMP, after {@link #writeLoadClass}. */
    void writeClassDump(HprofStream out, int idSize) throws IOException {
        long bytes = 1 + idSize + 4 + 6L * idSize + 4 + 2 + 2 + 2 + (long) fields.length * (idSize + 1);
        for (Field f : statics) {
            bytes += idSize + 1 + f.type().byteSize(idSize);
        }
        out.begin(bytes);
        out.u1(HprofStream.CLASS_DUMP);
        out.id(id);
        out.u4(0);
        out.id(superClass == null ? 0 : superClass.id);
        for (int i = 0; i < 5; i++) {
            out.id(0); // class loader (the bootstrap's), signers, protection domain, two reserved
        }
        out.u4(dataBytes(idSize));
        out.u2(0);
        out.u2(statics.size());
        for (int i = 0; i < staticNames.length; i++) {
            Field f = statics.get(i);
            out.id(staticNames[i]);
            out.u1(f.type().code());
            switch (f.type().byteSize(idSize)) {
                case 1 -> out.u1((int) f.value());
                case 2 -> out.u2((int) f.value());
                case 4 -> out.u4((int) f.value());
                default -> out.u8(f.value());
            }
        }
        out.u2(fields.length);
        for (int i = 0; i < fields.length; i++) {
            out.id(fieldNames[i]);
            out.u1(fields[i].type().code());
        }
        out.end();
    }
}
