package dev.refkit.heap.index;

import dev.refkit.heap.hprof.HprofFormatException;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.function.LongConsumer;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * A dump that cannot be mapped where it is, copied to the temporary folder ({@code java.io.tmpdir}): a
 * gzip-compressed one inflated, one on another file system (a zip archive's) copied out.
 *
 * <p>The first bytes are checked to be an HPROF header before anything is written, so that a file of another
 * kind (a gzip bomb of zeros) costs nothing; what is written is bounded by the space the folder has, keeping
 * some of it free. The copy is named {@code refkit-dump-<pid>-<random>.hprof} and locked while this process
 * uses it; {@link #close()} deletes it, and so does the next copy made by any process, should this one be
 * killed first (the lock goes with the process).
 */
final class ScratchCopy implements AutoCloseable {

    private static final String PREFIX = "refkit-dump-";
    private static final String SUFFIX = ".hprof";
    /** Bytes read before the header is checked: it ends with a NUL within them. */
    private static final int HEAD = 64;

    /** Bytes the folder keeps free at least: this much, or a twentieth of its file system if smaller. */
    private static final long RESERVE = 256L << 20;

    /** When not negative, the bytes a copy may take instead of what the folder has; set by tests. */
    static volatile long spaceForTests = -1;

    private final Path path;
    private final FileChannel channel;
    private final FileLock lock;
    private final boolean inflated;

    private ScratchCopy(Path path, FileChannel channel, FileLock lock, boolean inflated) {
        this.path = path;
        this.channel = channel;
        this.lock = lock;
        this.inflated = inflated;
    }

    /** The copy. */
    Path path() {
        return path;
    }

    /** Whether the source was gzip-compressed. */
    boolean inflated() {
        return inflated;
    }

    /**
     * The channel that holds the lock: map the copy through it. Closing another channel of the file in this
     * process would release the lock (POSIX locks are the process's, per file).
     */
    FileChannel channel() {
        return channel;
    }

    /**
     * Copies {@code source} into the temporary folder, inflating it if {@code gzip}; tells {@code progress}
     * the bytes written, every megabyte.
     *
     * @throws HprofFormatException when the content is not an HPROF dump or the gzip stream is corrupt
     * @throws IOException when the folder has not the room, with what to do
     */
    static ScratchCopy of(Path source, boolean gzip, LongConsumer progress) throws IOException {
        Path dir = Path.of(System.getProperty("java.io.tmpdir"));
        deleteStale(dir);
        long written = 0;
        try (InputStream in = gzip
                ? new GZIPInputStream(new BufferedInputStream(Files.newInputStream(source), 1 << 16), 1 << 16)
                : new BufferedInputStream(Files.newInputStream(source), 1 << 16)) {
            byte[] buffer = new byte[1 << 16];
            int n = in.readNBytes(buffer, 0, HEAD);
            HprofFile.checkMagic(source, buffer, n, gzip ? "decompressed file header" : "file header");
            long room = room(dir);
            Path target = Files.createTempFile(dir, PREFIX + ProcessHandle.current().pid() + "-", SUFFIX);
            FileChannel channel = FileChannel.open(target, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock = null;
            try {
                lock = channel.tryLock();
                target.toFile().deleteOnExit();
                for (; n > 0; n = in.read(buffer)) {
                    if (written + n > room) {
                        throw new IOException(source.getFileName() + ": " + (gzip ? "decompressing" : "copying")
                                + " the dump stopped at " + megabytes(written) + ": it needs more than the "
                                + megabytes(room) + " that " + dir + " can spare (" + megabytes(RESERVE)
                                + " or a twentieth of its disk stays free); make room there, or set "
                                + "-Djava.io.tmpdir to a folder with more (REFKIT_JAVA_OPTS for the refkit command)");
                    }
                    ByteBuffer bytes = ByteBuffer.wrap(buffer, 0, n);
                    while (bytes.hasRemaining()) {
                        channel.write(bytes);
                    }
                    if ((written + n) >>> 20 != written >>> 20) {
                        progress.accept(written + n);
                    }
                    written += n;
                }
                return new ScratchCopy(target, channel, lock, gzip);
            } catch (IOException | RuntimeException | Error e) {
                release(target, channel, lock);
                throw e;
            }
        } catch (ZipException | EOFException e) {
            throw new HprofFormatException(source, written, "gzip stream",
                    "corrupt or truncated compressed data (" + e.getMessage() + ") after " + written
                            + " decompressed bytes; check that the file was copied completely", e);
        }
    }

    /** The bytes a copy may take in {@code dir}: what its file system has free, less what stays free. */
    private static long room(Path dir) throws IOException {
        long override = spaceForTests;
        if (override >= 0) {
            return override;
        }
        FileStore store = Files.getFileStore(dir);
        return Math.max(0, store.getUsableSpace() - Math.min(RESERVE, store.getTotalSpace() / 20));
    }

    private static String megabytes(long bytes) {
        return bytes >= 1L << 30 ? String.format(Locale.ROOT, "%.1f GB", bytes / (double) (1L << 30))
                : String.format(Locale.ROOT, "%.1f MB", bytes / (double) (1L << 20));
    }

    /**
     * Deletes the copies in {@code dir} that no process holds: left by a process killed while it had a dump
     * open. A copy in use is locked; the lock goes with the process that held it. Anything that cannot be
     * read or locked is left alone.
     */
    static void deleteStale(Path dir) {
        // this process's own copies are not opened: closing a second channel would release their locks
        String own = PREFIX + ProcessHandle.current().pid() + "-";
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                if (!name.startsWith(PREFIX) || !name.endsWith(SUFFIX) || name.startsWith(own)) {
                    continue;
                }
                try (FileChannel c = FileChannel.open(f, StandardOpenOption.WRITE)) {
                    FileLock lock = c.tryLock();
                    if (lock != null) {
                        Files.deleteIfExists(f);
                    }
                } catch (OverlappingFileLockException | IOException e) {
                    // this JVM holds it, or it is not ours to judge
                }
            }
        } catch (IOException | RuntimeException e) {
            // the folder cannot be listed: nothing to clean
        }
    }

    private static void release(Path target, FileChannel channel, FileLock lock) throws IOException {
        try {
            if (lock != null) {
                lock.release();
            }
        } finally {
            channel.close();
            Files.deleteIfExists(target);
        }
    }

    /** Releases and deletes the copy. */
    @Override
    public void close() throws IOException {
        release(path, channel, lock);
    }
}
