package dev.refkit.heap.index;

import dev.refkit.heap.hprof.BasicType;
import java.util.Arrays;
import java.util.List;

/**
 * Where a HotSpot VM puts the instance fields of one class, computed far enough to know the instance size
 * and what a subclass inherits.
 *
 * <p>Implementation notes. Two algorithms, after HotSpot's class file parser:
 * <ul>
 * <li><b>Legacy</b> (JDK 5 to 14, field allocation style 1, compact fields): a class's fields start where
 * its super class's fields end, rounded up to the reference size. Longs and doubles come first, aligned to
 * 8; a 4-byte gap before them (a 12-byte header) is filled with one int or float, else shorts, else bytes,
 * else one compressed reference. Then ints and floats, shorts and chars, bytes and booleans, and last the
 * references, aligned to the reference size.
 * <li><b>Modern</b> (JDK 15 and later): the super class's layout, holes included (the 4-byte gap after a
 * 12-byte header too), is the starting point; primitive fields by decreasing size, then references, each
 * go into the smallest hole that fits it at its natural alignment, else at the end.
 * </ul>
 * The instance size is the end of the last field or padding rounded up to the 8-byte object alignment.
 *
 * <p>Two things the dump does not show are supplied from what HotSpot does: fields the VM injects into a
 * few classes ({@code ClassLoader.loader_data}, {@code MemberName.vmindex}, ...; see {@link #injected}),
 * and the padding of the JDK classes annotated {@code @Contended} ({@link ContendedFields}: which classes
 * and fields, by JDK; {@link #legacy} and {@link #modern}: where each generation puts the 128 bytes).
 */
final class FieldLayout {
    /** Offset where the next class's fields start (legacy), or the end of the last field (modern). */
    final int end;
    /** Modern layout only: pairs of (offset, size) of the holes a subclass may fill, sorted by offset. */
    final int[] holes;
    final int instanceSize;
    /** Modern layout only: the class or a super class has {@code @Contended} fields or is annotated. */
    final boolean contended;

    private FieldLayout(int end, int[] holes, int instanceSize, boolean contended) {
        this.end = end;
        this.holes = holes;
        this.instanceSize = instanceSize;
        this.contended = contended;
    }

    /** The layout of {@code java.lang.Object} or any class without a super class. */
    static FieldLayout root(VmLayout vm) {
        return new FieldLayout(vm.objectHeader(), new int[0], VmLayout.align(vm.objectHeader(), 8), false);
    }

    /**
     * Fields HotSpot injects into a class: not in the dump, but in the object. Which ones depends on the
     * JDK: none before 8; {@code ClassLoader.loader_data} from 8; {@code MemberName} has two words until
     * {@code ResolvedMethodName} (JDK 10) takes one of them; {@code ResolvedMethodName} has its
     * {@code vmholder} injected too until a JDK declares it; {@code CallSiteContext} has one word until
     * JDK 15 and two after; the {@code Thread} of JDK 19 and later (recognised by its {@code holder} field)
     * carries JVMTI state: a word, an int and three booleans, as measured against JDK 25's own histogram
     * (JDK 19 to 24 were not measured; a field more or less there would change a size only where it
     * decides the 8-byte rounding). {@code InternalError} carries a boolean (whether it was thrown during
     * an unsafe access: {@code java_lang_InternalError::_during_unsafe_access_offset} in the JDK 17 and 25
     * VMs); it decides the rounding only with uncompressed references, where JDK 25 counts 64 bytes, not
     * 56. It is supplied from JDK 15's field layout on; in the layout of JDK 8 to 14 it would not change the
     * size of {@code InternalError} itself.
     */
    static BasicType[] injected(String className, List<ClassRecord.Field> declared, VmLayout vm,
                                boolean hasResolvedMethodName) {
        if (vm.fieldStyle() == VmLayout.JDK_5_TO_7) {
            return new BasicType[0];
        }
        BasicType address = vm.wordSize() == 8 ? BasicType.LONG : BasicType.INT;
        switch (className) {
            case "java.lang.ClassLoader":
            case "java.lang.Module":
                return new BasicType[] {address};
            case "java.lang.invoke.MemberName":
                return hasResolvedMethodName ? new BasicType[] {address} : new BasicType[] {address, address};
            case "java.lang.Thread":
                return declares(declared, "holder") ? new BasicType[] {
                    address, BasicType.INT, BasicType.BOOLEAN, BasicType.BOOLEAN, BasicType.BOOLEAN}
                        : new BasicType[0];
            case "java.lang.invoke.ResolvedMethodName":
                return declares(declared, "vmholder") ? new BasicType[] {address}
                        : new BasicType[] {address, BasicType.OBJECT};
            case "java.lang.invoke.MethodHandleNatives$CallSiteContext":
                return vm.modernFields() ? new BasicType[] {address, address} : new BasicType[] {address};
            case "java.lang.InternalError":
                return vm.modernFields() ? new BasicType[] {BasicType.BOOLEAN} : new BasicType[0];
            default:
                return new BasicType[0];
        }
    }

