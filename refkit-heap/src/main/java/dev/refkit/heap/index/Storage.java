package dev.refkit.heap.index;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Where the per-object and per-reference arrays of a dump's index live: on the Java heap, or in memory-mapped
 * files of a work folder. Every array is long-indexed ({@link IntArray}, {@link LongArray}, {@link ByteArray},
 * {@link CharArray}) and reads the same either way; the choice is made once per dump ({@link #forDump}), before the
 * first array.
 *
 * <p>Implementation notes. On the heap an array is one Java array while its length allows (up to 2^31 - 16
 * elements) and 1 GiB buffers beyond. In files, each array is one file of the work folder mapped in 1 GiB buffers
 * ({@link Chunks}); the file is created sparse (zero, as a new Java array is), mapped, and then deleted at once, so
 * that the kernel frees its blocks when the mapping goes, even when the process is killed (on systems that cannot
 * delete an open file, the folder is swept by the next process instead: {@link WorkFolder}). Mapped pages are page
 * cache: the kernel writes them back and drops them under pressure, which is what keeps the process's anonymous
 * memory (its heap) small while the index is larger than memory. Arrays under {@link #SMALL_BYTES} stay on the
 * heap in either mode. {@link #free} unmaps an array at once ({@link Mapper}) instead of waiting for
 * a collection; an array must not be used after it.
 */
public final class Storage implements AutoCloseable {

    /**
     * Arrays smaller than this stay on the heap even when the index is in files; the system property
     * {@code refkit.index.mapFrom} (bytes) sets another size, 0 to map every array (as tests do).
     */
    static final long SMALL_BYTES = 1L << 20;
    /** The longest Java array the VMs allocate. */
    static final long MAX_ARRAY = Integer.MAX_VALUE - 16;

    /**
     * How the index is kept: {@code HEAP}, {@code FILES}, or {@code AUTO}: files when the dump would need more than
     * about 60% of this JVM's heap, or as the system property {@code refkit.index} ({@code heap} or {@code files})
     * says.
     */
    public enum Mode {
        /** Every array on the Java heap. */
        HEAP,
        /** Arrays over a megabyte in memory-mapped files of a work folder. */
        FILES,
        /** Files when the dump is too large for this JVM's heap, else the heap. */
        AUTO
    }

    /** Bytes of index on the heap per byte of dump, as measured on dumps of JDK 8 to 25 programs (with margin). */
    static final double HEAP_BYTES_PER_DUMP_BYTE = 2.0;

    private final boolean files;
    private final long mapFrom = Long.getLong("refkit.index.mapFrom", SMALL_BYTES);
    private final Path base;
    private WorkFolder folder;
    /** Whether the folder's chunks are advised random ({@link Mapper}). */
    private boolean adviseRandom;
    private final AtomicLong mappedBytes = new AtomicLong();
    private final AtomicLong fileCount = new AtomicLong();
    private volatile boolean closed;

    private Storage(boolean files, Path base) {
        this.files = files;
        this.base = base;
    }

    /** The storage on the heap: it maps nothing, so it has no state and closing it changes nothing. */
    private static final Storage ON_HEAP = new Storage(false, null);

    /**
     * Everything on the heap: for dumps that fit, for small working arrays, and for tests.
     *
     * @return the storage on the heap
     */
    public static Storage onHeap() {
        return ON_HEAP;
    }

    /**
     * Arrays over a megabyte in files of a folder made under {@code base} when the first is mapped.
     *
     * @param base where the work folder goes; null for the default (the system's temporary folder)
     * @return a storage in files
     */
    public static Storage inFiles(Path base) {
        return new Storage(true, base);
    }

    /**
     * The storage for a dump of {@code dumpBytes}: on the heap when the index fits this JVM's heap with room to
     * spare, in files of a folder under {@code base} (null: the default) otherwise, or as {@code mode} (or the
     * system property {@code refkit.index}, for {@code AUTO}) says.
     *
     * @param dumpBytes the dump's size in bytes (uncompressed)
     * @param mode      where the caller wants the index; null for {@link Mode#AUTO}
     * @param base      where the work folder goes; null for the default
     * @return the storage for the dump's index
     */
    public static Storage forDump(long dumpBytes, Mode mode, Path base) {
        Mode chosen = mode == null ? Mode.AUTO : mode;
        if (chosen == Mode.AUTO) {
            chosen = switch (System.getProperty("refkit.index", "").toLowerCase(Locale.ROOT)) {
                case "heap" -> Mode.HEAP;
                case "files" -> Mode.FILES;
                default -> Mode.AUTO;
            };
        }
        if (chosen == Mode.AUTO) {
            long heap = Runtime.getRuntime().maxMemory();
            chosen = dumpBytes * HEAP_BYTES_PER_DUMP_BYTE > 0.6 * heap ? Mode.FILES : Mode.HEAP;
        }
        return chosen == Mode.FILES ? inFiles(base) : onHeap();
    }

    /**
     * Whether arrays over a megabyte are in mapped files.
     *
     * @return true in files
     */
    public boolean inFiles() {
        return files;
    }

    /**
     * The folder the files are in.
     *
     * @return the work folder, or null when no array has been mapped yet
     */
    public synchronized Path folder() {
        return folder == null ? null : folder.path();
    }

    /**
     * Bytes of arrays mapped so far, freed ones included: the work folder's high-water mark is at most this.
     *
     * @return bytes mapped
     */
    public long mappedBytes() {
        return mappedBytes.get();
    }

    /**
     * A new array of zeros.
     *
     * @param length its length
     * @return the array
     */
    public IntArray ints(long length) {
        check(length);
        if (length <= MAX_ARRAY && !mapped(length * 4)) {
            return new IntArray(new int[(int) length], null, length);
        }
        return new IntArray(null, chunks(length * 4), length);
    }

    /**
     * A new array of zeros.
     *
     * @param length its length
     * @return the array
     */
    public LongArray longs(long length) {
        check(length);
        if (length <= MAX_ARRAY && !mapped(length * 8)) {
            return new LongArray(new long[(int) length], null, length);
        }
        return new LongArray(null, chunks(length * 8), length);
    }

    /**
     * A new array of zeros.
     *
     * @param length its length
     * @return the array
     */
    public ByteArray bytes(long length) {
        check(length);
        if (length <= MAX_ARRAY && !mapped(length)) {
            return new ByteArray(new byte[(int) length], null, length);
        }
        return new ByteArray(null, chunks(length), length);
    }

    /**
     * A new array of zeros.
     *
     * @param length its length
     * @return the array
     */
    public CharArray chars(long length) {
        check(length);
        if (length <= MAX_ARRAY && !mapped(length * 2)) {
            return new CharArray(new char[(int) length], null, length);
        }
        return new CharArray(null, chunks(length * 2), length);
    }

    private static void check(long length) {
        if (length < 0 || length > Long.MAX_VALUE / 8) {
            throw new IllegalArgumentException("array length " + length);
        }
    }

    private boolean mapped(long bytes) {
        return files && bytes >= mapFrom;
    }

    private Chunks chunks(long bytes) {
        if (!files) {
            return Chunks.onHeap(bytes);
        }
        return Chunks.mapped(map(bytes));
    }

    /**
     * Releases an array's memory now: a mapped one is unmapped (its file's blocks freed), a heap one left to the
     * collector. The array must not be used afterwards.
     *
     * @param array the array, or null
     */
    public static void free(LongIndexed array) {
        if (array != null) {
            array.release();
        }
    }

    private synchronized MappedFile map(long bytes) {
        if (closed) {
            throw new IllegalStateException("the dump's index storage is closed");
        }
        if (folder == null) {
            folder = WorkFolder.create(base);
            adviseRandom = Mapper.adviseRandom(folder.path());
        }
        Path file = folder.path().resolve("index-" + fileCount.incrementAndGet() + ".bin");
        try {
            long usable = Files.getFileStore(folder.path()).getUsableSpace();
            if (usable < bytes + (64L << 20)) {
                throw new UncheckedIOException(new IOException(String.format(Locale.ROOT,
                        "not enough room for the dump's index in %s (%,d MB more needed, %,d MB free); choose a "
                                + "folder on a larger disk with --work-dir", folder.path(), bytes >> 20, usable >> 20)));
            }
            Mapper.Mapped buffers;
            try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
                raf.setLength(bytes);
                buffers = Mapper.map(raf.getChannel(), bytes, adviseRandom);
            }
            mappedBytes.addAndGet(bytes);
            MappedFile mapped = new MappedFile(file, buffers);
            // the mapping outlives the name: the blocks are freed when it goes, even if the process is killed
            mapped.deleted = WorkFolder.deleteQuietly(file);
            return mapped;
        } catch (IOException e) {
            WorkFolder.deleteQuietly(file);
            throw new UncheckedIOException(new IOException("cannot map " + (bytes >> 20) + " MB for the dump's index in "
                    + folder.path() + " (" + e.getMessage() + "); choose another folder with --work-dir", e));
        }
    }

    /** Removes the work folder; arrays still mapped stay readable until they are collected. */
    @Override
    public synchronized void close() {
        closed = true;
        if (folder != null) {
            folder.remove();
        }
    }

    /** One mapped file: its buffers, and its name until it could be deleted. */
    static final class MappedFile {
        private final Path path;
        private Mapper.Mapped mapped;
        boolean deleted;

        MappedFile(Path path, Mapper.Mapped mapped) {
            this.path = path;
            this.mapped = mapped;
        }

        ByteBuffer[] buffers() {
            return mapped.buffers;
        }

        /** Unmaps the buffers (they must not be used again) and deletes the file if it still has a name. */
        synchronized void unmap() {
            if (mapped == null) {
                return;
            }
            mapped.unmap();
            mapped = null;
            if (!deleted) {
                deleted = WorkFolder.deleteQuietly(path);
            }
        }
    }
}
