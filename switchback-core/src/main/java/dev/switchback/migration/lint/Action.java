package dev.switchback.migration.lint;

import dev.switchback.migration.sql.SqlToken;

/**
 * One action of an ALTER TABLE.
 *
 * @param type       what it does
 * @param at         its first token
 * @param column     the column it changes, lower-cased, or null
 * @param def        ADD COLUMN / MODIFY / CHANGE: the new definition
 * @param constraint ADD CONSTRAINT: the constraint
 * @param name       constraint, index or partition name; RENAME: the old name
 * @param newName    RENAME: the new name; ALTER TYPE: the new type (normalised)
 * @param flag       ALTER TYPE: a USING clause; DETACH: CONCURRENTLY; SET DEFAULT: the default is NULL
 */
record Action(Type type, SqlToken at, String column, ColumnDef def, ConstraintDef constraint, String name, String newName,
              boolean flag) {

    enum Type {
        ADD_COLUMN, DROP_COLUMN, ALTER_TYPE, SET_NOT_NULL, DROP_NOT_NULL, SET_DEFAULT, DROP_DEFAULT,
        ADD_CONSTRAINT, VALIDATE_CONSTRAINT, DROP_CONSTRAINT, RENAME_COLUMN, RENAME_TABLE, RENAME_OTHER,
        ATTACH_PARTITION, DETACH_PARTITION,
        /** SET TABLESPACE, SET LOGGED/UNLOGGED, SET ACCESS METHOD: a full rewrite. */
        REWRITE,
        /** A lighter lock: SET (storage options), SET STATISTICS, CLUSTER ON, ... */
        SHARE_UPDATE_EXCLUSIVE,
        /** ENABLE/DISABLE TRIGGER. */
        SHARE_ROW_EXCLUSIVE,
        /** OWNER TO, ROW LEVEL SECURITY, REPLICA IDENTITY, INHERIT, ... : brief and metadata only. */
        METADATA,
        /** MySQL: ADD INDEX/KEY, DROP INDEX/KEY, MODIFY/CHANGE, CONVERT TO CHARACTER SET, ENGINE=, partitioning. */
        ADD_INDEX, DROP_INDEX, MODIFY_COLUMN, COPY_TABLE,
        /** MySQL ALGORITHM= and LOCK= clauses. */
        OPTION
    }

    static Action of(Type type, SqlToken at) {
        return new Action(type, at, null, null, null, null, null, false);
    }
}
