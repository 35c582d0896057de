package dev.refkit.bench;

import dev.refkit.heap.analysis.Reachability;
import dev.refkit.heap.hprof.BasicType;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * What the generated heaps share: classes, addresses, and sub-records written with their tally.
 *
 * <p>Addresses are handed out in ascending order ({@link #allocate}) and every object is written in the order
 * of its address, as HotSpot walks a compacted heap; a generator that needs an address ahead of the object
 * written next (a list node's {@code next}) allocates the objects in between first. Ids are addresses: 8-byte
 * aligned, one object size apart, in a zero-based compressed-references heap (8-byte ids) or a 32-bit heap
 * (4-byte ids). In the dense form (more objects than 8-byte aligned 32-bit addresses allow) an id is one past
 * the previous object's.
 */
abstract class HeapGenerator {

    /**
     * The first heap address with 8-byte ids: 8 GB, so that the 20 GB heap of a 300 million object dump ends below
     * 32 GB, as a zero-based compressed-references heap does.
     */
    static final long HEAP_BASE_64 = 0x2_0000_0000L;
    /** The first heap address with 4-byte ids. */
    static final long HEAP_BASE_32 = 0x1000_0000L;
    /** The first id of a dense heap. */
    static final long DENSE_BASE = 0x1_0000L;
    /** When the dump says it was written: fixed, so that a seed gives the same file. */
    static final long TIMESTAMP = 1_735_689_600_000L;

    final HprofStream out;
    final int idSize;
    /** The VM's object header: 12 bytes (64-bit, compressed class pointers) or 8 (32-bit). */
    final int header;
    /** Offset of an array's first element. */
    final int arrayBase;
    final boolean dense;
    final DumpTally tally = new DumpTally();
    final List<DumpClass> classes = new ArrayList<>();
    final DumpClass javaLangObject;
    final DumpClass javaLangClass;
    private final long addressLimit;
    /** The next free address. */
    long top;

    HeapGenerator(HprofStream out, boolean dense) {
        this.out = out;
        this.idSize = out.idSize();
        this.header = idSize == 8 ? 12 : 8;
        this.arrayBase = idSize == 8 ? 16 : 12;
        this.dense = dense;
        this.top = dense ? DENSE_BASE : idSize == 8 ? HEAP_BASE_64 : HEAP_BASE_32;
        this.addressLimit = idSize == 8 ? Long.MAX_VALUE : 0xffff_ffffL;
        javaLangObject = define("java/lang/Object", null);
        javaLangClass = define("java/lang/Class", javaLangObject,
                field("cachedConstructor", DumpClass.L), field("name", DumpClass.L), field("module", DumpClass.L),
                field("classLoader", DumpClass.L), field("classData", DumpClass.L),
                field("packageName", DumpClass.L), field("componentType", DumpClass.L),
                field("reflectionData", DumpClass.L), field("classRedefinedCount", DumpClass.I),
                field("genericInfo", DumpClass.L), field("enumConstants", DumpClass.L),
                field("enumConstantDirectory", DumpClass.L), field("annotationData", DumpClass.L),
                field("annotationType", DumpClass.L), field("classValueMap", DumpClass.L));
    }

    static DumpClass.Field field(String name, BasicType type) {
        return DumpClass.field(name, type);
    }

    final DumpClass define(String vmName, DumpClass superClass, DumpClass.Field... fields) {
        DumpClass c = new DumpClass(vmName, superClass, fields);
        classes.add(c);
        c.serial = classes.size();
        return c;
    }

    /** Hands out the next address for an object of {@code size} bytes. */
    final long allocate(long size) {
        long address = top;
        top += dense ? 1 : size;
        if (top > addressLimit) {
            throw new IllegalStateException("the heap outgrew 4-byte ids at " + tally.objects()
                    + " objects; use --ids 8, or --minimal for the dense ids of more objects");
        }
        return address;
    }

    final long instanceSize(DumpClass c) {
        return c.instanceSize(header);
    }

    final long objectArraySize(long length) {
        return DumpClass.align(arrayBase + 4 * length);
    }

    final long byteArraySize(long length) {
        return DumpClass.align(arrayBase + length);
    }

    /** Gives every class its object's address, at the start of the heap; statics must be declared by now. */
    final void allocateClassObjects() {
        for (DumpClass c : classes) {
            c.id = allocate(c.mirrorSize(javaLangClass, header));
        }
    }

    /**
     * The records ahead of the heap: LOAD_CLASS and the symbols, the stack traces ({@link #writeStackTraces}),
     * then the CLASS_DUMPs, the first heap sub-records.
     */
    final void writePrologue() throws IOException {
        for (DumpClass c : classes) {
            c.writeLoadClass(out);
        }
        writeStackTraces();
        for (DumpClass c : classes) {
            c.writeClassDump(out, idSize);
            tally.classes++;
            tally.object(Reachability.STRONG, c.mirrorSize(javaLangClass, header));
            tally.references += (c.superClass == null ? 0 : 1) + c.staticReferences();
        }
    }

    /** STACK_FRAME and STACK_TRACE records, for the threads the heap's roots name. */
    void writeStackTraces() throws IOException {
    }

    // ---- sub-records; each one's references are counted as the reader counts edges ----

    /** Starts an INSTANCE_DUMP; its fields follow, the class's own first, then its super classes'. */
    final void instance(long id, DumpClass c, Reachability reachability) throws IOException {
        int data = c.dataBytes(idSize);
        out.begin(1 + idSize + 4 + idSize + 4 + data);
        out.u1(HprofStream.INSTANCE_DUMP);
        out.id(id);
        out.u4(0);
        out.id(c.id);
        out.u4(data);
        tally.instances++;
        tally.references++; // the object's class
        tally.object(reachability, instanceSize(c));
    }

    /** A reference field of the instance being written. */
    final void ref(long id) {
        out.id(id);
        if (id != 0) {
            tally.references++;
        }
    }

    /** Starts an OBJ_ARRAY_DUMP; its elements follow ({@link #element}), then {@link HprofStream#end()}. */
    final void objectArray(long id, DumpClass arrayClass, int length, Reachability reachability) throws IOException {
        out.begin(1 + idSize + 4 + 4 + idSize + (long) length * idSize);
        out.u1(HprofStream.OBJECT_ARRAY_DUMP);
        out.id(id);
        out.u4(0);
        out.u4(length);
        out.id(arrayClass.id);
        tally.objectArrays++;
        tally.references++;
        tally.object(reachability, objectArraySize(length));
    }

    final void element(long id) throws IOException {
        out.element(id);
        if (id != 0) {
            tally.references++;
        }
    }

    /** Elements {@code ids[0 .. n - 1]}. */
    final void elements(long[] ids, int n) throws IOException {
        for (int i = 0; i < n; i++) {
            if (ids[i] != 0) {
                tally.references++;
            }
        }
        out.elements(ids, n);
    }

    /** Starts a PRIM_ARRAY_DUMP of bytes; its {@code length} bytes follow, then {@link HprofStream#end()}. */
    final void byteArray(long id, int length, Reachability reachability) throws IOException {
        out.begin(1 + idSize + 4 + 4 + 1 + (long) length);
        out.u1(HprofStream.PRIMITIVE_ARRAY_DUMP);
        out.id(id);
        out.u4(0);
        out.u4(length);
        out.u1(BasicType.BYTE.code());
        tally.primitiveArrays++;
        tally.references++;
        tally.object(reachability, byteArraySize(length));
    }

    final void rootStickyClass(long id) throws IOException {
        out.begin(1 + idSize);
        out.u1(HprofStream.ROOT_STICKY_CLASS);
        out.id(id);
        tally.gcRoots++;
    }

    final void rootThreadObject(long id, int threadSerial, int traceSerial) throws IOException {
        out.begin(1 + idSize + 8);
        out.u1(HprofStream.ROOT_THREAD_OBJECT);
        out.id(id);
        out.u4(threadSerial);
        out.u4(traceSerial);
        tally.gcRoots++;
    }

    final void rootJavaFrame(long id, int threadSerial, int depth) throws IOException {
        out.begin(1 + idSize + 8);
        out.u1(HprofStream.ROOT_JAVA_FRAME);
        out.id(id);
        out.u4(threadSerial);
        out.u4(depth);
        tally.gcRoots++;
    }

    /** A JNI global root; its second id is the JNI handle, an address outside the heap. */
    final void rootJniGlobal(long id, long handle) throws IOException {
        out.begin(1 + 2L * idSize);
        out.u1(HprofStream.ROOT_JNI_GLOBAL);
        out.id(id);
        out.id(handle);
        tally.gcRoots++;
    }
}
