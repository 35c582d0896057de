package dev.refkit.heap.index;

import dev.refkit.heap.ReferenceKind;
import dev.refkit.heap.hprof.BasicType;
import dev.refkit.heap.hprof.HprofFormatException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The classes of a dump from its CLASS_DUMP and LOAD_CLASS records: names, fields, super classes and
 * loaders, the instance field order of the dump, the kind of a Reference's referent, and the field layout
 * under each candidate {@link VmLayout}.
 */
final class ClassBuilder {

    private final HprofFile in;
    private final int idSize;
    private final DumpStrings strings;

    ClassBuilder(HprofFile in, DumpStrings strings) {
        this.in = in;
        this.idSize = in.idSize();
        this.strings = strings;
    }

    private static final String[] PRIMITIVE_ARRAY_NAMES = {
        null, null, null, null, "boolean[]", "char[]", "float[]", "double[]", "byte[]", "short[]", "int[]", "long[]"};

    ClassRecord[] buildClasses(LongList loadClassIds, LongList loadClassNames, List<long[]> classDumps) {
        long[] loadIds = loadClassIds.toArray();
        long[] loadNames = loadClassNames.toArray();
        if (!PairSort.isSorted(loadIds, loadIds.length)) {
            PairSort.sort(loadIds, loadNames, loadIds.length);
        }
        List<ClassRecord> list = new ArrayList<>();
        ClassRecord[] primitiveArrays = new ClassRecord[12];
        int id = idSize;
        java.util.Set<Long> seen = new java.util.HashSet<>();
        for (long[] dump : classDumps) {
            long classId = dump[0];
            long p = dump[1];
            if (!seen.add(classId)) {
                continue;
            }
            int at = Arrays.binarySearch(loadIds, classId);
            String vmName = at >= 0 ? strings.string(loadNames[at]) : null;
            // (not String.format: its first use in a JVM loads the formatter, regular expressions and locale data)
            String name = vmName != null ? ClassRecord.javaName(vmName)
                    : "<unnamed class 0x" + Long.toHexString(classId) + ">";
            long q = p + 1 + id + 4;
            long superId = in.id(q);
            long loaderId = in.id(q + id);
            q += 6L * id + 4;
            int constants = in.u2(q);
            q += 2;
            for (int i = 0; i < constants; i++) {
                q += 3 + BasicType.ofCode(in.u1(q + 2)).byteSize(id);
            }
            int staticCount = in.u2(q);
            q += 2;
            List<ClassRecord.Field> statics = new ArrayList<>(staticCount);
            for (int i = 0; i < staticCount; i++) {
                BasicType t = BasicType.ofCode(in.u1(q + id));
                statics.add(new ClassRecord.Field(strings.fieldName(in.id(q), i), t));
                q += id + 1 + t.byteSize(id);
            }
            int fieldCount = in.u2(q);
            q += 2;
            List<ClassRecord.Field> fields = new ArrayList<>(fieldCount);
            for (int i = 0; i < fieldCount; i++) {
                fields.add(new ClassRecord.Field(strings.fieldName(in.id(q), i), BasicType.ofCode(in.u1(q + id))));
                q += id + 1;
            }
            BasicType element = null;
            if (name.endsWith("[]")) {
                String inner = name.substring(0, name.length() - 2);
                element = BasicType.OBJECT;
                for (int code = 4; code < 12; code++) {
                    if (PRIMITIVE_ARRAY_NAMES[code].equals(name)) {
                        element = BasicType.ofCode(code);
                    }
                }
                if (inner.isEmpty()) {
                    element = BasicType.OBJECT;
                }
            }
            ClassRecord c = new ClassRecord(list.size(), classId, name, p, superId, loaderId, fields, statics, element);
            if (element != null && element != BasicType.OBJECT && primitiveArrays[element.code()] == null) {
                primitiveArrays[element.code()] = c;
            }
            list.add(c);
        }
        for (int code = 4; code < 12; code++) {
            if (primitiveArrays[code] == null) {
                ClassRecord c = new ClassRecord(list.size(), 0, PRIMITIVE_ARRAY_NAMES[code], -1, 0, 0, List.of(),
                        List.of(), BasicType.ofCode(code));
                primitiveArrays[code] = c;
                list.add(c);
            }
        }
        this.primitiveArrayClasses = primitiveArrays;
        this.classesRef = list.toArray(new ClassRecord[0]);
        return classesRef;
    }

