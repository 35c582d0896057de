package dev.refkit.cli;

import picocli.CommandLine.Option;

/** The options every reading command shares: how much it says while it works and when it fails. */
final class OutputOptions {

    @Option(names = {"-q", "--quiet"}, description = "no progress output")
    boolean quiet;

    @Option(names = "--verbose", description = "show the cause of a failure in full")
    boolean verbose;
}
