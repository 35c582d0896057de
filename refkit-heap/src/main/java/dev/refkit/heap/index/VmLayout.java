package dev.refkit.heap.index;

import dev.refkit.heap.DumpInfo;
import dev.refkit.heap.hprof.BasicType;
import java.util.ArrayList;
import java.util.List;

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
 * @param fieldStyle how fields are laid out: {@link #JDK_5_TO_7}, {@link #JDK_8_TO_14} (the same layout,
 *                   with the fields HotSpot injects since JDK 8) or {@link #JDK_15_ON} (holes of super
 *                   classes filled)
 * @param compressedReferences whether references are 32-bit on a 64-bit VM
 */
record VmLayout(String name, int objectHeader, int referenceSize, int arrayLengthEnd, int wordSize,
                int fieldStyle, boolean compressedReferences) {

    static final int OBJECT_ALIGNMENT = 8;
    static final int JDK_5_TO_7 = 0;
    static final int JDK_8_TO_14 = 1;
    static final int JDK_15_ON = 2;

    private static final String[] STYLE_NAMES = {"JDK 5-7 field layout", "JDK 8-14 field layout",
        "JDK 15+ field layout"};

    boolean modernFields() {
        return fieldStyle == JDK_15_ON;
    }

    static VmLayout[] candidates(int idSize) {
        List<VmLayout> all = new ArrayList<>();
        for (int style = JDK_5_TO_7; style <= JDK_15_ON; style++) {
            String layout = ", " + STYLE_NAMES[style];
            if (idSize == 4) {
                all.add(new VmLayout("32-bit" + layout, 8, 4, 12, 4, style, false));
            } else {
                all.add(new VmLayout("64-bit, compressed references" + layout, 12, 4, 16, 8, style, true));
                all.add(new VmLayout("64-bit, uncompressed references" + layout, 16, 8, 20, 8, style, false));
                all.add(new VmLayout("64-bit, compressed class pointers only" + layout, 12, 8, 16, 8, style,
                        false));
            }
        }
        return all.toArray(new VmLayout[0]);
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