    /** The classes of primitive arrays by element type code, made up where the dump lacks them. */
    ClassRecord[] primitiveArrayClasses;

    void linkClasses(DumpIndex dump, ObjectIds ids) throws HprofFormatException {
        ClassRecord[] classes = dump.classes;
        dump.indexClasses();
        IntList objects = new IntList(classes.length);
        for (ClassRecord c : classes) {
            c.objectIndex = c.recordPosition >= 0 ? ids.indexOf(c.id) : -1;
            c.superClass = c.superId != 0 ? dump.classById(c.superId) : null;
            if (c.superId != 0 && c.superClass == null) {
                throw in.error(c.recordPosition, "CLASS_DUMP", String.format("super class id 0x%x of class %s, "
                        + "which has no CLASS_DUMP in the file (expected every super class to be dumped)",
                        c.superId, c.name));
            }
            c.loaderIndex = c.loaderId != 0 ? ids.indexOf(c.loaderId) : -1;
            if (c.objectIndex >= 0) {
                objects.add(c.objectIndex);
            }
            if (c.name.equals("java.lang.Class") && dump.javaLangClass == null) {
                dump.javaLangClass = c;
            }
        }
        int[] classObjects = objects.toArray();
        Arrays.sort(classObjects);
        ClassRecord[] owners = new ClassRecord[classObjects.length];
        for (ClassRecord c : classes) {
            if (c.objectIndex >= 0) {
                owners[Arrays.binarySearch(classObjects, c.objectIndex)] = c;
            }
        }
        dump.classObjects = classObjects;
        dump.classObjectClasses = owners;
        dump.primitiveArrayClasses = primitiveArrayClasses;
        if (dump.javaLangClass == null) {
            throw in.error(in.size(), "CLASS_DUMP", "no class named java.lang.Class in the dump; a HotSpot heap dump "
                    + "always has one — the file is corrupt or incomplete");
        }
        for (ClassRecord c : classes) {
            int depth = 0;
            for (ClassRecord k = c; k != null; k = k.superClass) {
                if (++depth > MAX_HIERARCHY_DEPTH) {
                    throw in.error(c.recordPosition, "CLASS_DUMP", "class " + c.name + " has more than "
                            + MAX_HIERARCHY_DEPTH + " super classes (or is its own super class); the file is corrupt");
                }
            }
        }
        for (ClassRecord c : classes) {
            linkFields(c);
        }
    }

    /**
     * Sets a class's instance data size and reference fields (see ClassRecord), its super classes' first. A
     * class copies its super classes' references when there are at most four times its own, and 16 more: so
     * every class holds at most 5 entries per reference it declares, plus 16, and a walk of an object's
     * references goes through at most one array per class that declares references.
     */
    private void linkFields(ClassRecord c) {
        if (c.referenceOffsets != null) {
            return;
        }
        ClassRecord sup = c.superClass;
        if (sup != null) {
            linkFields(sup);
        }
        IntList offsets = new IntList(0);
        IntList slots = new IntList(0);
        int data = 0;
        int referent = -1;
        for (int i = 0; i < c.fields.size(); i++) {
            ClassRecord.Field f = c.fields.get(i);
            if (f.type() == BasicType.OBJECT) {
                offsets.add(data);
                slots.add(i);
            }
            if (f.name().equals("referent") && c.name.equals("java.lang.ref.Reference")) {
                referent = i;
            }
            data += f.type().byteSize(idSize);
        }
        c.instanceDataSize = data + (sup != null ? sup.instanceDataSize : 0);
        c.instanceFieldCount = c.fields.size() + (sup != null ? sup.instanceFieldCount : 0);
        int inherited = sup != null ? sup.referenceCount : 0;
        c.referenceCount = offsets.size + inherited;
        if (offsets.size == 0 && sup != null) {
            c.referenceOffsets = sup.referenceOffsets;
            c.referenceSlots = sup.referenceSlots;
            c.referenceTail = sup.referenceTail;
        } else {
            boolean copy = inherited <= 4 * offsets.size + 16;
            int length = offsets.size + (copy ? inherited : 0);
            c.referenceOffsets = new int[length];
            c.referenceSlots = new int[length];
            for (int k = 0; k < offsets.size; k++) {
                c.referenceOffsets[k] = c.instanceDataSize - offsets.get(k);
                c.referenceSlots[k] = c.instanceFieldCount - slots.get(k);
            }
            int at = offsets.size;
            for (ClassRecord k = copy ? sup : null; k != null; k = k.referenceTail) {
                System.arraycopy(k.referenceOffsets, 0, c.referenceOffsets, at, k.referenceOffsets.length);
                System.arraycopy(k.referenceSlots, 0, c.referenceSlots, at, k.referenceSlots.length);
                at += k.referenceOffsets.length;
            }
            c.referenceTail = copy ? null : sup;
        }
        c.referentKind = referentKind(c);
        // of two classes named Reference in one hierarchy (a crafted dump), the topmost one's referent
        int inheritedReferent = sup != null ? sup.referentSlotFromEnd : -1;
        c.referentSlotFromEnd = inheritedReferent >= 0 ? inheritedReferent
                : referent >= 0 ? c.instanceFieldCount - referent : -1;
    }

