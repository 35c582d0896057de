package dev.refkit.heap.index;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * One process's folder for the index files: {@code refkit-index/PID-START} under the base folder (by default the
 * system's temporary folder, or {@code /var/tmp} when that one is in memory, as a tmpfs is). Made on the first
 * mapped array; removed on {@link #remove()} and at the JVM's exit; and when the process was killed first, by the
 * next one that makes its folder there (a folder whose process is gone, or is another process with its number).
 */
final class WorkFolder {

    private static final String PARENT = "refkit-index";

    private final Path path;
    private final Thread hook;

    private WorkFolder(Path path) {
        this.path = path;
        this.hook = new Thread(this::deleteTree, "refkit-index cleanup");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    Path path() {
        return path;
    }

    /** Makes this process's folder under {@code base} (null: the default), sweeping away those of dead processes. */
    static WorkFolder create(Path base) {
        Path parent = (base != null ? base : defaultBase()).resolve(PARENT);
        try {
            Files.createDirectories(parent);
            sweep(parent);
            ProcessHandle self = ProcessHandle.current();
            Path own = parent.resolve(self.pid() + "-" + start(self));
            Files.createDirectories(own);
            return new WorkFolder(own);
        } catch (IOException | RuntimeException e) {
            throw new UncheckedIOException(new IOException("cannot make a work folder for the dump's index in " + parent
                    + " (" + e.getMessage() + "); choose a writable folder with --work-dir", e));
        }
    }

    /** The system's temporary folder, unless it is memory (tmpfs), where index files would not relieve memory. */
    static Path defaultBase() {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        if (inMemory(tmp)) {
            Path varTmp = Path.of("/var/tmp");
            if (Files.isDirectory(varTmp) && Files.isWritable(varTmp) && !inMemory(varTmp)) {
                return varTmp;
            }
        }
        return tmp;
    }

    private static boolean inMemory(Path folder) {
        try {
            FileStore store = Files.getFileStore(folder);
            String type = store.type().toLowerCase(Locale.ROOT);
            return type.equals("tmpfs") || type.equals("ramfs");
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static long start(ProcessHandle process) {
        return process.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
    }

    /** Removes the folders of processes that are gone: killed before they could remove their own. */
    private static void sweep(Path parent) throws IOException {
        try (DirectoryStream<Path> folders = Files.newDirectoryStream(parent)) {
            for (Path folder : folders) {
                String name = folder.getFileName().toString();
                int dash = name.indexOf('-');
                if (dash <= 0) {
                    continue;
                }
                long pid;
                long started;
                try {
                    pid = Long.parseLong(name.substring(0, dash));
                    started = Long.parseLong(name.substring(dash + 1));
                } catch (NumberFormatException e) {
                    continue;
                }
                Optional<ProcessHandle> process = ProcessHandle.of(pid);
                boolean alive = process.isPresent() && process.get().isAlive()
                        && (started == 0 || start(process.get()) == 0 || start(process.get()) == started);
                if (!alive) {
                    deleteTree(folder);
                }
            }
        }
    }

    /** Deletes the folder and its files; called once the arrays are no longer used. */
    void remove() {
        deleteTree();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is exiting: the hook runs
        }
    }

    private void deleteTree() {
        deleteTree(path);
    }

    private static void deleteTree(Path folder) {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder)) {
            for (Path file : files) {
                deleteQuietly(file);
            }
        } catch (IOException | RuntimeException e) {
            // gone already, or not ours to list
        }
        deleteQuietly(folder);
    }

    /** Deletes a file; false when it could not be (a mapped file on Windows, say). */
    static boolean deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