    private static boolean declares(List<ClassRecord.Field> fields, String name) {
        for (ClassRecord.Field f : fields) {
            if (f.name().equals(name)) {
                return true;
            }
        }
        return false;
    }

    /** {@code -XX:ContendedPaddingWidth}'s default. */
    static final int CONTENDED_PADDING = 128;

    /**
     * The layout of a class from its super class's.
     *
     * @param regular    the fields not annotated {@code @Contended}, as the dump declares them, then those the
     *                   VM injects
     * @param groups     the annotated fields, one array per group ({@link ContendedFields}), each as declared
     * @param wholeClass whether the class itself is annotated
     */
    static FieldLayout of(FieldLayout superLayout, BasicType[] regular, BasicType[][] groups, boolean wholeClass,
                          VmLayout vm) {
        if (vm.fieldStyle() == VmLayout.JDK_5_TO_7 && (wholeClass || groups.length > 0)) {
            return of(superLayout, concat(regular, groups), new BasicType[0][], false, vm);
        }
        return vm.modernFields() ? modern(superLayout, regular, groups, wholeClass, vm)
                : legacy(superLayout, regular, groups, wholeClass, vm);
    }

    private static BasicType[] concat(BasicType[] regular, BasicType[][] groups) {
        BasicType[] all = regular;
        for (BasicType[] group : groups) {
            int at = all.length;
            all = Arrays.copyOf(all, at + group.length);
            System.arraycopy(group, 0, all, at, group.length);
        }
        return all;
    }

    /**
     * JDK 8 to 14: the regular fields packed from where the super class's end (after a padding when the class is
     * annotated); then, when there are annotated fields, a padding and each group in turn, its fields as
     * declared at their natural alignment, each group followed by a padding; then a padding when the class is
     * annotated. Subclasses start at the end rounded up to the reference size.
     */
    private static FieldLayout legacy(FieldLayout sup, BasicType[] regular, BasicType[][] groups, boolean wholeClass,
                                      VmLayout vm) {
        if (regular.length == 0 && groups.length == 0 && !wholeClass) {
            return new FieldLayout(sup.end, null, sup.instanceSize, false);
        }
        int oop = vm.referenceSize();
        int offset = legacyPack(sup.end + (wholeClass ? CONTENDED_PADDING : 0), regular, vm);
        if (groups.length > 0) {
            offset += CONTENDED_PADDING;
            for (BasicType[] group : groups) {
                for (BasicType t : group) {
                    int size = vm.elementSize(t);
                    offset = VmLayout.align(offset, size) + size;
                }
                offset += CONTENDED_PADDING;
            }
        }
        if (wholeClass) {
            offset += CONTENDED_PADDING;
        }
        int size = VmLayout.align(VmLayout.align(offset, vm.wordSize()), VmLayout.OBJECT_ALIGNMENT);
        return new FieldLayout(VmLayout.align(offset, oop), null, size, false);
    }

    /** The legacy packing of {@code declared} from {@code start}; returns the end, not rounded. */
    private static int legacyPack(int start, BasicType[] declared, VmLayout vm) {
        int oop = vm.referenceSize();
        int n8 = 0;
        int n4 = 0;
        int n2 = 0;
        int n1 = 0;
        int nOop = 0;
        for (BasicType t : declared) {
            switch (t == BasicType.OBJECT ? oop : t.byteSize(oop)) {
                case 8 -> {
                    if (t == BasicType.OBJECT) {
                        nOop++;
                    } else {
                        n8++;
                    }
                }
                case 4 -> {
                    if (t == BasicType.OBJECT) {
                        nOop++;
                    } else {
                        n4++;
                    }
                }
                case 2 -> n2++;
                default -> n1++;
            }
        }
        int offset = start;
        if (n8 > 0 && offset % 8 != 0) {
            int gap = 8 - offset % 8;
            if (n4 > 0 && gap >= 4) {
                n4--;
                gap -= 4;
            }
            while (gap >= 2 && n2 > 0) {
                n2--;
                gap -= 2;
            }
            while (gap > 0 && n1 > 0) {
                n1--;
                gap--;
            }
            if (gap >= oop && nOop > 0) {
                nOop--;
            }
            offset = VmLayout.align(offset, 8);
        }
        offset += n8 * 8 + n4 * 4 + n2 * 2 + n1;
        if (nOop > 0) {
            offset = VmLayout.align(offset, oop) + nOop * oop;
        }
        return offset;
    }

