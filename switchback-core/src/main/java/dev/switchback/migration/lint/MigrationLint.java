package dev.switchback.migration.lint;

import java.util.List;

/**
 * One linted migration.
 *
 * @param script        the up script
 * @param version       its version, or null for a file outside the migration naming
 * @param phase         {@code expand} or {@code contract}
 * @param transactional whether Switchback runs it as one transaction
 * @param downScript    the down script, or null when there is none
 * @param statements    every statement with its expected effect
 */
public record MigrationLint(String script, String version, String phase, boolean transactional, String downScript,
                            List<StatementLint> statements) {

    public MigrationLint {
        statements = List.copyOf(statements);
    }

    public boolean hasDown() {
        return downScript != null;
    }
}
