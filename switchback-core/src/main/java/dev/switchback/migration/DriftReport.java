package dev.switchback.migration;

import dev.switchback.migration.schema.Difference;
import dev.switchback.migration.schema.Resolution;

import java.util.List;
import java.util.Map;

/**
 * The live schema against the one the applied migrations produce.
 *
 * @param unchecked    why the schema was not compared (a baseline, a failed migration, a DataSource), or null when it was
 * @param differences  every object that differs, grouped by kind; empty when clean or unchecked
 * @param expectedHash hash of the canonical schema the migrations produce, null when unchecked
 * @param actualHash   hash of the live canonical schema, null when unchecked
 * @param textDiffs    for each changed view, function or trigger, by its label: a unified diff from the migrations' text to the database's
 * @param expectedFrom where the expected schema came from: {@value #FROM_SNAPSHOT} or {@value #FROM_REPLAY}; null when unchecked
 */
public record DriftReport(String database, String unchecked, List<Difference> differences, String expectedHash, String actualHash,
                          Map<String, String> textDiffs, String expectedFrom) {
    public static final String FROM_SNAPSHOT = "snapshot";
    public static final String FROM_REPLAY = "replay";

    public boolean checked() {
        return unchecked == null;
    }

    public boolean clean() {
        return differences.isEmpty();
    }

    /** SQL that brings the database back to the migrations, and what it cannot say. */
    public Resolution toMigrations() {
        return Resolution.toMigrations(differences);
    }

    /** SQL for a new migration that records the drift as intended (its up; its down is {@link #toMigrations()}). */
    public Resolution toDatabase() {
        return Resolution.toDatabase(differences);
    }

    static DriftReport unchecked(String database, String why) {
        return new DriftReport(database, why, List.of(), null, null, Map.of(), null);
    }
}
