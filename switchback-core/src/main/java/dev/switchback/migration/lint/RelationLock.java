package dev.switchback.migration.lint;

/**
 * A lock on an existing relation, named as PostgreSQL's pg_locks names modes: expected by lint or observed by a
 * rehearsal.
 *
 * @param relation the table, index or view, unqualified
 * @param mode     e.g. {@code ShareLock}, {@code AccessExclusiveLock}
 */
public record RelationLock(String relation, String mode) {

    @Override
    public String toString() {
        return mode + " on " + relation;
    }
}
