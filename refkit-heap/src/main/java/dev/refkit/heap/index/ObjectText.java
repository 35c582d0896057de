package dev.refkit.heap.index;

import dev.refkit.heap.ObjectRef;
import dev.refkit.heap.hprof.BasicType;
import java.nio.charset.StandardCharsets;

/**
 * What objects hold, decoded from the dump on demand for {@link DumpIndex}: field and static field values,
 * strings of every JDK's layout and previews of primitive arrays. Only the fields, characters or elements asked
 * for are read.
 */
final class ObjectText {

    private ObjectText() {
    }

    /** {@link DumpIndex#fieldValue}. */
    static Object fieldValue(DumpIndex index, int object, String fieldName) {
        long pos = index.position(object);
        int tag = index.file.u1(pos);
        if (tag == DumpIndex.CLASS_DUMP) {
            return staticFieldValue(index, index.asClass(object), fieldName);
        }
        ClassRecord c = index.classOf(object);
        if (tag == DumpIndex.INSTANCE_DUMP) {
            long p = pos + 1 + index.idSize + 4 + index.idSize + 4;
            for (ClassRecord k = c; k != null; k = k.superClass) {
                for (ClassRecord.Field f : k.fields) {
                    if (f.name().equals(fieldName)) {
                        return value(index, f.type(), p);
                    }
                    p += f.type().byteSize(index.idSize);
                }
            }
        }
        throw new IllegalArgumentException("object " + object + " of class " + c.name + " has no field '"
                + fieldName + "'");
    }

    /** {@link DumpIndex#staticFieldValue}. */
    static Object staticFieldValue(DumpIndex index, ClassRecord record, String fieldName) {
        if (record.recordPosition >= 0) {
            long p = record.recordPosition + 1 + 7L * index.idSize + 8;
            int cp = index.file.u2(p);
            p += 2;
            for (int i = 0; i < cp; i++) {
                BasicType t = BasicType.ofCode(index.file.u1(p + 2));
                p += 3 + t.byteSize(index.idSize);
            }
            int statics = index.file.u2(p);
            p += 2;
            for (int i = 0; i < statics; i++) {
                BasicType t = BasicType.ofCode(index.file.u1(p + index.idSize));
                if (record.staticFields.get(i).name().equals(fieldName)) {
                    return value(index, t, p + index.idSize + 1);
                }
                p += index.idSize + 1 + t.byteSize(index.idSize);
            }
        }
        throw new IllegalArgumentException("class " + record.name + " has no static field '" + fieldName + "'");
    }

    private static Object value(DumpIndex index, BasicType type, long p) {
        switch (type) {
            case OBJECT: {
                long id = index.file.id(p);
                return id == 0 ? null : new ObjectRef(id, index.ids.indexOf(id));
            }
            case BOOLEAN:
                return index.file.u1(p) != 0;
            case CHAR:
                return (char) index.file.u2(p);
            case FLOAT:
                return Float.intBitsToFloat(index.file.i4(p));
            case DOUBLE:
                return Double.longBitsToDouble(index.file.i8(p));
            case BYTE:
                return (byte) index.file.u1(p);
            case SHORT:
                return index.file.i2(p);
            case INT:
                return index.file.i4(p);
            default:
                return index.file.i8(p);
        }
    }