    /**
     * Deepest class hierarchy accepted. Real ones stay far below; a corrupt file with a chain of thousands of
     * classes would otherwise cost time and memory quadratic in its depth.
     */
    static final int MAX_HIERARCHY_DEPTH = 256;

    private ClassRecord[] classesRef;

    private static ReferenceKind referentKind(ClassRecord c) {
        for (ClassRecord k = c; k != null; k = k.superClass) {
            switch (k.name) {
                case "java.lang.ref.SoftReference":
                    return ReferenceKind.SOFT_REFERENT;
                case "java.lang.ref.WeakReference":
                    return ReferenceKind.WEAK_REFERENT;
                case "java.lang.ref.FinalReference":
                case "java.lang.ref.Finalizer":
                    return ReferenceKind.FINALIZER_REFERENT;
                case "java.lang.ref.PhantomReference":
                case "jdk.internal.ref.Cleaner":
                case "sun.misc.Cleaner":
                    return ReferenceKind.PHANTOM_REFERENT;
                default:
                    break;
            }
        }
        return null;
    }

    private boolean hasResolvedMethodName;

    /** Every class's field layout under each candidate left ({@code kept}); null under the others. */
    void computeLayouts(ClassRecord[] classes, VmLayout[] candidates, boolean[] kept) {
        hasResolvedMethodName = classByName("java.lang.invoke.ResolvedMethodName") != null;
        for (ClassRecord c : classes) {
            layouts(c, candidates, kept);
        }
    }

    private FieldLayout[] layouts(ClassRecord c, VmLayout[] candidates, boolean[] kept) {
        if (c.layouts == null) {
            FieldLayout[] own = new FieldLayout[candidates.length];
            FieldLayout[] sup = c.superClass != null ? layouts(c.superClass, candidates, kept) : null;
            ContendedFields.Padding padding = ContendedFields.of(c.name, c.fields);
            List<BasicType> declared = new ArrayList<>();
            BasicType[][] groups = new BasicType[padding.groups().size()][];
            for (int g = 0; g < groups.length; g++) {
                List<BasicType> group = new ArrayList<>();
                for (ClassRecord.Field f : c.fields) {
                    if (padding.groups().get(g).contains(f.name())) {
                        group.add(f.type());
                    }
                }
                groups[g] = group.toArray(new BasicType[0]);
            }
            for (ClassRecord.Field f : c.fields) {
                if (!inGroup(padding, f.name())) {
                    declared.add(f.type());
                }
            }
            for (int h = 0; h < candidates.length; h++) {
                if (!kept[h]) {
                    continue;
                }
                List<BasicType> regular = new ArrayList<>(declared);
                regular.addAll(List.of(FieldLayout.injected(c.name, c.fields, candidates[h], hasResolvedMethodName)));
                FieldLayout base = sup != null ? sup[h] : FieldLayout.root(candidates[h]);
                own[h] = FieldLayout.of(base, regular.toArray(new BasicType[0]), groups, padding.wholeClass(),
                        candidates[h]);
            }
            c.layouts = own;
        }
        return c.layouts;
    }

    private static boolean inGroup(ContendedFields.Padding padding, String field) {
        for (List<String> group : padding.groups()) {
            if (group.contains(field)) {
                return true;
            }
        }
        return false;
    }

    ClassRecord classByName(String name) {
        for (ClassRecord c : classesRef) {
            if (c.name.equals(name)) {
                return c;
            }
        }
        return null;
    }
}
