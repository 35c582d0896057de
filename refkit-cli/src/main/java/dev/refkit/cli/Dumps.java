package dev.refkit.cli;

import dev.refkit.heap.HeapDump;
import dev.refkit.heap.ProgressListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Opens the dump a command names, turning every reason it cannot be read into one line for the user. */
final class Dumps {

    private Dumps() {
    }

    static HeapDump open(Path file, ProgressListener progress) {
        return open(file, progress, null);
    }

    /** Opens the dump with its index where the options say (null: chosen by the dump's size). */
    static HeapDump open(Path file, ProgressListener progress, IndexOptions index) {
        if (!Files.exists(file)) {
            throw new UnreadableInputException(file + ": no such file", new NoSuchFileException(file.toString()));
        }
        if (Files.isDirectory(file)) {
            throw new UnreadableInputException(file + ": is a folder, not a heap dump", null);
        }
        try {
            return index == null ? HeapDump.open(file, progress)
                    : HeapDump.open(file, progress, index.mode, index.workDir);
        } catch (IOException e) {
            String message = e.getMessage() == null ? e.toString() : e.getMessage();
            throw new UnreadableInputException(message.contains(file.getFileName().toString()) ? message
                    : file + ": " + message, e);
        } catch (RuntimeException e) {
            throw new UnreadableInputException(file + ": cannot be read as a heap dump: " + e, e);
        } finally {
            TerminalProgress.clear(progress);
        }
    }
}
