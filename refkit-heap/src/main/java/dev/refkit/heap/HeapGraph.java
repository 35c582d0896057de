package dev.refkit.heap;

import dev.refkit.heap.index.ClassRecord;
import dev.refkit.heap.index.DumpIndex;
import dev.refkit.heap.index.Storage;
import java.util.List;

/**
 * The objects of a heap dump and the references between them, in primitive arrays.
 *
 * <p>Objects (instances, arrays and class objects) are numbered by dense indexes
 * {@code 0 .. objectCount() - 1}, in ascending order of their ids. The outgoing references of object
 * {@code o} are the reference numbers {@code firstReference(o) .. firstReference(o + 1) - 1}; each has a
 * target object index and a {@link ReferenceKind}. Every object's first reference is to its class
 * ({@code <class>}, {@link ReferenceKind#CLASS_STRUCTURE}) when the dump has the class object, so that a
 * reachable object keeps its class and class loader reachable, as in the JVM. A reference whose id has no
 * object in the dump (the JVM writes some) is not an edge; {@link DumpInfo#danglingReferences()} counts
 * them.
 *
 * <p>Names of references and field values are not kept in memory: they are decoded on demand from the
 * memory-mapped dump.
 *
 * <p>The references are read from the dump when first asked for (by any accessor of references, by
 * {@link HeapDump#info()} or by an analysis): a dump opens with its objects, classes, roots and histogram
 * only. A graph may be used from several threads at once; the first of them to ask reads the references
 * while the others wait.
 *
 * <p><b>Warning:</b> a graph reads its dump on demand; after {@link HeapDump#close()} only the
 * in-memory parts (counts, references, classes) may be used; {@link #shallowSize},
 * {@link #referenceName}, {@link #fieldValue} and {@link #stringValue} read the file and must not be called.
 */
public final class HeapGraph {

    /** What every accessor reads: the dump's index, which the graph is the public face of. */
    final DumpIndex index;
    /** The classes, one per class record of the index, at the same indexes. */
    private final HeapClass[] classes;
    private final List<HeapClass> classList;

    HeapGraph(DumpIndex index) {
        this.index = index;
        List<ClassRecord> records = index.classes();
        classes = new HeapClass[records.size()];
        for (int i = 0; i < classes.length; i++) {
            classes[i] = new HeapClass(records.get(i));
        }
        for (HeapClass c : classes) {
            ClassRecord sup = c.record.superClass();
            c.superClass = sup == null ? null : classes[sup.index()];
        }
        classList = List.of(classes);
    }

    /** {@return number of objects: instances, arrays and class objects} */
    public int objectCount() {
        return index.objectCount();
    }

    /**
     * Where the arrays of this dump's index live, on the heap or in mapped files of a work folder; an analysis of
     * the dump allocates its own per-object arrays from it too, so that they follow the same choice.
     *
     * @return the dump's index storage
     */
    public Storage storage() {
        return index.storage();
    }

    /**
     * The id the dump gives object {@code object} (its address in the JVM, for HotSpot).
     *
     * @param object the object's index, 0 to {@code objectCount() - 1}
     * @return its id in the dump
     */
    public long objectId(int object) {
        return index.objectId(object);
    }

    /**
     * The index of the object with this id, or -1 when no object of the dump has it.
     *
     * @param id an id as the dump writes it
     * @return the object's index, or -1
     */
    public int objectIndex(long id) {
        return index.objectIndex(id);
    }

    /**
     * The class of an object; a class object's class is {@code java.lang.Class}.
     *
     * @param object the object's index
     * @return its class
     */
    public HeapClass classOf(int object) {
        return classes[index.classIndexOf(object)];
    }

    /**
     * The class that a class object stands for, or {@code null} when {@code object} is not a class object.
     *
     * @param object the object's index
     * @return the class it stands for, or {@code null}
     */
    public HeapClass asClass(int object) {
        ClassRecord c = index.asClass(object);
        return c == null ? null : classes[c.index()];
    }

    /**
     * Whether an object is an array (of objects or primitives).
     *
     * @param object the object's index
     * @return whether it is an array
     */
    public boolean isArray(int object) {
        return index.isArray(object);
    }

    /**
     * The first {@code maxElements} elements of a primitive array as text ({@code [1, 2, 3, …]}; a {@code char[]} as
     * its characters in quotes), or {@code null} when {@code object} is not a primitive array with its data in the
     * dump. Only those elements are read.
     *
     * @param object      the object's index
     * @param maxElements how many elements to show at most
     * @return the preview, or null
     */
    public String primitiveArrayPreview(int object, int maxElements) {
        return index.primitiveArrayPreview(object, maxElements);
    }

    /**
     * The length of an array object, or -1 when {@code object} is not an array.
     *
     * @param object the object's index
     * @return its length, or -1
     */
    public int arrayLength(int object) {
        return index.arrayLength(object);
    }

