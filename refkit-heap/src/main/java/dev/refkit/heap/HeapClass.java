package dev.refkit.heap;

import dev.refkit.heap.hprof.BasicType;
import dev.refkit.heap.index.ClassRecord;
import java.util.AbstractList;
import java.util.List;
import java.util.RandomAccess;

/**
 * A class of the dump: its name, super class, loader, fields and the shallow size of its instances.
 *
 * <p>Array classes have no fields; their instances' sizes depend on the length and are given per object
 * by {@link HeapGraph#shallowSize(int)}. A primitive array class that the dump does not describe with a
 * {@code CLASS_DUMP} record (older VMs) is still present, with {@link #objectIndex()} -1.
 */
public final class HeapClass {

    /**
     * A field as the dump declares it.
     *
     * @param name the field name
     * @param type the value type; {@link BasicType#OBJECT} for every reference type
     */
    public record Field(String name, BasicType type) {
    }

    /** The index's record of this class, which everything but the super class and the field lists comes from. */
    final ClassRecord record;
    /** Set by the graph, once every class is made. */
    HeapClass superClass;
    private final List<Field> fields;
    private final List<Field> staticFields;

    HeapClass(ClassRecord record) {
        this.record = record;
        this.fields = fields(record.fields());
        this.staticFields = fields(record.staticFields());
    }

    /** The index's fields, seen as the model's: a view, so that no class keeps its fields twice. */
    private static List<Field> fields(List<ClassRecord.Field> declared) {
        if (declared.isEmpty()) {
            return List.of();
        }
        final class View extends AbstractList<Field> implements RandomAccess {
            @Override
            public Field get(int i) {
                ClassRecord.Field f = declared.get(i);
                return new Field(f.name(), f.type());
            }

            @Override
            public int size() {
                return declared.size();
            }
        }
        return new View();
    }

    /** {@return position of this class in {@link HeapGraph#classes()}} */
    public int index() {
        return record.index();
    }

    /** {@return the class object's id in the dump, or 0 for a primitive array class the dump does not describe} */
    public long id() {
        return record.id();
    }

    /** {@return index of the class object in the {@link HeapGraph}, or -1 when the dump has no such object} */
    public int objectIndex() {
        return record.objectIndex();
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
        return record.name();
    }

    /**
     * The Java form of a class name ({@link #name()}), from any spelling of it that a JVM or a tool writes: the
     * VM's ({@code java/util/HashMap$Node}, {@code [Ljava/lang/String;}, {@code [[I}, a hidden class's
     * {@code app/Feed$$Lambda$57+0x0000000800c01234}), {@code Class.getName()}'s and jcmd's
     * ({@code [Ljava.lang.String;}, {@code app.Feed$$Lambda$57/0x0000000800c01234}), or the Java form itself,
     * which comes back unchanged. Names a user types can be compared with {@link #name()} once put through it;
     * {@link HeapGraph#findClass} and {@link Histogram#entry} do so.
     *
     * @param spelling a class name as a JVM or a tool spells it
     * @return the name in Java form
     */
    public static String javaName(String spelling) {
        return ClassRecord.javaName(spelling);
    }

    /** {@return the super class, or {@code null} for {@code java.lang.Object}, interfaces' roots and array classes} */
    public HeapClass superClass() {
        return superClass;
    }

    /** {@return index of the class loader object, or -1 for the bootstrap loader} */
    public int classLoader() {
        return record.classLoader();
    }

    /** {@return the instance fields this class declares (not inherited ones), in the dump's order} */
    public List<Field> fields() {
        return fields;
    }

    /** {@return the static fields this class declares; their values: {@link HeapGraph#staticFieldValue}} */
    public List<Field> staticFields() {
        return staticFields;
    }

    /** {@return whether this is an array class} */
    public boolean isArray() {
        return record.isArray();
    }

    /** {@return the element type of an array class ({@link BasicType#OBJECT} for object arrays), else {@code null}} */
    public BasicType elementType() {
        return record.elementType();
    }

    /**
     * Shallow size of an instance, as the JVM that wrote the dump counts it (header, field layout,
     * alignment, reference width). For array classes: 0 (sizes are per object).
     *
     * @return the bytes of one instance; 0 for an array class
     */
    public long instanceSize() {
        return record.instanceSize();
    }

    /**
     * Whether this class is {@code className} or extends it, by name.
     *
     * @param className a class name in Java form
     * @return whether this class is it or extends it
     */
    public boolean isSubclassOf(String className) {
        return record.isSubclassOf(className);
    }

    /** {@return the kind of this class's {@code referent} field: a {@code java.lang.ref.Reference} family, else null} */
    public ReferenceKind referentKind() {
        return record.referentKind();
    }

    @Override
    public String toString() {
        return record.name();
    }
}
