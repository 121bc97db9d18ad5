package dev.switchback.migration.lint;

import java.util.List;

/**
 * What lint expects one statement to do, for the checklist and to compare with a rehearsal.
 *
 * @param number   1-based position in the migration
 * @param line     1-based line in the script
 * @param sql      the statement, shortened to one line
 * @param kind     what it is: "CREATE INDEX", "ALTER TABLE", ...
 * @param lock     the expected lock in words, e.g. "ShareLock on orders (blocks writes) while the index builds"
 * @param locks    the expected PostgreSQL locks on existing relations (empty for other databases, or when unknown)
 * @param locksKnown false when lint cannot tell which locks the statement takes
 * @param rewrite  whether it rewrites an existing table: TRUE, FALSE, or null when lint cannot tell
 * @param backfill whether it changes existing rows in bulk
 * @param verified false when lint could not classify it
 */
public record StatementLint(int number, int line, String sql, String kind, String lock, List<RelationLock> locks,
                            boolean locksKnown, Boolean rewrite, boolean backfill, boolean verified) {

    public StatementLint {
        locks = List.copyOf(locks);
    }
}
