package dev.refkit.heap;

import dev.refkit.heap.hprof.HprofFormatException;
import dev.refkit.heap.index.Storage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A heap dump opened for analysis: the entry point of refkit-heap.
 *
 * <pre>{@code
 * try (HeapDump dump = HeapDump.open(Path.of("app.hprof"))) {
 *     HeapGraph graph = dump.graph();
 *     dump.histogram().entries().stream().limit(10).forEach(System.out::println);
 * }
 * }</pre>
 *
 * <p>Reads HotSpot HPROF 1.0.1 and 1.0.2 dumps (4- or 8-byte ids) and Android 1.0.3 dumps, plain or
 * gzip-compressed ({@code .hprof.gz}, including {@code jcmd GC.heap_dump -gz=N} output). The file is
 * memory-mapped, so a dump larger than this JVM's heap can be read. Opening reads the objects, classes, GC
 * roots and the histogram (an index of about 9 bytes per object); the references are read when first asked
 * for (by {@link HeapGraph#firstReference} and the other reference accessors, {@link #info()} or an
 * analysis), adding about 6 bytes per object and 5 per reference.
 *
 * <p><b>Warning:</b> a compressed dump is first decompressed into a temporary file, as large as the
 * uncompressed dump, in {@code java.io.tmpdir} (so is a dump on another file system, such as a zip archive's);
 * {@link #close()} deletes it, and should the process be killed first, the next process that decompresses a
 * dump deletes it. Until {@code close()}, the dump's file is mapped and must not be modified. The file must be
 * a regular file: a pipe (standard input) or a device cannot be read.
 */
public final class HeapDump implements AutoCloseable {

    private final HprofFile file;
    private final Storage storage;
    private final HeapGraph graph;
    private final Histogram histogram;
    private final DumpInfo info;

    HeapDump(HprofFile file, HeapGraph graph, Histogram histogram, DumpInfo info) {
        this.file = file;
        this.storage = graph.storage;
        this.graph = graph;
        this.histogram = histogram;
        this.info = info;
    }

    /**
     * Reads and indexes a dump.
     *
     * @param progress told how far reading has come; {@link ProgressListener#NONE} to ignore. What it throws
     *                 ends the reading and is thrown by this method as it was thrown.
     * @param file an HPROF dump, {@code .hprof} or {@code .hprof.gz}
     * @return the open dump, to close
     * @throws HprofFormatException when the file is not a readable HPROF dump: truncated, corrupt or of
     *         another format; the message names the offset and the record
     * @throws IOException when the file cannot be read: not a regular file, a compressed dump larger than the
     *         temporary folder can hold, or a dump too large for this JVM's heap (the message says how much it
     *         had and how to give it more)
     */
    public static HeapDump open(Path file, ProgressListener progress) throws IOException {
        return open(file, progress, Storage.Mode.AUTO, null);
    }

    /**
     * Reads and indexes a dump, keeping the index as {@code index} says: on the heap, in memory-mapped files of a
     * work folder made under {@code workDir} (null: the system's temporary folder), or ({@link Storage.Mode#AUTO})
     * in files when the dump is too large for this JVM's heap. The work folder is removed by {@link #close()}.
     *
     * @param file     the dump
     * @param progress told how far reading has come; {@link ProgressListener#NONE} to ignore
     * @param index    where the index goes; null for {@link Storage.Mode#AUTO}
     * @param workDir  where the work folder goes; null for the system's temporary folder
     * @return the opened dump
     * @throws IOException as {@link #open(Path, ProgressListener)} throws it, or when the work folder cannot be made
     * @see #open(Path, ProgressListener)
     */
    public static HeapDump open(Path file, ProgressListener progress, Storage.Mode index, Path workDir)
            throws IOException {
        return open(file, progress, HprofFile.DEFAULT_MAPPING_BYTES, index, workDir);
    }

    static HeapDump open(Path file, ProgressListener progress, long mappingBytes) throws IOException {
        return open(file, progress, mappingBytes, Storage.Mode.AUTO, null);
    }

    /**
     * Reads and indexes a dump, without progress reports.
     *
     * @param file an HPROF dump, {@code .hprof} or {@code .hprof.gz}
     * @return the open dump, to close
     * @throws IOException as {@link #open(Path, ProgressListener)} throws it
     */
    public static HeapDump open(Path file) throws IOException {
        return open(file, ProgressListener.NONE);
    }

    private static HeapDump open(Path file, ProgressListener progress, long mappingBytes, Storage.Mode index,
                                 Path workDir) throws IOException {
        ProgressListener reported = (phase, done, total) -> {
            try {
                progress.progress(phase, done, total);
            } catch (RuntimeException | Error e) {
                throw new ListenerFailure(e);
            }
        };
        HprofFile in = null;
        Storage storage = null;
        try {
            in = HprofFile.open(file, mappingBytes, bytes -> reported.progress("decompressing", bytes, -1));
            storage = Storage.forDump(in.size(), index, workDir);
            return new HeapIndexer(in, storage, reported, progress).build(file);
        } catch (ListenerFailure e) {
            close(in, storage);
            throw e.thrown();
        } catch (OutOfMemoryError e) {
            close(in, storage);
            throw outOfMemory(file, "index", e);
        } catch (UncheckedIOException e) {
            close(in, storage);
            throw e.getCause(); // the index's storage: no room, or no folder to make
        } catch (IndexOutOfBoundsException | IllegalArgumentException | IllegalStateException e) {
            close(in, storage);
            throw new HprofFormatException(file, -1, "heap dump", "inconsistent content (" + e + "); the file is "
                    + "corrupt or too large for this reader", e);
        } catch (IOException | RuntimeException | Error e) {
            close(in, storage);
            throw e;
        }
    }

    private static void close(HprofFile in, Storage storage) throws IOException {
        if (storage != null) {
            storage.close();
        }
        if (in != null) {
            in.close();
        }
    }

    /** What a progress listener threw, carried through the reader unchanged. */
    private static final class ListenerFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ListenerFailure(Throwable thrown) {
            super(thrown);
        }

        /** The listener's exception, to throw as it was. */
        RuntimeException thrown() {
            if (getCause() instanceof Error error) {
                throw error;
            }
            return (RuntimeException) getCause();
        }
    }

    /**
     * The failure to report when reading a dump ran out of heap: what this JVM had and how to give it more. The
     * reader's arrays are unreachable by then, so there is memory to make it.
     */
    static IOException outOfMemory(Path file, String doing, OutOfMemoryError e) {
        long max = Runtime.getRuntime().maxMemory();
        long suggested = Math.max(1, (2 * max + (1L << 30) - 1) >> 30);
        return new IOException(file.getFileName() + ": not enough memory to " + doing + " the dump: this JVM's heap "
                + "is at most " + String.format(Locale.ROOT, "%,d MB", max >> 20) + "; keep the index in files "
                + "(Storage.Mode.FILES; --index files for the refkit command), or give the JVM more heap with -Xmx, "
                + "e.g. -Xmx" + suggested + "g (REFKIT_JAVA_OPTS=-Xmx" + suggested + "g)", e);
    }

    /** {@return the objects and references} */
    public HeapGraph graph() {
        return graph;
    }

    /** {@return instance counts and shallow bytes per class} */
    public Histogram histogram() {
        return histogram;
    }

    /**
     * Facts about the dump and the index: format, id size, inferred VM layout, counts. The reference
     * figures need the references, which are read first if they have not been yet.
     *
     * @return the facts
     */
    public DumpInfo info() {
        HeapGraph.References r = graph.references();
        return info.withReferences(r.count, r.dangling, r.classBytes(), r.bytes());
    }

    /** Releases the dump: deletes the decompressed copy of a {@code .hprof.gz}. */
    @Override
    public void close() {
        storage.close();
        try {
            file.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
