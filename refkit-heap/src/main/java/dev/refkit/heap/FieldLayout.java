package dev.refkit.heap;

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
 * The instance size is the end of the last field rounded up to the 8-byte object alignment.
 *
 * <p>Two things the dump does not show are supplied from what HotSpot does: fields the VM injects into a
 * few classes ({@code ClassLoader.loader_data}, {@code MemberName.vmindex}, ...; see {@link #injected}),
 * and the {@code @Contended("tlr")} group of {@code java.lang.Thread} (JDK 8 to 18: the Thread of JDK 19
 * and later, recognised by its {@code holder} field, has no such group), padded by 128 bytes on each
 * side. Other {@code @Contended} classes ({@code Striped64$Cell},
 * {@code ConcurrentHashMap$CounterCell}) come out smaller than the JVM counts them.
 */
final class FieldLayout {
    /** Offset where the next class's fields start (legacy), or the exact end of the fields (modern). */
    final int end;
    /** Modern layout only: pairs of (offset, size) of the holes left between fields, sorted by offset. */
    final int[] holes;
    final boolean hasFields;
    final int instanceSize;

    private FieldLayout(int end, int[] holes, boolean hasFields, int instanceSize) {
        this.end = end;
        this.holes = holes;
        this.hasFields = hasFields;
        this.instanceSize = instanceSize;
    }

    /** The layout of {@code java.lang.Object} or any class without a super class. */
    static FieldLayout root(VmLayout vm) {
        return new FieldLayout(vm.objectHeader(), new int[0], false, VmLayout.align(vm.objectHeader(), 8));
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
    static BasicType[] injected(String className, List<HeapClass.Field> declared, VmLayout vm,
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

    /** Whether a field belongs to the {@code @Contended} group of its class, which declares {@code declared}. */
    static boolean isContended(String className, String fieldName, List<HeapClass.Field> declared) {
        return className.equals("java.lang.Thread") && fieldName.startsWith("threadLocalRandom")
                && !declares(declared, "holder");
    }

    private static boolean declares(List<HeapClass.Field> fields, String name) {
        for (HeapClass.Field f : fields) {
            if (f.name().equals(name)) {
                return true;
            }
        }
        return false;
    }

    static final int CONTENDED_PADDING = 128;

    /**
     * @param contended how many of the last declared fields form a {@code @Contended} group, padded by
     *                  128 bytes on each side after the other fields
     */
    static FieldLayout of(FieldLayout superLayout, BasicType[] declared, int contended, VmLayout vm) {
        BasicType[] regularFields = Arrays.copyOf(declared, declared.length - contended);
        BasicType[] group = Arrays.copyOfRange(declared, declared.length - contended, declared.length);
        if (!vm.modernFields()) {
            FieldLayout regular = legacy(superLayout, regularFields, vm);
            if (contended == 0) {
                return regular;
            }
            int[] sizes = new int[group.length];
            for (int i = 0; i < group.length; i++) {
                sizes[i] = group[i] == BasicType.OBJECT ? vm.referenceSize() : group[i].byteSize(vm.referenceSize());
            }
            Arrays.sort(sizes);
            int offset = regular.end + CONTENDED_PADDING;
            for (int i = sizes.length - 1; i >= 0; i--) {
                offset = VmLayout.align(offset, sizes[i]) + sizes[i];
            }
            int end = offset + CONTENDED_PADDING;
            return new FieldLayout(VmLayout.align(end, vm.referenceSize()), null, true,
                    VmLayout.align(end, VmLayout.OBJECT_ALIGNMENT));
        }
        if (contended == 0) {
            return modern(superLayout, declared, vm);
        }
        FieldLayout regular = modern(superLayout, regularFields, vm);
        FieldLayout padded = new FieldLayout(regular.end + CONTENDED_PADDING, regular.holes, true, 0);
        FieldLayout placed = modern(padded, group, vm, false);
        int end = placed.end + CONTENDED_PADDING;
        // HotSpot gives the subclasses of a class with @Contended fields none of its holes
        return new FieldLayout(end, new int[0], true, VmLayout.align(end, VmLayout.OBJECT_ALIGNMENT));
    }

    private static FieldLayout modern(FieldLayout sup, BasicType[] declared, VmLayout vm) {
        return modern(sup, declared, vm, true);
    }

    private static FieldLayout legacy(FieldLayout sup, BasicType[] declared, VmLayout vm) {
        if (declared.length == 0) {
            return new FieldLayout(sup.end, null, sup.hasFields, sup.instanceSize);
        }
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
        int offset = sup.end;
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
        int size = VmLayout.align(VmLayout.align(offset, vm.wordSize()), VmLayout.OBJECT_ALIGNMENT);
        return new FieldLayout(VmLayout.align(offset, oop), null, sup.hasFields || declared.length > 0, size);
    }

    private static FieldLayout modern(FieldLayout sup, BasicType[] declared, VmLayout vm, boolean useHoles) {
        int oop = vm.referenceSize();
        int[] sizes = new int[declared.length];
        int primitives = 0;
        for (BasicType t : declared) {
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
        int[] holes = Arrays.copyOf(sup.holes, sup.holes.length);
        int holeCount = holes.length / 2;
        int end = sup.end;
        for (int s : sizes) {
            int best = -1;
            if (useHoles) {
                for (int h = holeCount - 1; h >= 0; h--) {
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
            } else {
                int at = VmLayout.align(end, s);
                if (at > end) {
                    holes = Arrays.copyOf(holes, holes.length + 2);
                    holes[holes.length - 2] = end;
                    holes[holes.length - 1] = at - end;
                }
                end = at + s;
            }
            holeCount = holes.length / 2;
        }
        int size = VmLayout.align(VmLayout.align(end, vm.wordSize()), VmLayout.OBJECT_ALIGNMENT);
        return new FieldLayout(end, holes, sup.hasFields || declared.length > 0, size);
    }
}
