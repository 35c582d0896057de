package dev.refkit.cli;

import picocli.CommandLine.Option;

/** The options every reading command shares: how much it says while it works and when it fails. */
final class OutputOptions {

    @Option(names = {"-q", "--quiet"}, description = "no progress output")
    boolean quiet;

    @Option(names = "--verbose", description = "show the cause of a failure in full")
    boolean verbose;

    @Option(names = "--memory", description = "at the end, say on standard error how much memory the command took: the"
            + " peak resident set, the peak anonymous memory (what a container's limit must hold) and the Java heap")
    boolean memory;
}
