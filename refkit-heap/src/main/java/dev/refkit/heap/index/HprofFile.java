package dev.refkit.heap.index;

import dev.refkit.heap.hprof.HprofFormatException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.LongConsumer;

/**
 * An HPROF file opened for absolute reads: the header checked, the content memory-mapped.
 *
 * <p>A {@code .hprof.gz} file (one gzip stream, or the independent gzip members that
 * {@code jcmd GC.heap_dump -gz=N} writes) is recognised by its magic bytes and decompressed once, as a
 * stream, into a temporary file that {@link #close()} deletes; offsets are then counted in the
 * decompressed dump. A dump on another file system than the default one (in a zip archive) is copied out
 * the same way. The file must be a regular one: a pipe or a device cannot be mapped.
 *
 * <p>Files larger than 2 GB are covered by several mappings that overlap by a few bytes, so that every
 * read of a primitive value is served by one mapping even when it straddles a boundary.
 *
 * <p><b>Warning:</b> the read methods do not check bounds against the records they read; a caller
 * validates a record's extent against {@link #size()} before reading inside it. Reads after
 * {@link #close()} are undefined (the mappings are released when collected).
 */
final class HprofFile implements AutoCloseable {

    /** Bytes per mapping by default: 1 GiB, well inside a {@code MappedByteBuffer}'s int range. */
    static final long DEFAULT_MAPPING_BYTES = 1L << 30;

    /** Bytes by which consecutive mappings overlap: the widest primitive read. */
    private static final int OVERLAP = 8;

    private static final String MAGIC = "JAVA PROFILE 1.0.";

    private final Path file;
    private final ScratchCopy copy;
    private final long size;
    private final long mappingBytes;
    private final int mappingShift;
    private final long mappingMask;
    private final MappedByteBuffer[] mappings;
    private final String version;
    private final int idSize;
    private final long timestamp;
    private final long recordsStart;

    private HprofFile(Path file, ScratchCopy copy, long mappingBytes) throws IOException {
        this.file = file;
        this.copy = copy;
        this.mappingBytes = mappingBytes;
        this.mappingShift = Long.numberOfTrailingZeros(mappingBytes);
        this.mappingMask = mappingBytes - 1;
        FileChannel channel = copy != null ? copy.channel() : FileChannel.open(file, StandardOpenOption.READ);
        try {
            size = channel.size();
            int count = (int) Math.max(1, (size + mappingBytes - 1) / mappingBytes);
            mappings = new MappedByteBuffer[count];
            for (int i = 0; i < count; i++) {
                long start = i * mappingBytes;
                long length = Math.min(size - start, mappingBytes + OVERLAP);
                mappings[i] = channel.map(FileChannel.MapMode.READ_ONLY, start, Math.max(0, length));
                mappings[i].order(ByteOrder.BIG_ENDIAN);
            }
        } finally {
            if (copy == null) {
                channel.close();
            }
        }
        byte[] head = readBytes(0, (int) Math.min(size, 64));
        int nul = checkMagic(file, head, head.length, "file header");
        version = new String(head, 0, nul, StandardCharsets.ISO_8859_1).substring("JAVA PROFILE ".length());
        long headerEnd = nul + 1 + 4 + 8;
        if (size < headerEnd) {
            throw new HprofFormatException(file, size, "file header",
                    "truncated header (needs " + headerEnd + " bytes, the file has " + size + ")");
        }
        idSize = i4(nul + 1);
        if (idSize != 4 && idSize != 8) {
            throw new HprofFormatException(file, nul + 1, "file header",
                    "identifier size " + idSize + " (expected 4 or 8)");
        }
        timestamp = i8(nul + 5);
        recordsStart = headerEnd;
    }

    /** Opens a dump with the default mapping size. */
    static HprofFile open(Path file) throws IOException {
        return open(file, DEFAULT_MAPPING_BYTES);
    }

    /**
     * Opens a dump, decompressing it first when it is gzip-compressed.
     *
     * @param mappingBytes bytes per memory mapping, a power of two; small values exercise the mapping
     *                     boundaries in tests
     * @throws HprofFormatException when the file is not an HPROF dump or its gzip stream is corrupt
     */
    static HprofFile open(Path file, long mappingBytes) throws IOException {
        return open(file, mappingBytes, bytes -> { });
    }

    /**
     * As {@link #open(Path, long)}, telling {@code decompressed} how many bytes of a gzip-compressed dump
     * have been decompressed so far (every megabyte).
     *
     * @throws IOException when the file is not a regular file (a pipe, a device), or a compressed dump does
     *         not fit the temporary folder; the message says what to do
     */
    static HprofFile open(Path file, long mappingBytes, LongConsumer decompressed) throws IOException {
        if (mappingBytes < 64 || mappingBytes > (1L << 30) || Long.bitCount(mappingBytes) != 1) {
            throw new IllegalArgumentException("mappingBytes must be a power of two in [64, 2^30]: " + mappingBytes);
        }
        if (!Files.isRegularFile(file)) {
            if (!Files.exists(file)) {
                throw new NoSuchFileException(file.toString(), null, "no such file");
            }
            throw new IOException(file + ": not a regular file (a pipe, a device or a folder), and the reader needs "
                    + "a seekable file: save the dump to a file first");
        }
        boolean gzip = isGzip(file);
        boolean elsewhere = file.getFileSystem() != FileSystems.getDefault();
        ScratchCopy copy = gzip || elsewhere ? ScratchCopy.of(file, gzip, decompressed) : null;
        try {
            return new HprofFile(file, copy, mappingBytes);
        } catch (IOException | RuntimeException | Error e) {
            if (copy != null) {
                copy.close();
            }
            throw e;
        }
    }