    /**
     * Shallow size as the JVM counted it: header, fields or elements at the VM's reference width, and
     * alignment. For a class object: the size of a {@code java.lang.Class} instance plus its static fields
     * (where JDK 8 and later keep them), an approximation.
     *
     * @param object the object's index
     * @return its shallow size in bytes
     */
    public long shallowSize(int object) {
        return index.shallowSize(object);
    }

    /**
     * The first reference number of {@code object}; {@code firstReference(objectCount())} is their count.
     *
     * @param object the object's index, up to {@code objectCount()}
     * @return the number of its first reference
     */
    public long firstReference(int object) {
        return index.firstReference(object);
    }

    /**
     * The object a reference points to.
     *
     * @param reference a reference number
     * @return the index of the object it points to
     */
    public int referenceTarget(long reference) {
        return index.referenceTarget(reference);
    }

    /**
     * The kind of a reference.
     *
     * @param reference a reference number
     * @return its kind
     */
    public ReferenceKind referenceKind(long reference) {
        return index.referenceKind(reference);
    }

    /**
     * The object a reference comes from (a binary search over {@link #firstReference}).
     *
     * @param reference a reference number
     * @return the index of the object it comes from
     */
    public int referenceSource(long reference) {
        return index.referenceSource(reference);
    }

    /**
     * A reference's name, decoded from the dump: a field name ({@code "elementData"}, {@code "referent"}),
     * an array index ({@code "[3]"}), a static field ({@code "static INSTANCE"}), or the class structure
     * ({@code "<class>"}, {@code "<super>"}, {@code "<loader>"}, {@code "<signers>"},
     * {@code "<protection domain>"}, {@code "<constant pool>[7]"}).
     *
     * @param reference a reference number
     * @return its name
     */
    public String referenceName(long reference) {
        return index.referenceName(reference);
    }

    /**
     * The names of all of an object's references, in reference order ({@link #referenceName} of
     * {@code firstReference(object)} and on), decoded in one walk of its record: for the elements of a large array,
     * what {@link #referenceName} one by one would cost quadratically.
     *
     * @param object the object's index
     * @return the names of its references, in order
     */
    public String[] referenceNames(int object) {
        return index.referenceNames(object);
    }

    /** {@return number of GC roots (an object held for several reasons counts once per reason)} */
    public int gcRootCount() {
        return index.gcRootCount();
    }

    /**
     * The {@code i}th GC root, in the order of the dump.
     *
     * @param i 0 to {@code gcRootCount() - 1}
     * @return the root
     */
    public GcRoot gcRoot(int i) {
        return index.gcRoot(i);
    }

    /** {@return all classes of the dump, array classes included, indexed by {@link HeapClass#index()}} */
    public List<HeapClass> classes() {
        return classList;
    }

    /**
     * The first class of this name, or {@code null}. The name may be spelled as the VM or Java spells it
     * ({@link HeapClass#javaName}): a hidden class is found as {@code app.Feed$$Lambda$57/0x0000000800c01234}
     * and as {@code app.Feed$$Lambda$57+0x0000000800c01234}.
     *
     * @param name a class name, as Java or the VM spells it
     * @return the class, or {@code null}
     */
    public HeapClass findClass(String name) {
        ClassRecord c = index.findClass(name);
        return c == null ? null : classes[c.index()];
    }

    /**
     * The value of an instance field, read from the dump: {@code null} or an {@link ObjectRef} for a
     * reference field, a boxed primitive ({@code Integer}, {@code Boolean}, ...) otherwise. When a class and
     * a super class declare fields of the same name, the subclass's field is read. For a class object, the
     * class's static field of that name is read.
     *
     * @param object the object's index
     * @param fieldName the field's name
     * @return its value
     * @throws IllegalArgumentException when the object has no field of that name
     */
    public Object fieldValue(int object, String fieldName) {
        return index.fieldValue(object, fieldName);
    }

    /**
     * The value of a static field of a class, read from the dump, typed as by {@link #fieldValue}.
     *
     * @param heapClass the class
     * @param fieldName the static field's name
     * @return its value
     * @throws IllegalArgumentException when the class declares no static field of that name
     */
    public Object staticFieldValue(HeapClass heapClass, String fieldName) {
        return index.staticFieldValue(heapClass.record, fieldName);
    }

    /**
     * The text of a {@code java.lang.String} object (Latin-1 or UTF-16 {@code byte[]} of JDK 9 and later,
     * {@code char[]} with offset and count of older JDKs), or {@code null} when {@code object} is not a
     * String or its characters are not in the dump.
     *
     * @param object the object's index
     * @return its text, or {@code null}
     */
    public String stringValue(int object) {
        return index.stringValue(object);
    }

    /**
     * The first {@code maxChars} characters of a {@code String} object, as {@link #stringValue(int)}: only they
     * are read, so that a name or a description of many megabytes costs no more than its beginning.
     *
     * @param object the object's index
     * @param maxChars how many characters to read at most
     * @return the beginning of its text, or {@code null}
     */
    public String stringValue(int object, int maxChars) {
        return index.stringValue(object, maxChars);
    }
}
