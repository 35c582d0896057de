package dev.refkit.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code refkit} command. Exit codes: 0 done; 1 the analysis found leak suspects and
 * {@code --fail-on-suspects} was given, or a path grew and {@code --fail-on-growth} was given; 2 bad usage; 3 the dump (or the process to dump) could not be read.
 */
@Command(name = "refkit", mixinStandardHelpOptions = true, versionProvider = RefkitCli.Version.class,
        description = "Memory that is meant to go away: see what a heap holds and why it is still there.",
        subcommands = {DemoCommand.class, AnalyzeCommand.class, DiffCommand.class, HistogramCommand.class, PathsCommand.class,
            ServeCommand.class, DumpCommand.class})
public final class RefkitCli {

    /** Exit code: the analysis found leak suspects and {@code --fail-on-suspects} was given. */
    static final int EXIT_SUSPECTS = 1;
    /** Exit code: the command line was wrong. */
    static final int EXIT_USAGE = 2;
    /** Exit code: the input could not be read. */
    static final int EXIT_UNREADABLE = 3;

    /**
     * Runs the command line and exits the JVM with its exit code.
     *
     * @param args the command line: a command and its options ({@code analyze app.hprof --top 5})
     */
    public static void main(String[] args) {
        System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /**
     * Runs the command line with the given output streams and returns its exit code (for tests and embedding).
     *
     * @param out where the reports go
     * @param err where progress and failures go
     * @param args the command line
     * @return the exit code: 0 done, 1 suspects or growth found when asked to fail on them, 2 bad usage, 3 unreadable input
     */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new RefkitCli());
        cli.setOut(new PrintWriter(new TerminalSafeWriter(out), true));
        cli.setErr(err);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            boolean verbose = given(parseResult, "--verbose");
            commandLine.getErr().println("refkit: " + Format.safe(oneLine(e)));
            if (verbose) {
                (e.getCause() != null && isOurs(e) ? e.getCause() : e).printStackTrace(commandLine.getErr());
            }
            return EXIT_UNREADABLE;
        });
        cli.setExecutionStrategy(parseResult -> {
            if (!given(parseResult, "--memory")) {
                return new CommandLine.RunLast().execute(parseResult);
            }
            try (MemoryWatch watch = MemoryWatch.start()) {
                int exit = new CommandLine.RunLast().execute(parseResult);
                cli.getErr().println(watch.report());
                return exit;
            }
        });
        try {
            return cli.execute(args);
        } catch (OutOfMemoryError e) {
            err.println("refkit: out of memory: this JVM's heap (at most " + Runtime.getRuntime().maxMemory() / (1 << 20)
                    + " MB) is too small for this dump's index; keep it in files with --index files (and --work-dir"
                    + " DIR on a disk with room), or give the JVM more heap with REFKIT_JAVA_OPTS=-Xmx...");
            return EXIT_UNREADABLE;
        } catch (InternalError e) {
            // a fault in a mapped file: the work folder's disk filled up (or the dump changed) while it was in use
            err.println("refkit: failed to write the dump's index files (" + Format.safe(String.valueOf(e.getMessage()))
                    + "): is the work folder's disk full? choose a folder with room with --work-dir DIR");
            return EXIT_UNREADABLE;
        } catch (StackOverflowError e) {
            err.println("refkit: failed: the thread's stack overflowed (a bug in refkit: please report the command"
                    + " and how the dump was made)");
            return EXIT_UNREADABLE;
        }
    }

    /** Whether the command line gives {@code option}, to the command or to any of its subcommands. */
    private static boolean given(CommandLine.ParseResult parseResult, String option) {
        for (CommandLine.ParseResult command = parseResult; command != null; command = command.subcommand()) {
            if (command.hasMatchedOption(option)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isOurs(Exception e) {
        return e instanceof UnreadableInputException || e instanceof UnwritableOutputException;
    }

    /** A failure in one line: ours as they are, a reading failure with its cause, anything else as a failure to report. */
    private static String oneLine(Exception e) {
        if (isOurs(e)) {
            return e.getMessage();
        }
        if (e instanceof java.io.UncheckedIOException io) {
            String message = io.getCause().getMessage();
            // the index's work folder says what to change itself; anything else is the dump
            return message != null && message.contains("--work-dir") ? message : "cannot read the dump: " + message;
        }
        return "failed: " + e + " (a bug in refkit? run again with --verbose and report what it prints)";
    }

    /** refkit's version, from the jar's manifest; null when the classes do not come from a jar (a development build). */
    static String version() {
        return RefkitCli.class.getPackage().getImplementationVersion();
    }

    /** The version from the jar's manifest, and which Java runs the command (JAVA_HOME's or the PATH's). */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = version();
            return new String[] {"refkit " + (v == null ? "(development build: classes outside a jar)" : v),
                "Java " + Runtime.version() + " (" + System.getProperty("java.vm.name") + ") at "
                        + System.getProperty("java.home")};
        }
    }
}
