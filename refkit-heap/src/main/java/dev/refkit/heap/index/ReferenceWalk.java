package dev.refkit.heap.index;

import dev.refkit.heap.ReferenceKind;
import dev.refkit.heap.hprof.BasicType;
import dev.refkit.heap.hprof.HprofFormatException;

/**
 * The references of one object, read from its record in the dump, in the order that defines reference numbers:
 * pass 2 ({@link ReferencePass}) builds the CSR arrays from it, and {@link DumpIndex#referenceName} replays it.
 * The order and the dangling rule must never depend on anything but the dump.
 */
final class ReferenceWalk {

    private ReferenceWalk() {
    }

    /** {@link DumpIndex#walk(int, DumpIndex.EdgeSink)} given the object's position, record tag and class. */
    static void walk(DumpIndex dump, int object, long pos, int tag, ClassRecord c, DumpIndex.EdgeSink sink)
            throws HprofFormatException {
        HprofFile file = dump.file;
        int idSize = dump.idSize;
        ObjectIds ids = dump.ids;
        if (tag != DumpIndex.CLASS_DUMP && c.objectIndex >= 0) {
            sink.edge(c.objectIndex, ReferenceKind.CLASS_STRUCTURE, DumpIndex.SLOT_CLASS);
        }
        switch (tag) {
            case DumpIndex.INSTANCE_DUMP: {
                long p = pos + 1 + idSize + 4 + idSize;
                long length = file.u4(p);
                p += 4;
                if (length < c.instanceDataSize) {
                    throw file.error(pos, "INSTANCE_DUMP", "instance data of " + length + " bytes for class "
                            + c.name + " (its fields need " + c.instanceDataSize + ")");
                }
                // reference fields are counted back from the end of the class's fields (see ClassRecord)
                long end = p + c.instanceDataSize;
                int fields = c.instanceFieldCount;
                int referent = c.referentKind != null ? c.referentSlotFromEnd : -1;
                for (ClassRecord k = c; k != null; k = k.referenceTail) {
                    int[] offsets = k.referenceOffsets;
                    int[] slots = k.referenceSlots;
                    for (int i = 0; i < offsets.length; i++) {
                        int slot = slots[i];
                        ReferenceKind kind = slot == referent ? c.referentKind : ReferenceKind.FIELD;
                        reference(ids, sink, file.id(end - offsets[i]), kind, fields - slot, object);
                    }
                }
                break;
            }
            case DumpIndex.OBJ_ARRAY_DUMP: {
                long p = pos + 1 + idSize + 4;
                int length = file.i4(p);
                p += 4 + idSize;
                for (int i = 0; i < length; i++, p += idSize) {
                    reference(ids, sink, file.id(p), ReferenceKind.ARRAY_ELEMENT, i, object);
                }
                break;
            }
            case DumpIndex.CLASS_DUMP: {
                long p = pos + 1 + idSize + 4;
                reference(ids, sink, file.id(p), ReferenceKind.CLASS_STRUCTURE, DumpIndex.SLOT_SUPER, object);
                reference(ids, sink, file.id(p + idSize), ReferenceKind.CLASS_STRUCTURE, DumpIndex.SLOT_LOADER,
                        object);
                reference(ids, sink, file.id(p + 2L * idSize), ReferenceKind.CLASS_STRUCTURE, DumpIndex.SLOT_SIGNERS,
                        object);
                reference(ids, sink, file.id(p + 3L * idSize), ReferenceKind.CLASS_STRUCTURE,
                        DumpIndex.SLOT_PROTECTION_DOMAIN, object);
                p += 6L * idSize + 4;
                int cp = file.u2(p);
                p += 2;
                for (int i = 0; i < cp; i++) {
                    int index = file.u2(p);
                    BasicType t = BasicType.ofCode(file.u1(p + 2));
                    if (t == BasicType.OBJECT) {
                        reference(ids, sink, file.id(p + 3), ReferenceKind.CLASS_STRUCTURE,
                                DumpIndex.SLOT_CONSTANT_POOL - index, object);
                    }
                    p += 3 + t.byteSize(idSize);
                }
                int statics = file.u2(p);
                p += 2;
                for (int i = 0; i < statics; i++) {
                    BasicType t = BasicType.ofCode(file.u1(p + idSize));
                    if (t == BasicType.OBJECT) {
                        reference(ids, sink, file.id(p + idSize + 1), ReferenceKind.STATIC_FIELD, i, object);
                    }
                    p += idSize + 1 + t.byteSize(idSize);
                }
                break;
            }
            default:
                break;
        }
    }

    private static void reference(ObjectIds ids, DumpIndex.EdgeSink sink, long id, ReferenceKind kind, int slot,
                                  int near) {
        if (id != 0) {
            int target = ids.indexOf(id, near);
            if (target >= 0) {
                sink.edge(target, kind, slot);
            } else {
                sink.dangling(id);
            }
        }
    }
}
