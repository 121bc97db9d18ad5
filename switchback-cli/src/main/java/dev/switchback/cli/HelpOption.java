package dev.switchback.cli;

import picocli.CommandLine.Option;

/** -h/--help for subcommands (the standard mixin's --version would clash with rollback --version). */
final class HelpOption {
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;
}
