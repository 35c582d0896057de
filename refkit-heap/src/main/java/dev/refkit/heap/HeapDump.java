package dev.refkit.heap;

import dev.refkit.heap.hprof.HprofFile;
import dev.refkit.heap.hprof.HprofFormatException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

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
 * uncompressed dump, in {@code java.io.tmpdir}; {@link #close()} deletes it. Until {@code close()}, the
 * dump's file is mapped and must not be modified.
 */
public final class HeapDump implements AutoCloseable {

    private final HprofFile file;
    private final HeapGraph graph;
    private final Histogram histogram;
    private final DumpInfo info;

    HeapDump(HprofFile file, HeapGraph graph, Histogram histogram, DumpInfo info) {
        this.file = file;
        this.graph = graph;
        this.histogram = histogram;
        this.info = info;
    }

    /**
     * Reads and indexes a dump.
     *
     * @param progress told how far reading has come; {@link ProgressListener#NONE} to ignore
     * @throws HprofFormatException when the file is not a readable HPROF dump: truncated, corrupt or of
     *         another format; the message names the offset and the record
     * @throws IOException when the file cannot be read
     */
    public static HeapDump open(Path file, ProgressListener progress) throws IOException {
        return open(file, progress, HprofFile.DEFAULT_MAPPING_BYTES);
    }

    /** Reads and indexes a dump, without progress reports. */
    public static HeapDump open(Path file) throws IOException {
        return open(file, ProgressListener.NONE);
    }

    static HeapDump open(Path file, ProgressListener progress, long mappingBytes) throws IOException {
        HprofFile in = HprofFile.open(file, mappingBytes, bytes -> progress.progress("decompressing", bytes, -1));
        try {
            return new HeapIndexer(in, progress).build(file);
        } catch (HprofFormatException e) {
            in.close();
            throw e;
        } catch (IndexOutOfBoundsException | IllegalArgumentException | IllegalStateException e) {
            in.close();
            throw new HprofFormatException(file, -1, "heap dump", "inconsistent content (" + e + "); the file is "
                    + "corrupt or too large for this reader", e);
        } catch (RuntimeException | Error e) {
            in.close();
            throw e;
        }
    }

    /** The objects and references. */
    public HeapGraph graph() {
        return graph;
    }

    /** Instance counts and shallow bytes per class. */
    public Histogram histogram() {
        return histogram;
    }

    /**
     * Facts about the dump and the index: format, id size, inferred VM layout, counts. The reference
     * figures need the references, which are read first if they have not been yet.
     */
    public DumpInfo info() {
        HeapGraph.References r = graph.references();
        return info.withReferences(r.first[r.first.length - 1], r.dangling, r.classBytes(), r.bytes());
    }

    /** Releases the dump: deletes the decompressed copy of a {@code .hprof.gz}. */
    @Override
    public void close() {
        try {
            file.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
