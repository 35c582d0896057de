package dev.refkit.heap.index;

import dev.refkit.heap.DumpInfo;
import dev.refkit.heap.GcRoot;
import dev.refkit.heap.GcRootKind;
import dev.refkit.heap.ObjectRef;
import dev.refkit.heap.ProgressListener;
import dev.refkit.heap.ReferenceKind;
import dev.refkit.heap.StackFrame;
import dev.refkit.heap.hprof.BasicType;
import dev.refkit.heap.hprof.HprofFormatException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;

/**
 * The index of one dump: the objects and the references between them in long-indexed arrays of a
 * {@link Storage}, the classes as {@link ClassRecord}s, the GC roots, the histogram's counts, and the dump's file,
 * from which everything else (names of references, field values, strings) is decoded on demand.
 *
 * <p>{@code dev.refkit.heap.HeapGraph} and {@code HeapDump} are its public face and document what each accessor
 * means; this class is what they stand on: {@link #open} runs the indexer, and the index neither knows nor names
 * the classes above it (it uses the model's value types: {@link ReferenceKind}, {@link GcRootKind}, {@link GcRoot},
 * {@link DumpInfo}, {@link ObjectRef}, {@link StackFrame}, {@link ProgressListener}). Numbering: objects are {@code 0 .. objectCount() - 1} in ascending order
 * of their ids; the outgoing references of object {@code o} are {@code firstReference(o) .. firstReference(o + 1)
 * - 1}, read from the dump on first use (see {@link ReferencePass}).
 */
public final class DumpIndex {

    static final int SLOT_CLASS = -1;
    static final int SLOT_SUPER = -2;
    static final int SLOT_LOADER = -3;
    static final int SLOT_SIGNERS = -4;
    static final int SLOT_PROTECTION_DOMAIN = -5;
    static final int SLOT_CONSTANT_POOL = -16;

    static final int CLASS_DUMP = 0x20;
    static final int INSTANCE_DUMP = 0x21;
    static final int OBJ_ARRAY_DUMP = 0x22;
    static final int PRIM_ARRAY_DUMP = 0x23;
    static final int PRIM_ARRAY_NODATA = 0xc3;

    /** Receives the references of one object, in order. */
    interface EdgeSink {
        void edge(int target, ReferenceKind kind, int slot);

        void dangling(long id);
    }

    /**
     * What reading the references produces: per object its class and first reference number, and the
     * references. Immutable; its final fields make it safe to publish through a plain field.
     */
    static final class References {
        final CharArray classOfNarrow;
        final IntArray classOfWide;
        final LongArray first;
        final IntArray targets;
        final ByteArray kinds;
        final long count;
        final long dangling;

        References(CharArray classOfNarrow, IntArray classOfWide, LongArray first, IntArray targets, ByteArray kinds,
                   long count, long dangling) {
            this.classOfNarrow = classOfNarrow;
            this.classOfWide = classOfWide;
            this.first = first;
            this.targets = targets;
            this.kinds = kinds;
            this.count = count;
            this.dangling = dangling;
        }

        int classIndexOf(int object) {
            return classOfNarrow != null ? classOfNarrow.get(object) : classOfWide.get(object);
        }

        long bytes() {
            return 8L * first.length() + 5L * targets.length();
        }

        long classBytes() {
            return classOfNarrow != null ? 2L * classOfNarrow.length() : 4L * classOfWide.length();
        }
    }

    /** Reads the references when first asked for; see {@link #references()}. */
    interface ReferenceReader {
        References read(DumpIndex dump) throws HprofFormatException;
    }

