package dev.refkit.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Where a command writes a report ({@code --json F}, {@code --html F}): a new file, standard output for
 * {@code -}, or, with {@code --force}, in place of an existing file. The content goes to a temporary file beside
 * the target first and is then moved in place, so that a symbolic link at the target is replaced, never
 * followed, and a failed write leaves no half-written report.
 */
record ReportFile(Path path) {

    /** Whether the report goes to standard output ({@code -}). */
    boolean isStandardOutput() {
        return path.toString().equals("-");
    }

    /**
     * Why the user must name another file (it exists, and {@code --force} was not given), or null. Checked before
     * any work, like the place itself ({@link #checkPlace}).
     */
    String refusal(boolean force) {
        if (isStandardOutput() || !Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return null;
        }
        if (!force) {
            return Format.safe(path.toString()) + " exists already; name another file, or add --force to replace it";
        }
        if (!Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS) && !Files.isSymbolicLink(path)) {
            return Format.safe(path.toString()) + " is " + (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)
                    ? "a folder" : "not a regular file") + "; --force replaces only a file or a link";
        }
        return null;
    }

    /**
     * Checks the report files a command was given (null where an option was not) before any work: why the user must
     * change the command line (a file exists and {@code --force} was not given, two reports for standard output), or
     * null. Fails, in one line, when a folder to write into does not exist.
     */
    static String refusal(boolean force, ReportFile... files) {
        int toStandardOutput = 0;
        for (ReportFile file : files) {
            if (file == null) {
                continue;
            }
            String refusal = file.refusal(force);
            if (refusal != null) {
                return refusal;
            }
            file.checkPlace();
            toStandardOutput += file.isStandardOutput() ? 1 : 0;
        }
        return toStandardOutput > 1 ? "only one of --json and --html can go to standard output ('-')" : null;
    }

    /** Whether one of the reports goes to standard output, in place of the text. */
    static boolean anyToStandardOutput(ReportFile... files) {
        for (ReportFile file : files) {
            if (file != null && file.isStandardOutput()) {
                return true;
            }
        }
        return false;
    }

    /** Fails, in one line, when the folder to write into does not exist. */
    void checkPlace() {
        Path folder = path.toAbsolutePath().getParent();
        if (!isStandardOutput() && folder != null && !Files.isDirectory(folder)) {
            throw new UnwritableOutputException("cannot write " + Format.safe(path.toString()) + ": the folder "
                    + Format.safe(folder.toString()) + " does not exist", null);
        }
    }

    /** Writes the content; says where on {@code out} unless it went there. */
    void write(String content, PrintWriter out) {
        if (isStandardOutput()) {
            out.print(content);
            out.flush();
            return;
        }
        Path target = path.toAbsolutePath();
        Path temporary = null;
        try {
            temporary = Files.createTempFile(target.getParent(), ".refkit-", ".tmp");
            Files.writeString(temporary, content, StandardCharsets.UTF_8);
            try {
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException | RuntimeException e) {
            deleteQuietly(temporary);
            throw new UnwritableOutputException("cannot write " + Format.safe(path.toString()) + ": " + reason(e), e);
        }
        out.println();
        out.println("Wrote " + Format.safe(target.toString()));
    }

    private static String reason(Exception e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // nothing more to do: the message says the write failed
            }
        }
    }
}
