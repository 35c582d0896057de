package dev.refkit.heap.index;

import dev.refkit.heap.ReferenceKind;
import dev.refkit.heap.hprof.BasicType;
import java.util.List;

/**
 * A class as the index reads it from the dump: its record, name, super class, loader, fields, and the layouts and
 * reference fields that the index decodes its instances with. {@code dev.refkit.heap.HeapClass} is its public
 * face; this is the index's own, shared with nothing above it but through its accessors.
 */
public final class ClassRecord {

    /**
     * A field as the dump declares it.
     *
     * @param name the field name
     * @param type the value type; {@link BasicType#OBJECT} for every reference type
     */
    public record Field(String name, BasicType type) {
    }

    final int index;
    final long id;
    int objectIndex = -1;
    final String name;
    final long recordPosition;
    final long superId;
    final long loaderId;
    ClassRecord superClass;
    int loaderIndex = -1;
    final List<Field> fields;
    final List<Field> staticFields;
    final BasicType elementType;
    /*
     * An instance's data holds this class's fields first, then its super class's, and so on; no class keeps a
     * copy of what it inherits (a class of 65,535 fields and thousands of subclasses would otherwise cost
     * gigabytes). Its reference fields are counted back from the end of the instance data, where every class
     * of a hierarchy sees its super classes' fields at the same distance: offsets from the end (bytes) and slots
     * from the end (fields), so that a subclass shares its super class's arrays when it declares no reference,
     * and otherwise copies them only when they are few next to its own. Else its arrays hold its own references
     * and referenceTail the class whose arrays go on (see ReferenceWalk).
     */
    /** Bytes of an instance's data: the fields of this class and of its super classes. */
    int instanceDataSize;
    /** Instance fields of this class and of its super classes. */
    int instanceFieldCount;
    /** Reference fields: bytes from the end of the instance data, and fields from the end of the field list. */
    int[] referenceOffsets;
    int[] referenceSlots;
    /** The class whose arrays continue these, or null when these hold every reference field. */
    ClassRecord referenceTail;
    /** Reference fields of this class and of its super classes. */
    int referenceCount;
    /**
     * {@code Reference.referent}'s slot from the end of the field list, or -1 when the class does not extend
     * {@code java.lang.ref.Reference}; a referent of its own kind only when {@link #referentKind} is set.
     */
    int referentSlotFromEnd = -1;
    ReferenceKind referentKind;
    FieldLayout[] layouts;
    long instanceSize;

    ClassRecord(int index, long id, String name, long recordPosition, long superId, long loaderId,
              List<Field> fields, List<Field> staticFields, BasicType elementType) {
        this.index = index;
        this.id = id;
        this.name = name;
        this.recordPosition = recordPosition;
        this.superId = superId;
        this.loaderId = loaderId;
        this.fields = List.copyOf(fields);
        this.staticFields = List.copyOf(staticFields);
        this.elementType = elementType;
    }

    /** {@return position of this class in the dump's classes} */
    public int index() {
        return index;
    }

    /** {@return the class object's id in the dump, or 0 for a primitive array class the dump does not describe} */
    public long id() {
        return id;
    }

    /** {@return index of the class object in the dump, or -1 when the dump has no such object} */
    public int objectIndex() {
        return objectIndex;
    }

    /**
     * The name in Java form: {@code java.util.HashMap$Node}, {@code int[]}, {@code java.lang.String[][]}; a
     * hidden class as {@code Class.getName()} and {@code jcmd GC.class_histogram} write it,
     * {@code app.Feed$$Lambda$57/0x0000000800c01234} (JDK 21 and later: {@code app.Feed$$Lambda/0x…}), not as
     * the VM spells it in the dump ({@code +0x…}).
     *
     * @return the name in Java form
     */
    public String name() {
        return name;
    }