    /**
     * Checks that the first {@code n} bytes of a dump hold the HPROF magic and its NUL; returns where the NUL is.
     *
     * @param record where the bytes come from, for the message
     */
    static int checkMagic(Path file, byte[] head, int n, String record) throws HprofFormatException {
        int nul = -1;
        for (int i = 0; i < Math.min(n, 64); i++) {
            if (head[i] == 0) {
                nul = i;
                break;
            }
        }
        String magic = nul < 0 ? "" : new String(head, 0, nul, StandardCharsets.ISO_8859_1);
        if (!magic.startsWith(MAGIC)) {
            StringBuilder found = new StringBuilder();
            for (int i = 0; i < Math.min(n, 20); i++) {
                int c = head[i] & 0xff;
                found.append(c >= 0x20 && c < 0x7f ? (char) c : '?');
            }
            throw new HprofFormatException(file, 0, record,
                    "not an HPROF heap dump: expected \"" + MAGIC + "x\" followed by a NUL byte, found \""
                            + found + "\"; write the dump with jcmd GC.heap_dump, "
                            + "jmap -dump or -XX:+HeapDumpOnOutOfMemoryError");
        }
        return nul;
    }

    private static boolean isGzip(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return in.read() == 0x1f && in.read() == 0x8b;
        }
    }

    /** The file as given to {@link #open(Path)}. */
    Path path() {
        return file;
    }

    /** Whether the file was gzip-compressed and is read from a temporary decompressed copy. */
    boolean wasCompressed() {
        return copy != null && copy.inflated();
    }

    /** Bytes of (decompressed) content. */
    long size() {
        return size;
    }

    /** The format version from the header: {@code "1.0.1"}, {@code "1.0.2"}, Android's {@code "1.0.3"}. */
    String version() {
        return version;
    }

    /** Width of identifiers (object ids, string ids) in this dump: 4 or 8 bytes. */
    int idSize() {
        return idSize;
    }

    /** Milliseconds since the epoch at which the dump was written, from the header. */
    long timestamp() {
        return timestamp;
    }

    /** Offset of the first record, just after the header. */
    long recordsStart() {
        return recordsStart;
    }

    /** An exception for a problem at {@code offset} in {@code record}. */
    HprofFormatException error(long offset, String record, String problem) {
        return new HprofFormatException(file, offset, record, problem);
    }

    int u1(long pos) {
        return mappings[(int) (pos >>> mappingShift)].get((int) (pos & mappingMask)) & 0xff;
    }

    int u2(long pos) {
        return mappings[(int) (pos >>> mappingShift)].getShort((int) (pos & mappingMask)) & 0xffff;
    }

    short i2(long pos) {
        return mappings[(int) (pos >>> mappingShift)].getShort((int) (pos & mappingMask));
    }

    int i4(long pos) {
        return mappings[(int) (pos >>> mappingShift)].getInt((int) (pos & mappingMask));
    }

    long u4(long pos) {
        return i4(pos) & 0xffff_ffffL;
    }

    long i8(long pos) {
        return mappings[(int) (pos >>> mappingShift)].getLong((int) (pos & mappingMask));
    }

    /**
     * The mapping that holds all of {@code [from, to)}, or null when the range straddles two mappings.
     * Reading a record through one buffer, at offsets counted from {@link #mappingStart(long)}, spares
     * choosing the mapping on every read, which matters in loops over millions of records; a null answer
     * means reading with the methods that take file offsets. The buffer is read-only and shared: use its
     * absolute reads only.
     */
    ByteBuffer mappingHolding(long from, long to) {
        int m = (int) (from >>> mappingShift);
        MappedByteBuffer mapping = mappings[m];
        return to - ((long) m << mappingShift) <= mapping.limit() ? mapping : null;
    }

    /**
     * Reads one byte of every page in {@code [from, to)}, so that the pages are mapped into this process
     * before the reads that need them: a first read of a mapped page costs a page fault, which another thread
     * can take in advance. Returns a sum of the bytes read, for the caller to keep, so that the reads are
     * not elided.
     */
    long touch(long from, long to) {
        long sum = 0;
        for (long pos = from; pos < to; pos += 4096) {
            sum += u1(pos);
        }
        return sum;
    }

    /** The file offset at which the buffer {@link #mappingHolding} returns for {@code pos} starts. */
    long mappingStart(long pos) {
        return pos >>> mappingShift << mappingShift;
    }

    /** An identifier: 4 bytes read unsigned, or 8 bytes. */
    long id(long pos) {
        return idSize == 4 ? u4(pos) : i8(pos);
    }

    /** Copies {@code length} bytes; the range may span mappings. */
    byte[] readBytes(long pos, int length) {
        byte[] bytes = new byte[length];
        readBytes(pos, bytes, length);
        return bytes;
    }

    /** Copies {@code length} bytes into the start of {@code bytes}; the range may span mappings. */
    void readBytes(long pos, byte[] bytes, int length) {
        int done = 0;
        while (done < length) {
            long p = pos + done;
            MappedByteBuffer m = mappings[(int) (p >>> mappingShift)];
            int inMapping = (int) (p & mappingMask);
            int n = (int) Math.min(length - done, mappingBytes - inMapping);
            m.get(inMapping, bytes, done, n);
            done += n;
        }
    }

    /** Decodes modified UTF-8 as the JVM writes it in UTF8 records (close enough to UTF-8 for names). */
    String utf8(long pos, int length) {
        return new String(readBytes(pos, length), StandardCharsets.UTF_8);
    }

    /** Deletes the decompressed or copied-out copy, if any. */
    @Override
    public void close() throws IOException {
        if (copy != null) {
            copy.close();
        }
    }
}
