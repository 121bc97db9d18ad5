package dev.switchback.cli;

import dev.switchback.migration.Migrator;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The options of the commands that check the live schema against the migrations ({@code drift}, {@code verify}). */
final class SchemaCheckOptions {
    @Option(names = "--replay", description = "check the schema against the applied migrations replayed into a scratch database "
            + "instead of the snapshot taken at migrate time (so the snapshot is checked too)")
    boolean replay;

    @Mixin
    IgnoreOption ignore;

    Migrator applyTo(Migrator m) {
        return ignore.applyTo(m);
    }
}