    /**
     * The Java form of a class name ({@link #name()}), from any spelling of it that a JVM or a tool writes: the
     * VM's ({@code java/util/HashMap$Node}, {@code [Ljava/lang/String;}, {@code [[I}, a hidden class's
     * {@code app/Feed$$Lambda$57+0x0000000800c01234}), {@code Class.getName()}'s and jcmd's
     * ({@code [Ljava.lang.String;}, {@code app.Feed$$Lambda$57/0x0000000800c01234}), or the Java form itself,
     * which comes back unchanged. Names a user types can be compared with {@link #name()} once put through it;
     * the model's lookups by name do so.
     *
     * @param spelling a class name as a JVM or a tool spells it
     * @return the name in Java form
     */
    public static String javaName(String spelling) {
        int dims = 0;
        while (dims < spelling.length() && spelling.charAt(dims) == '[') {
            dims++;
        }
        String base = spelling.substring(dims);
        if (dims > 0) {
            if (base.startsWith("L") && base.endsWith(";")) {
                base = base.substring(1, base.length() - 1);
            } else if (base.length() == 1) {
                base = switch (base.charAt(0)) {
                    case 'Z' -> "boolean";
                    case 'C' -> "char";
                    case 'F' -> "float";
                    case 'D' -> "double";
                    case 'B' -> "byte";
                    case 'S' -> "short";
                    case 'I' -> "int";
                    case 'J' -> "long";
                    default -> base;
                };
            }
        }
        int end = base.length();
        while (end >= 2 && base.charAt(end - 2) == '[' && base.charAt(end - 1) == ']') {
            end -= 2;
            dims++;
        }
        // a hidden class's unique suffix: "+0x<hex>" (the VM's) or "/0x<hex>" (Java's), at the end of the name
        int suffix = Math.max(base.lastIndexOf('+', end - 1), base.lastIndexOf('/', end - 1));
        if (suffix <= 0 || !isHexAddress(base, suffix + 1, end)) {
            suffix = end;
        }
        StringBuilder java = new StringBuilder(end + 2 * dims + 1);
        java.append(base, 0, suffix);
        for (int i = 0; i < suffix; i++) {
            if (java.charAt(i) == '/') {
                java.setCharAt(i, '.');
            }
        }
        if (suffix < end) {
            java.append('/').append(base, suffix + 1, end);
        }
        for (int i = 0; i < dims; i++) {
            java.append("[]");
        }
        return java.toString();
    }

    /** Whether {@code s[from, to)} is {@code 0x} and at least one hex digit. */
    private static boolean isHexAddress(String s, int from, int to) {
        if (to - from < 3 || s.charAt(from) != '0' || s.charAt(from + 1) != 'x') {
            return false;
        }
        for (int i = from + 2; i < to; i++) {
            if (Character.digit(s.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }

    /** {@return the super class, or {@code null} for {@code java.lang.Object}, interfaces' roots and array classes} */
    public ClassRecord superClass() {
        return superClass;
    }

    /** {@return index of the class loader object, or -1 for the bootstrap loader} */
    public int classLoader() {
        return loaderIndex;
    }

    /** {@return the instance fields this class declares (not inherited ones), in the dump's order} */
    public List<Field> fields() {
        return fields;
    }

    /** {@return the static fields this class declares; their values: {@link DumpIndex#staticFieldValue}} */
    public List<Field> staticFields() {
        return staticFields;
    }

    /** {@return whether this is an array class} */
    public boolean isArray() {
        return elementType != null;
    }

    /** {@return the element type of an array class ({@link BasicType#OBJECT} for object arrays), else {@code null}} */
    public BasicType elementType() {
        return elementType;
    }

    /**
     * Shallow size of an instance, as the JVM that wrote the dump counts it (header, field layout,
     * alignment, reference width). For array classes: 0 (sizes are per object).
     *
     * @return the bytes of one instance; 0 for an array class
     */
    public long instanceSize() {
        return isArray() ? 0 : instanceSize;
    }

    /**
     * The name of instance field {@code slot} in the order of the dump's instance data (this class's fields
     * first, then its super class's, and so on).
     */
    String instanceFieldName(int slot) {
        int i = slot;
        for (ClassRecord k = this; k != null; k = k.superClass) {
            if (i < k.fields.size()) {
                return k.fields.get(i).name();
            }
            i -= k.fields.size();
        }
        throw new IndexOutOfBoundsException("field " + slot + " of class " + name);
    }

    /** Whether this class or a super class declares an instance field of this name. */
    boolean hasInstanceField(String fieldName) {
        for (ClassRecord k = this; k != null; k = k.superClass) {
            for (Field f : k.fields) {
                if (f.name().equals(fieldName)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Whether this class is {@code className} or extends it, by name.
     *
     * @param className a class name in Java form
     * @return whether this class is it or extends it
     */
    public boolean isSubclassOf(String className) {
        for (ClassRecord c = this; c != null; c = c.superClass) {
            if (c.name.equals(className)) {
                return true;
            }
        }
        return false;
    }

    /** {@return the kind of this class's {@code referent} field: a {@code java.lang.ref.Reference} family, else null} */
    public ReferenceKind referentKind() {
        return referentKind;
    }

    @Override
    public String toString() {
        return name;
    }
}