    final HprofFile file;
    /** Where the per-object and per-reference arrays live. */
    final Storage storage;
    final int idSize;
    final ObjectIds ids;
    /** How the reader made {@link #ids}. */
    HeapIndexer.IdTable idTable;
    /** Read on first use; null until then. */
    private References references;
    private ReferenceReader referenceReader;
    /** Class ids and their indexes, by hash (open addressing, at most half full, 0 marks a free slot). */
    long[] classTableIds;
    int[] classTableIndexes;
    private long classTableSeed;
    /** The class given to object arrays whose array class the dump does not describe; -1 if none. */
    int objectArrayFallback = -1;
    final ClassRecord[] classes;
    final List<ClassRecord> classList;
    /** Object indexes of class objects, ascending, and the class each stands for. */
    int[] classObjects;
    ClassRecord[] classObjectClasses;
    ClassRecord javaLangClass;
    ClassRecord[] primitiveArrayClasses;
    VmLayout vm;

    int[] rootObjects;
    byte[] rootKinds;
    /** Null when no root names a thread. */
    int[] rootThreads;
    int[] rootFrameDepths;
    StackFrame[] rootFrames;

    /** Set by the indexer once the histogram's layout is chosen: instances and shallow bytes per class index. */
    long[] histogramCounts;
    long[] histogramBytes;
    /** Set by the indexer: what {@link #info()} says before the references are read. */
    DumpInfo info;

    /** The default size of the windows in which the dump's file is mapped. */
    public static final long DEFAULT_MAPPING_BYTES = HprofFile.DEFAULT_MAPPING_BYTES;

    /**
     * Indexes a dump: maps (or first decompresses) its file, makes the index's storage for its size and reads its
     * objects, classes, roots and histogram; the references are read on first use. On failure, whatever was
     * opened is closed again.
     *
     * @param file              the dump
     * @param progress          receives the phases of the indexing
     * @param referenceProgress receives the progress of reading the references, later
     * @param mappingBytes      the size of the windows in which the file is mapped
     * @param mode              where the index's arrays live
     * @param workDir           the folder for the index's files, or null for the default
     * @return the index, open until {@link #close()}
     * @throws IOException when the file cannot be read
     * @throws HprofFormatException when the file is not a heap dump this reader understands
     * @throws java.io.UncheckedIOException when the index's storage cannot be made (no room, no folder); this and
     *         what else goes wrong (what a listener throws, {@link OutOfMemoryError}, an inconsistency that the
     *         checks let through) come out as they are: {@code HeapDump.open} turns them into what a user reads
     */
    public static DumpIndex open(java.nio.file.Path file, ProgressListener progress, ProgressListener referenceProgress,
                                 long mappingBytes, Storage.Mode mode, java.nio.file.Path workDir) throws IOException {
        HprofFile in = null;
        Storage storage = null;
        try {
            in = HprofFile.open(file, mappingBytes, bytes -> progress.progress("decompressing", bytes, -1));
            storage = Storage.forDump(in.size(), mode, workDir);
            return new HeapIndexer(in, storage, progress, referenceProgress).build(file);
        } catch (IOException | RuntimeException | Error e) {
            closeAfter(e, in, storage);
            throw e;
        }
    }

