package dev.refkit.cli;

/** A report could not be written (a full disk, a folder in the way); its message is shown as one line. */
final class UnwritableOutputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UnwritableOutputException(String message, Throwable cause) {
        super(message, cause);
    }
}
