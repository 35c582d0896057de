package dev.refkit.heap;

import dev.refkit.heap.hprof.HprofFormatException;
import dev.refkit.heap.index.DumpIndex;
import dev.refkit.heap.index.Storage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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

    private final DumpIndex index;
    private final HeapGraph graph;
    private final Histogram histogram;

    HeapDump(DumpIndex index) {
        this.index = index;
        this.graph = new HeapGraph(index);
        List<Histogram.Entry> rows = new ArrayList<>();
        for (HeapClass c : graph.classes()) {
            long count = index.histogramCount(c.index());
            if (count > 0) {
                rows.add(new Histogram.Entry(c, count, index.histogramBytes(c.index())));
            }
        }
        this.histogram = new Histogram(rows);
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
        return open(file, progress, DumpIndex.DEFAULT_MAPPING_BYTES, index, workDir);
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
        try {
            DumpIndex opened = DumpIndex.open(file, reported, progress, mappingBytes, index, workDir);
            try {
                return new HeapDump(opened);
            } catch (RuntimeException | Error e) {
                try {
                    opened.close();
                } catch (RuntimeException closing) {
                    e.addSuppressed(closing);
                }
                throw e;
            }
        } catch (ListenerFailure e) {
            throw e.thrown();
        } catch (OutOfMemoryError e) {
            throw DumpIndex.outOfMemory(file, "index", e); // the reader's arrays are unreachable by now
        } catch (UncheckedIOException e) {
            throw e.getCause(); // the index's storage: no room, or no folder to make
        } catch (IndexOutOfBoundsException | IllegalArgumentException | IllegalStateException e) {
            throw new HprofFormatException(file, -1, "heap dump", "inconsistent content (" + e + "); the file is "
                    + "corrupt or too large for this reader", e);
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
        return index.info();
    }

    /** Releases the dump: deletes the decompressed copy of a {@code .hprof.gz}. */
    @Override
    public void close() {
        index.close();
    }
}
