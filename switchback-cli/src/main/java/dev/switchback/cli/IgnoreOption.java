package dev.switchback.cli;

import dev.switchback.migration.Migrator;
import picocli.CommandLine.Option;

import java.util.List;

/** {@code --ignore}, for every command that compares schemas ({@code drift}, {@code verify}, {@code compare}). */
final class IgnoreOption {
    @Option(names = "--ignore", arity = "1..*", paramLabel = "PATTERN", description = "leave out objects of the schema check: "
            + "kind:pattern (table:audit_*, index:*_tmp) or a bare pattern; added to drift.ignore")
    List<String> patterns;

    /** The migrator with these patterns added to the configured ones. */
    Migrator applyTo(Migrator m) {
        return m.withDrift(m.driftConfig().ignoring(patterns));
    }
}