    /** Closes what was opened before {@code failure}, which a failure to close must not hide. */
    private static void closeAfter(Throwable failure, HprofFile in, Storage storage) {
        try {
            if (storage != null) {
                storage.close();
            }
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
        try {
            if (in != null) {
                in.close();
            }
        } catch (IOException | RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    /**
     * Releases the index's storage (its files, if any) and the dump's file.
     *
     * @throws UncheckedIOException when the file cannot be closed
     */
    public void close() {
        storage.close();
        try {
            file.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The exception that tells a user who ran out of memory what to change.
     *
     * @param file  the dump
     * @param doing what was being done, as in "not enough memory to {@code doing} the dump"
     * @param e     the error
     * @return the exception to throw
     */
    public static IOException outOfMemory(java.nio.file.Path file, String doing, OutOfMemoryError e) {
        long max = Runtime.getRuntime().maxMemory();
        long suggested = Math.max(1, (2 * max + (1L << 30) - 1) >> 30);
        return new IOException(file.getFileName() + ": not enough memory to " + doing + " the dump: this JVM's heap "
                + "is at most " + String.format(java.util.Locale.ROOT, "%,d MB", max >> 20) + "; keep the index in "
                + "files (Storage.Mode.FILES; --index files for the refkit command), or give the JVM more heap with "
                + "-Xmx, e.g. -Xmx" + suggested + "g (REFKIT_JAVA_OPTS=-Xmx" + suggested + "g)", e);
    }

    /**
     * The dump's facts; once the references are read, with their counts and the bytes of their arrays.
     *
     * @return the facts
     */
    public DumpInfo info() {
        References r = references();
        DumpInfo i = info;
        return new DumpInfo(i.file(), i.formatVersion(), i.idSize(), i.timestamp(), i.bytes(), i.gzipped(),
                i.vmLayout(), i.compressedReferences(), i.objectCount(), i.classCount(), i.instanceCount(),
                i.objectArrayCount(), i.primitiveArrayCount(), r.count, r.dangling, i.gcRootCount(),
                i.danglingGcRoots(), i.duplicateObjects(), i.indexBytes() + r.classBytes(), r.bytes());
    }

    /**
     * The histogram's count of a class: its instances (for {@code java.lang.Class}, the class objects too).
     *
     * @param classIndex the class's index
     * @return how many objects of the class the dump holds
     */
    public long histogramCount(int classIndex) {
        return histogramCounts[classIndex];
    }

    /**
     * The histogram's shallow bytes of a class's objects, under the layout of the VM that wrote the dump.
     *
     * @param classIndex the class's index
     * @return the shallow bytes of all objects of the class
     */
    public long histogramBytes(int classIndex) {
        return histogramBytes[classIndex];
    }

    DumpIndex(HprofFile file, Storage storage, ObjectIds ids, ClassRecord[] classes) {
        this.file = file;
        this.storage = storage;
        this.idSize = file.idSize();
        this.ids = ids;
        this.classes = classes;
        this.classList = List.of(classes);
    }

    /** {@return number of objects: instances, arrays and class objects} */
    public int objectCount() {
        return ids.count();
    }

    /**
     * Where the arrays of this dump's index live, on the heap or in mapped files of a work folder; an analysis of
     * the dump allocates its own per-object arrays from it too, so that they follow the same choice.
     *
     * @return the dump's index storage
     */
    public Storage storage() {
        return storage;
    }

    /**
     * The id the dump gives object {@code object} (its address in the JVM, for HotSpot).
     *
     * @param object the object's index, 0 to {@code objectCount() - 1}
     * @return its id in the dump
     */
    public long objectId(int object) {
        return ids.id(object);
    }

    /**
     * The index of the object with this id, or -1 when no object of the dump has it.
     *
     * @param id an id as the dump writes it
     * @return the object's index, or -1
     */
    public int objectIndex(long id) {
        return ids.indexOf(id);
    }

    /**
     * The class of an object; a class object's class is {@code java.lang.Class}.
     *
     * @param object the object's index
     * @return its class
     */
    public ClassRecord classOf(int object) {
        return classes[classIndexOf(object)];
    }

    /**
     * The index of an object's class.
     *
     * @param object the object's index
     * @return its class's index
     */
    public int classIndexOf(int object) {
        References r = references;
        return r != null ? r.classIndexOf(object) : classIndexAt(position(object));
    }

    /**
     * The class index of the object whose record is at {@code pos}, decoded from the dump. The indexer has
     * checked that every object's class is known, so the result is a valid index.
     */
    int classIndexAt(long pos) {
        return classIndexAt(pos, file.u1(pos));
    }

    /** {@link #classIndexAt(long)} given the record's tag. */
    int classIndexAt(long pos, int tag) {
        switch (tag) {
            case INSTANCE_DUMP:
                return classIndex(file.id(pos + 1 + idSize + 4));
            case OBJ_ARRAY_DUMP: {
                int c = classIndex(file.id(pos + 1 + idSize + 8));
                return c >= 0 ? c : objectArrayFallback;
            }
            case PRIM_ARRAY_DUMP:
            case PRIM_ARRAY_NODATA:
                return primitiveArrayClasses[file.u1(pos + 1 + idSize + 8)].index;
            default:
                return javaLangClass.index;
        }
    }

    private int classSlot(long id) {
        return IdHash.hash(id, classTableSeed) & (classTableIds.length - 1);
    }

    /** Fills the class table from the classes' ids. */
    void indexClasses() {
        classTableSeed = IdHash.newSeed();
        int capacity = Integer.highestOneBit(Math.max(4, classes.length) * 4);
        classTableIds = new long[capacity];
        classTableIndexes = new int[capacity];
        for (ClassRecord c : classes) {
            if (c.id == 0) {
                continue;
            }
            int i = classSlot(c.id);
            while (classTableIds[i] != 0 && classTableIds[i] != c.id) {
                i = (i + 1) & (capacity - 1);
            }
            if (classTableIds[i] == 0) {
                classTableIds[i] = c.id;
                classTableIndexes[i] = c.index;
            }
        }
    }

    /** The index of the class with this id, or -1. */
    int classIndex(long id) {
        if (id == 0) {
            return -1;
        }
        int mask = classTableIds.length - 1;
        for (int i = classSlot(id); ; i = (i + 1) & mask) {
            long at = classTableIds[i];
            if (at == id) {
                return classTableIndexes[i];
            }
            if (at == 0) {
                return -1;
            }
        }
    }

    /** The class with this id, or null. */
    ClassRecord classById(long id) {
        int i = classIndex(id);
        return i >= 0 ? classes[i] : null;
    }

    /** Sets what reads the references on first use. */
    void readReferencesWith(ReferenceReader reader) {
        this.referenceReader = reader;
    }

    /**
     * The references, read from the dump on the first call (by any thread; the others wait for it).
     * Opening a dump reads objects and classes only, so that what needs no references (the histogram, field
     * values, a class's instances) does not wait for them or hold their memory.
     *
     * @throws UncheckedIOException with the {@link HprofFormatException} when the dump cannot be read, or an
     *         IOException that says how much heap this JVM had when it ran out; a later call tries again
     */
    References references() {
        References r = references;
        return r != null ? r : readReferences();
    }

    private synchronized References readReferences() {
        if (references == null) {
            try {
                references = referenceReader.read(this);
            } catch (HprofFormatException e) {
                throw new UncheckedIOException(e);
            } catch (OutOfMemoryError e) {
                throw new UncheckedIOException(outOfMemory(file.path(), "read the references of", e));
            }
            referenceReader = null;
        }
        return references;
    }

    /** Whether the references have been read. */
    boolean referencesRead() {
        return references != null;
    }

    /**
     * The class that a class object stands for, or {@code null} when {@code object} is not a class object.
     *
     * @param object the object's index
     * @return the class it stands for, or {@code null}
     */
    public ClassRecord asClass(int object) {
        int i = Arrays.binarySearch(classObjects, object);
        return i >= 0 ? classObjectClasses[i] : null;
    }

    /**
     * Whether an object is an array (of objects or primitives).
     *
     * @param object the object's index
     * @return whether it is an array
     */
    public boolean isArray(int object) {
        int tag = file.u1(position(object));
        return tag == OBJ_ARRAY_DUMP || tag == PRIM_ARRAY_DUMP || tag == PRIM_ARRAY_NODATA;
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
        return ObjectText.primitiveArrayPreview(file, idSize, position(object), maxElements);
    }

    /**
     * The length of an array object, or -1 when {@code object} is not an array.
     *
     * @param object the object's index
     * @return its length, or -1
     */
    public int arrayLength(int object) {
        long pos = position(object);
        int tag = file.u1(pos);
        if (tag == OBJ_ARRAY_DUMP || tag == PRIM_ARRAY_DUMP || tag == PRIM_ARRAY_NODATA) {
            return file.i4(pos + 1 + idSize + 4);
        }
        return -1;
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
        return shallowSize(object, vm);
    }

    long shallowSize(int object, VmLayout layout) {
        long pos = position(object);
        int tag = file.u1(pos);
        ClassRecord c = classOf(object);
        switch (tag) {
            case INSTANCE_DUMP:
                return c.layouts[layoutIndex(layout)].instanceSize;
            case OBJ_ARRAY_DUMP:
                return layout.arraySize(BasicType.OBJECT, file.u4(pos + 1 + idSize + 4));
            case PRIM_ARRAY_DUMP:
            case PRIM_ARRAY_NODATA:
                return layout.arraySize(c.elementType, file.u4(pos + 1 + idSize + 4));
            default:
                ClassRecord self = asClass(object);
                long size = c.layouts[layoutIndex(layout)].instanceSize;
                if (self != null) {
                    for (ClassRecord.Field f : self.staticFields) {
                        size += layout.elementSize(f.type());
                    }
                }
                return VmLayout.align(size, VmLayout.OBJECT_ALIGNMENT);
        }
    }

    private VmLayout[] candidates;

    void candidates(VmLayout[] all) {
        candidates = all;
        lastLayout = null;
    }

    /** The layout asked for last and its index: every shallow size asks for the same one. */
    private record LayoutSlot(VmLayout layout, int index) {
    }

    private LayoutSlot lastLayout; // a benign race: the record is immutable, published through its final fields

    int layoutIndex(VmLayout layout) {
        LayoutSlot last = lastLayout;
        if (last != null && last.layout == layout) {
            return last.index;
        }
        for (int i = 0; i < candidates.length; i++) {
            if (candidates[i] == layout) {
                lastLayout = new LayoutSlot(layout, i);
                return i;
            }
        }
        throw new IllegalStateException("unknown layout " + layout);
    }

    /**
     * The first reference number of {@code object}; {@code firstReference(objectCount())} is their count.
     *
     * @param object the object's index, up to {@code objectCount()}
     * @return the number of its first reference
     */
    public long firstReference(int object) {
        return references().first.get(object);
    }

    /**
     * The object a reference points to.
     *
     * @param reference a reference number
     * @return the index of the object it points to
     */
    public int referenceTarget(long reference) {
        return references().targets.get(reference);
    }

    /**
     * The kind of a reference.
     *
     * @param reference a reference number
     * @return its kind
     */
    public ReferenceKind referenceKind(long reference) {
        return ReferenceKind.ofOrdinal(references().kinds.get(reference));
    }

    /**
     * The object a reference comes from (a binary search over {@link #firstReference}).
     *
     * @param reference a reference number
     * @return the index of the object it comes from
     */
    public int referenceSource(long reference) {
        LongArray firstReference = references().first;
        int lo = 0;
        int hi = objectCount() - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (firstReference.get(mid) <= reference) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
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
        int source = referenceSource(reference);
        long wanted = reference - references().first.get(source);
        int[] found = {Integer.MIN_VALUE, -1};
        EdgeSink finder = new EdgeSink() {
            long seen;

            @Override
            public void edge(int target, ReferenceKind kind, int slot) {
                if (seen++ == wanted) {
                    found[0] = slot;
                    found[1] = kind.ordinal();
                }
            }

            @Override
            public void dangling(long id) {
            }
        };
        try {
            walk(source, finder);
        } catch (HprofFormatException e) {
            throw new UncheckedIOException(e);
        }
        return referenceName(source, found[0], ReferenceKind.ofOrdinal(found[1]));
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
        String[] names = new String[(int) (firstReference(object + 1) - firstReference(object))];
        EdgeSink namer = new EdgeSink() {
            int seen;

            @Override
            public void edge(int target, ReferenceKind kind, int slot) {
                if (seen < names.length) {
                    names[seen++] = referenceName(object, slot, kind);
                }
            }

            @Override
            public void dangling(long id) {
            }
        };
        try {
            walk(object, namer);
        } catch (HprofFormatException e) {
            throw new UncheckedIOException(e);
        }
        return names;
    }

    private String referenceName(int source, int slot, ReferenceKind kind) {
        switch (slot) {
            case SLOT_CLASS:
                return "<class>";
            case SLOT_SUPER:
                return "<super>";
            case SLOT_LOADER:
                return "<loader>";
            case SLOT_SIGNERS:
                return "<signers>";
            case SLOT_PROTECTION_DOMAIN:
                return "<protection domain>";
            default:
                break;
        }
        if (slot <= SLOT_CONSTANT_POOL) {
            return "<constant pool>[" + (SLOT_CONSTANT_POOL - slot) + "]";
        }
        if (kind == ReferenceKind.STATIC_FIELD) {
            return "static " + asClass(source).staticFields.get(slot).name();
        }
        if (kind == ReferenceKind.ARRAY_ELEMENT) {
            return "[" + slot + "]";
        }
        return classOf(source).instanceFieldName(slot);
    }

    /** {@return number of GC roots (an object held for several reasons counts once per reason)} */
    public int gcRootCount() {
        return rootObjects.length;
    }

    /**
     * The {@code i}th GC root, in the order of the dump.
     *
     * @param i 0 to {@code gcRootCount() - 1}
     * @return the root
     */
    public GcRoot gcRoot(int i) {
        GcRootKind kind = GcRootKind.ofOrdinal(rootKinds[i]);
        return rootThreads == null ? new GcRoot(rootObjects[i], kind, -1, -1, null)
                : new GcRoot(rootObjects[i], kind, rootThreads[i], rootFrameDepths[i], rootFrames[i]);
    }

    /** {@return all classes of the dump, array classes included, indexed by {@link ClassRecord#index()}} */
    public List<ClassRecord> classes() {
        return classList;
    }

    /**
     * The first class of this name, or {@code null}. The name may be spelled as the VM or Java spells it
     * ({@link ClassRecord#javaName}): a hidden class is found as {@code app.Feed$$Lambda$57/0x0000000800c01234}
     * and as {@code app.Feed$$Lambda$57+0x0000000800c01234}.
     *
     * @param name a class name, as Java or the VM spells it
     * @return the class, or {@code null}
     */
    public ClassRecord findClass(String name) {
        String wanted = ClassRecord.javaName(name);
        for (ClassRecord c : classes) {
            if (c.name.equals(wanted)) {
                return c;
            }
        }
        return null;
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
        return ObjectText.fieldValue(this, object, fieldName);
    }

    /**
     * The value of a static field of a class, read from the dump, typed as by {@link #fieldValue}.
     *
     * @param record the class
     * @param fieldName the static field's name
     * @return its value
     * @throws IllegalArgumentException when the class declares no static field of that name
     */
    public Object staticFieldValue(ClassRecord record, String fieldName) {
        return ObjectText.staticFieldValue(this, record, fieldName);
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
        return stringValue(object, Integer.MAX_VALUE);
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
        return ObjectText.string(this, object, maxChars);
    }

    /** A field's value, or null when the object has no such field. */
    Object optionalField(int object, String name) {
        return classOf(object).hasInstanceField(name) ? fieldValue(object, name) : null;
    }

    long position(int object) {
        return ids.position(object);
    }

    /**
     * Reports the references of {@code object} to {@code sink}, in the order that defines reference
     * numbers. Pass 2 builds the CSR arrays with it; {@link #referenceName} replays it, which is why
     * the order and the dangling rule must never depend on anything but the dump.
     */
    void walk(int object, EdgeSink sink) throws HprofFormatException {
        long pos = position(object);
        walk(object, pos, file.u1(pos), classOf(object), sink);
    }

    /** {@link #walk(int, EdgeSink)} given the object's position, record tag and class. */
    void walk(int object, long pos, int tag, ClassRecord c, EdgeSink sink) throws HprofFormatException {
        ReferenceWalk.walk(this, object, pos, tag, c, sink);
    }
}