    /**
     * JDK 15 and later (HotSpot's FieldLayoutBuilder): fields go into the holes of the super class's layout or at
     * the end. A class that is annotated starts with a padding and only appends; each group of annotated fields
     * follows a padding at the end; a padding closes a class with either. A class with annotations, its own or
     * inherited, leaves its subclasses none of its holes, and a subclass's fields start a padding after the
     * super class's last field (which restores the super class's closing padding, if it had one).
     */
    private static FieldLayout modern(FieldLayout sup, BasicType[] regular, BasicType[][] groups, boolean wholeClass,
                                      VmLayout vm) {
        boolean contended = sup.contended || wholeClass || groups.length > 0;
        Placement at = new Placement(sup.contended ? new int[0] : sup.holes,
                sup.contended ? sup.end + CONTENDED_PADDING : sup.end, sup.end);
        if (wholeClass) {
            at.cursor += CONTENDED_PADDING;
        }
        at.place(sizes(regular, vm), !wholeClass && !sup.contended);
        for (BasicType[] group : groups) {
            at.cursor += CONTENDED_PADDING;
            at.place(sizes(group, vm), false);
        }
        int end = at.cursor + (wholeClass || groups.length > 0 ? CONTENDED_PADDING : 0);
        int size = VmLayout.align(VmLayout.align(end, vm.wordSize()), VmLayout.OBJECT_ALIGNMENT);
        return new FieldLayout(at.fieldsEnd, contended ? new int[0] : at.holes, size, contended);
    }

    /** Sizes of fields in the order the modern layout places them: primitives largest first, then references. */
    private static int[] sizes(BasicType[] types, VmLayout vm) {
        int oop = vm.referenceSize();
        int[] sizes = new int[types.length];
        int primitives = 0;
        for (BasicType t : types) {
            if (t != BasicType.OBJECT) {
                sizes[primitives++] = t.byteSize(oop);
            }
        }
        Arrays.sort(sizes, 0, primitives);
        for (int i = 0, j = primitives - 1; i < j; i++, j--) {
            int t = sizes[i];
            sizes[i] = sizes[j];
            sizes[j] = t;
        }
        for (int i = primitives; i < sizes.length; i++) {
            sizes[i] = oop;
        }
        return sizes;
    }

    /** Where the modern layout puts fields: holes (offset, size pairs, by offset) and the end of the layout. */
    private static final class Placement {
        int[] holes;
        /** Where a field appended goes (aligned): the end of the last field or padding. */
        int cursor;
        /** The end of the last field, paddings not counted. */
        int fieldsEnd;

        Placement(int[] holes, int cursor, int fieldsEnd) {
            this.holes = holes;
            this.cursor = cursor;
            this.fieldsEnd = fieldsEnd;
        }

        /** Places fields of these sizes, each into the smallest hole that fits it if {@code useHoles}, else last. */
        void place(int[] sizes, boolean useHoles) {
            for (int s : sizes) {
                int best = -1;
                if (useHoles) {
                    for (int h = holes.length / 2 - 1; h >= 0; h--) {
                        int at = holes[2 * h];
                        int adj = (s - at % s) % s;
                        if (holes[2 * h + 1] >= s + adj && (best < 0 || holes[2 * h + 1] < holes[2 * best + 1])) {
                            best = h;
                        }
                    }
                }
                if (best >= 0) {
                    int at = holes[2 * best];
                    int length = holes[2 * best + 1];
                    int adj = (s - at % s) % s;
                    int[] replacement = new int[4];
                    int r = 0;
                    if (adj > 0) {
                        replacement[r++] = at;
                        replacement[r++] = adj;
                    }
                    if (length - adj - s > 0) {
                        replacement[r++] = at + adj + s;
                        replacement[r++] = length - adj - s;
                    }
                    int[] next = new int[holes.length - 2 + r];
                    System.arraycopy(holes, 0, next, 0, 2 * best);
                    System.arraycopy(replacement, 0, next, 2 * best, r);
                    System.arraycopy(holes, 2 * best + 2, next, 2 * best + r, holes.length - 2 * best - 2);
                    holes = next;
                    fieldsEnd = Math.max(fieldsEnd, at + adj + s);
                } else {
                    int at = VmLayout.align(cursor, s);
                    if (at > cursor) {
                        holes = Arrays.copyOf(holes, holes.length + 2);
                        holes[holes.length - 2] = cursor;
                        holes[holes.length - 1] = at - cursor;
                    }
                    cursor = at + s;
                    fieldsEnd = Math.max(fieldsEnd, cursor);
                }
            }
        }
    }
}
