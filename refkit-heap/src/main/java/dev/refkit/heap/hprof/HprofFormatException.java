package dev.refkit.heap.hprof;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A heap dump that does not follow the HPROF format: truncated, corrupt, or not an HPROF file at all.
 *
 * <p>The message names the file, the byte offset at which reading failed, the record being read and what
 * was expected there, so that a user can tell an interrupted dump from a file of the wrong kind.
 */
public final class HprofFormatException extends IOException {

    private static final long serialVersionUID = 1L;

    private final transient Path file;
    /** Where in the (decompressed) dump the problem was found, or -1. */
    private final long offset;
    /** The record or structure that was being read. */
    private final String record;

    /**
     * @param file the dump being read
     * @param offset byte offset in the (decompressed) dump where the problem was found, or -1 when unknown
     * @param record the record or structure being read, e.g. {@code "INSTANCE_DUMP"}
     * @param problem what was found and what was expected instead
     */
    public HprofFormatException(Path file, long offset, String record, String problem) {
        this(file, offset, record, problem, null);
    }

    /**
     * As {@link #HprofFormatException(Path, long, String, String)}, with the exception that revealed it.
     *
     * @param file the dump being read
     * @param offset byte offset in the (decompressed) dump where the problem was found, or -1 when unknown
     * @param record the record or structure being read
     * @param problem what was found and what was expected instead
     * @param cause the exception that revealed the problem
     */
    public HprofFormatException(Path file, long offset, String record, String problem, Throwable cause) {
        super(file.getFileName() + ": " + problem + " in " + record + (offset >= 0 ? " at offset " + offset : ""),
                cause);
        this.file = file;
        this.offset = offset;
        this.record = record;
    }

    /** {@return the dump that could not be read} */
    public Path file() {
        return file;
    }

    /** {@return byte offset of the problem, counted in the decompressed dump; -1 when unknown} */
    public long offset() {
        return offset;
    }

    /** {@return the record or structure that was being read, e.g. {@code "HEAP_DUMP_SEGMENT"}} */
    public String record() {
        return record;
    }
}