    /** {@link DumpIndex#primitiveArrayPreview}, given the record's position. */
    static String primitiveArrayPreview(HprofFile file, int idSize, long pos, int maxElements) {
        if (file.u1(pos) != DumpIndex.PRIM_ARRAY_DUMP) {
            return null;
        }
        int length = file.i4(pos + 1 + idSize + 4);
        BasicType type = BasicType.ofCode(file.u1(pos + 1 + idSize + 8));
        long data = pos + 1 + idSize + 9;
        int shown = Math.max(0, Math.min(length, maxElements));
        int size = type.byteSize(idSize);
        if (type == BasicType.CHAR) {
            char[] chars = new char[shown];
            for (int i = 0; i < shown; i++) {
                chars[i] = (char) file.u2(data + 2L * i);
            }
            return "\"" + new String(chars) + (shown < length ? "…" : "") + "\"";
        }
        StringBuilder text = new StringBuilder("[");
        for (int i = 0; i < shown; i++) {
            long p = data + (long) size * i;
            text.append(i == 0 ? "" : ", ").append(switch (type) {
                case BOOLEAN -> String.valueOf(file.u1(p) != 0);
                case BYTE -> String.valueOf((byte) file.u1(p));
                case SHORT -> String.valueOf(file.i2(p));
                case INT -> String.valueOf(file.i4(p));
                case LONG -> String.valueOf(file.i8(p));
                case FLOAT -> String.valueOf(Float.intBitsToFloat(file.i4(p)));
                case DOUBLE -> String.valueOf(Double.longBitsToDouble(file.i8(p)));
                default -> "?";
            });
        }
        return text.append(shown < length ? ", …]" : "]").toString();
    }

    /** {@link DumpIndex#stringValue(int, int)}. */
    static String string(DumpIndex dump, int object, int maxChars) {
        HprofFile file = dump.file;
        int idSize = dump.idSize;
        ClassRecord c = dump.classOf(object);
        if (!c.name.equals("java.lang.String") || file.u1(dump.position(object)) != DumpIndex.INSTANCE_DUMP) {
            return null;
        }
        if (!(dump.optionalField(object, "value") instanceof ObjectRef ref) || ref.object() < 0) {
            return null;
        }
        long pos = dump.position(ref.object());
        if (file.u1(pos) != DumpIndex.PRIM_ARRAY_DUMP) {
            return null;
        }
        int length = file.i4(pos + 1 + idSize + 4);
        BasicType type = BasicType.ofCode(file.u1(pos + 1 + idSize + 8));
        long data = pos + 1 + idSize + 9;
        if (type == BasicType.CHAR) {
            int offset = 0;
            int count = length;
            if (dump.optionalField(object, "count") instanceof Integer n) {
                int o = dump.optionalField(object, "offset") instanceof Integer at ? at : 0;
                if (o >= 0 && n >= 0 && (long) o + n <= length) {
                    offset = o;
                    count = n;
                }
            }
            char[] chars = new char[Math.max(0, Math.min(count, maxChars))];
            for (int i = 0; i < chars.length; i++) {
                chars[i] = (char) file.u2(data + 2L * (offset + i));
            }
            return new String(chars);
        }
        if (type == BasicType.BYTE) {
            boolean utf16 = dump.optionalField(object, "coder") instanceof Byte coder && coder != 0;
            long wanted = utf16 ? 2L * maxChars : maxChars;
            byte[] bytes = file.readBytes(data, (int) Math.max(0, Math.min(length, wanted)));
            return utf16 ? utf16(bytes) : new String(bytes, StandardCharsets.ISO_8859_1);
        }
        return null;
    }

    /**
     * The characters of a UTF-16 {@code String}: the JVM keeps them in the byte order of the machine it ran on (little
     * endian on x86 and ARM), which the dump does not record; of the two orders, the one that reads more printable
     * ASCII (names are mostly ASCII) wins, little endian on a tie.
     */
    static String utf16(byte[] bytes) {
        String little = chars(bytes, true);
        String big = chars(bytes, false);
        return printableAscii(big) > printableAscii(little) ? big : little;
    }

    /** Decoded char by char, so that a surrogate without its pair (a name cut by a program) stays what it was. */
    private static String chars(byte[] bytes, boolean littleEndian) {
        char[] chars = new char[bytes.length / 2];
        for (int i = 0; i < chars.length; i++) {
            int first = bytes[2 * i] & 0xff;
            int second = bytes[2 * i + 1] & 0xff;
            chars[i] = (char) (littleEndian ? first | second << 8 : first << 8 | second);
        }
        return new String(chars);
    }

    private static int printableAscii(String text) {
        int count = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= 0x20 && c < 0x7f) {
                count++;
            }
        }
        return count;
    }
}
