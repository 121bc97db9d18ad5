package dev.switchback.migration;

import dev.switchback.migration.schema.Schema;

import java.util.List;

/**
 * One environment as {@code compare} sees it: its history and its live schema (Switchback's and other tools' history
 * tables left out). Written to a file by {@code compare --export} where the other database cannot be reached directly,
 * and compared with {@code compare --with FILE}.
 *
 * @param database the masked URL it was read from
 * @param dialect  {@code Dialect.name()}: two environments compare only within one dialect
 */
public record EnvironmentExport(String database, String dialect, List<AppliedMigration> history, Schema schema) {
    public EnvironmentExport {
        history = List.copyOf(history);
    }
}
