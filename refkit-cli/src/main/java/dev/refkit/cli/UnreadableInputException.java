package dev.refkit.cli;

/** The input of a command (a dump file, a process) could not be read; its message is shown as one line. */
final class UnreadableInputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UnreadableInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
