package dev.switchback.migration.lint;

import dev.switchback.migration.sql.SqlToken;

/**
 * A table constraint (CREATE TABLE element or ALTER TABLE ADD).
 *
 * @param kind          what it enforces
 * @param name          its name, lower-cased, or null
 * @param notValid      NOT VALID: existing rows are not checked now
 * @param usingIndex    UNIQUE/PRIMARY KEY USING INDEX: takes over an index built beforehand
 * @param references    the referenced table of a FOREIGN KEY
 * @param notNullColumn the column of a {@code CHECK (col IS NOT NULL)}, which lets PostgreSQL 12+ SET NOT NULL without a scan
 * @param at            where it starts
 */
record ConstraintDef(Kind kind, String name, boolean notValid, boolean usingIndex, Name references, String notNullColumn,
                     SqlToken at) {

    enum Kind { CHECK, FOREIGN_KEY, UNIQUE, PRIMARY_KEY, EXCLUDE, INDEX, OTHER }
}
