package dev.refkit.heap;

import dev.refkit.heap.hprof.BasicType;

/**
 * One hypothesis about the JVM that wrote a dump: how it laid out objects in memory. HPROF does not say
 * (its field values have the dump's id width, not the VM's reference width), so the reader computes the
 * sizes under every plausible layout and keeps the one under which consecutive object addresses are
 * exactly one object size apart most often.
 *
 * @param name a short description for {@link DumpInfo}
 * @param objectHeader bytes of an instance header (mark word and class pointer)
 * @param referenceSize bytes of a reference field or reference array element
 * @param arrayLengthEnd offset just past an array's length field
 * @param wordSize the VM's word, to which array headers are aligned
 * @param modernFields whether fields are laid out as JDK 15 and later do (holes of super classes filled)
 * @param compressedReferences whether references are 32-bit on a 64-bit VM
 */
record VmLayout(String name, int objectHeader, int referenceSize, int arrayLengthEnd, int wordSize,
                boolean modernFields, boolean compressedReferences) {

    static final int OBJECT_ALIGNMENT = 8;

    static VmLayout[] candidates(int idSize) {
        if (idSize == 4) {
            return new VmLayout[] {
                new VmLayout("32-bit", 8, 4, 12, 4, false, false),
                new VmLayout("32-bit, JDK 15+ field layout", 8, 4, 12, 4, true, false),
            };
        }
        return new VmLayout[] {
            new VmLayout("64-bit, compressed references", 12, 4, 16, 8, false, true),
            new VmLayout("64-bit, uncompressed references", 16, 8, 20, 8, false, false),
            new VmLayout("64-bit, compressed class pointers only", 12, 8, 16, 8, false, false),
            new VmLayout("64-bit, compressed references, JDK 15+ field layout", 12, 4, 16, 8, true, true),
            new VmLayout("64-bit, uncompressed references, JDK 15+ field layout", 16, 8, 20, 8, true, false),
            new VmLayout("64-bit, compressed class pointers only, JDK 15+ field layout", 12, 8, 16, 8, true, false),
        };
    }

    int elementSize(BasicType type) {
        return type == BasicType.OBJECT ? referenceSize : type.byteSize(referenceSize);
    }

    /** Offset of element 0: the header aligned to the word, and to 8 for long and double elements. */
    int arrayBase(BasicType type) {
        int base = align(arrayLengthEnd, wordSize);
        return type == BasicType.LONG || type == BasicType.DOUBLE ? align(base, 8) : base;
    }

    long arraySize(BasicType type, long length) {
        return align(arrayBase(type) + length * elementSize(type), OBJECT_ALIGNMENT);
    }

    static int align(int value, int alignment) {
        return (value + alignment - 1) / alignment * alignment;
    }

    static long align(long value, int alignment) {
        return (value + alignment - 1) / alignment * alignment;
    }
}
