package dev.switchback.migration.lint;

import dev.switchback.migration.sql.SqlToken;

import java.util.List;

/**
 * A column definition in CREATE TABLE, ADD COLUMN or MySQL MODIFY/CHANGE.
 *
 * @param name          the column, lower-cased
 * @param type          the type, normalised by {@link ColumnTypes#normalise}; empty when none was written
 * @param notNull       NOT NULL or PRIMARY KEY
 * @param defaultExpr   the DEFAULT expression's tokens, or null without DEFAULT
 * @param identity      GENERATED ... AS IDENTITY, AUTO_INCREMENT, or a serial type
 * @param storedGenerated GENERATED ALWAYS AS (...) STORED (also MySQL/MariaDB STORED/PERSISTENT)
 * @param primaryKey    an inline PRIMARY KEY
 * @param unique        an inline UNIQUE
 * @param check         an inline CHECK
 * @param references    an inline REFERENCES target, or null
 * @param at            the column name's token
 * @param charset       a CHARACTER SET, CHARSET or COLLATE of its own
 */
record ColumnDef(String name, String type, boolean notNull, List<SqlToken> defaultExpr, boolean identity,
                 boolean storedGenerated, boolean primaryKey, boolean unique, boolean check, Name references, SqlToken at,
                 boolean charset) {

    boolean hasDefault() {
        return defaultExpr != null && !(defaultExpr.size() == 1 && defaultExpr.get(0).isWord("NULL"));
    }

    /** Whether rows get a value without the writer naming the column. */
    boolean filledIn() {
        return hasDefault() || identity || storedGenerated;
    }
}
