package dev.switchback.migration.lint;

/**
 * Every lint rule. The ids are API: they appear in reports, in {@code -- switchback:ignore <rule> <reason>} and
 * in the {@code lint.*} settings, so a rule is never renamed. Locking rules describe PostgreSQL unless noted.
 */
public enum Rule {
    CREATE_INDEX_BLOCKING("create-index-blocking", Category.LOCKING, Severity.ERROR,
            "CREATE INDEX without CONCURRENTLY blocks writes to an existing table while the index builds",
            "CREATE INDEX CONCURRENTLY in a migration of its own marked -- switchback:no-transaction"),
    DROP_INDEX_BLOCKING("drop-index-blocking", Category.LOCKING, Severity.WARNING,
            "DROP INDEX without CONCURRENTLY takes an ACCESS EXCLUSIVE lock on the index's table",
            "DROP INDEX CONCURRENTLY in a migration of its own marked -- switchback:no-transaction"),
    CONCURRENTLY_IN_TRANSACTION("concurrently-in-transaction", Category.LOCKING, Severity.ERROR,
            "a statement that cannot run inside a transaction block, in a migration that runs in one",
            "move the statement to a migration of its own whose first line is -- switchback:no-transaction"),
    TABLE_REWRITE_MAINTENANCE("table-rewrite-maintenance", Category.LOCKING, Severity.ERROR,
            "VACUUM FULL, CLUSTER, REINDEX, REFRESH MATERIALIZED VIEW, SET TABLESPACE/LOGGED/UNLOGGED rewrite under an exclusive lock",
            "use REINDEX CONCURRENTLY / REFRESH MATERIALIZED VIEW CONCURRENTLY, or pg_repack, outside the migration"),
    ADD_COLUMN_REWRITE("add-column-rewrite", Category.LOCKING, Severity.ERROR,
            "ADD COLUMN with a volatile default, serial, identity or stored generated column rewrites the table",
            "add the column without the default (or with a constant one), set the default afterwards, backfill in batches"),
    CHANGE_COLUMN_TYPE("change-column-type", Category.LOCKING, Severity.ERROR,
            "ALTER COLUMN TYPE rewrites the table and its indexes under an ACCESS EXCLUSIVE lock",
            "add a column of the new type, write both, backfill in batches, switch reads, then drop the old column"),
    SET_NOT_NULL("set-not-null", Category.LOCKING, Severity.ERROR,
            "SET NOT NULL scans the whole table under an ACCESS EXCLUSIVE lock",
            "ADD CONSTRAINT c CHECK (col IS NOT NULL) NOT VALID; VALIDATE CONSTRAINT c in a later migration; "
                    + "then SET NOT NULL (PostgreSQL 12+ skips the scan) and drop the check"),
    CONSTRAINT_NOT_VALID_MISSING("constraint-not-valid-missing", Category.LOCKING, Severity.ERROR,
            "ADD CHECK or FOREIGN KEY validates every row while holding a lock that blocks writes",
            "ADD CONSTRAINT ... NOT VALID now, VALIDATE CONSTRAINT in a later migration"),
    VALIDATE_IN_SAME_TRANSACTION("validate-in-same-transaction", Category.LOCKING, Severity.ERROR,
            "VALIDATE CONSTRAINT in the transaction that added the constraint keeps the add's lock during the scan",
            "move VALIDATE CONSTRAINT to a later migration"),
    UNIQUE_CONSTRAINT_BLOCKING("unique-constraint-blocking", Category.LOCKING, Severity.ERROR,
            "ADD UNIQUE or PRIMARY KEY builds its index under an ACCESS EXCLUSIVE lock",
            "CREATE UNIQUE INDEX CONCURRENTLY (no-transaction migration), then ADD CONSTRAINT ... UNIQUE USING INDEX"),
    EXCLUSION_CONSTRAINT("exclusion-constraint", Category.LOCKING, Severity.ERROR,
            "ADD EXCLUDE builds its index under an ACCESS EXCLUSIVE lock and has no NOT VALID or USING INDEX form",
            "add exclusion constraints when the table is created, or in a maintenance window"),
    DETACH_PARTITION_BLOCKING("detach-partition-blocking", Category.LOCKING, Severity.ERROR,
            "DETACH PARTITION without CONCURRENTLY takes an ACCESS EXCLUSIVE lock on the partitioned table",
            "DETACH PARTITION ... CONCURRENTLY (PostgreSQL 14+) in a no-transaction migration"),
    UNBATCHED_BACKFILL("unbatched-backfill", Category.LOCKING, Severity.WARNING,
            "a data change over a whole existing table, or data changes in the same transaction as DDL",
            "backfill in batches (WHERE id BETWEEN ...) in their own migrations or a job, separate from schema changes"),
    MYSQL_BLOCKING_ALTER("mysql-blocking-alter", Category.LOCKING, Severity.ERROR,
            "MySQL/MariaDB ALTER that may copy the table or block writes, without ALGORITHM=INSTANT or ALGORITHM=INPLACE, LOCK=NONE",
            "add ALGORITHM=INPLACE, LOCK=NONE (or ALGORITHM=INSTANT) so the server refuses instead of blocking; "
                    + "for changes that need a copy use gh-ost or pt-online-schema-change"),
    MISSING_LOCK_TIMEOUT("missing-lock-timeout", Category.LOCKING, Severity.WARNING,
            "DDL on an existing table without a lock timeout queues every later query behind it while it waits",
            "set migrations.statementLockTimeout (default 5s), or SET lock_timeout = '5s' first in the migration"),
    DROP_COLUMN("drop-column", Category.COMPATIBILITY, Severity.ERROR,
            "dropping a column breaks the release still serving, which reads or writes it",
            "stop using the column in one release, then drop it in a migration marked -- switchback:phase=contract"),
    DROP_TABLE("drop-table", Category.COMPATIBILITY, Severity.ERROR,
            "dropping or truncating a table, view or schema breaks the release still serving (and loses data)",
            "stop using it in one release, then drop it in a migration marked -- switchback:phase=contract"),
    RENAME_COLUMN("rename-column", Category.COMPATIBILITY, Severity.ERROR,
            "renaming a column breaks the release still serving, which uses the old name",
            "add the new column, write both, backfill, switch reads, then drop the old one in a contract migration"),
    RENAME_TABLE("rename-table", Category.COMPATIBILITY, Severity.ERROR,
            "renaming a table or view breaks the release still serving, which uses the old name",
            "create the new table (or a view under the new name), move the code over, drop the old name in a contract migration"),
    ADD_REQUIRED_COLUMN("add-required-column", Category.COMPATIBILITY, Severity.ERROR,
            "a NOT NULL column without a default makes the serving release's INSERTs fail",
            "add the column with a DEFAULT, or nullable; backfill; SET NOT NULL once every writer sets it"),
    DROP_DEFAULT_ON_REQUIRED("drop-default-on-required", Category.COMPATIBILITY, Severity.ERROR,
            "dropping the default of a NOT NULL column makes the serving release's INSERTs that omit it fail",
            "drop the default in a contract migration, once every writer sets the column"),
    ENUM_VALUE_RENAME("enum-value-rename", Category.COMPATIBILITY, Severity.ERROR,
            "renaming an enum value breaks the release still serving, which reads and writes the old value",
            "ADD VALUE the new label, move rows and code over, stop using the old label in a contract step"),
    TRANSACTION_CONTROL("transaction-control", Category.COMPATIBILITY, Severity.ERROR,
            "BEGIN, COMMIT or ROLLBACK inside a migration that Switchback already runs in a transaction",
            "remove it: the migration is one transaction; use -- switchback:no-transaction to run statements one by one"),
    UNVERIFIED_STATEMENT("unverified-statement", Category.VERIFICATION, Severity.WARNING,
            "a statement lint cannot classify, so nothing about its locks or compatibility is known",
            "review it by hand (lint --rehearse shows the locks it takes), or accept it with -- switchback:ignore unverified-statement <reason>");

    /** What a rule protects. */
    public enum Category {
        /** Blocks traffic while the migration runs. */
        LOCKING,
        /** Breaks the release that is still serving while the new one rolls out; informational in a contract migration. */
        COMPATIBILITY,
        /** Lint could not check the statement. */
        VERIFICATION
    }

    private final String id;
    private final Category category;
    private final Severity severity;
    private final String summary;
    private final String fix;

    Rule(String id, Category category, Severity severity, String summary, String fix) {
        this.id = id;
        this.category = category;
        this.severity = severity;
        this.summary = summary;
        this.fix = fix;
    }

    public String id() {
        return id;
    }

    public Category category() {
        return category;
    }

    /** The severity unless {@code lint.error/warning/info/disable} say otherwise. */
    public Severity defaultSeverity() {
        return severity;
    }

    public String summary() {
        return summary;
    }

    /** The safe alternative, as one instruction. */
    public String fix() {
        return fix;
    }

    /** The rule with this id, or null. */
    public static Rule byId(String id) {
        for (Rule r : values()) {
            if (r.id.equalsIgnoreCase(id)) {
                return r;
            }
        }
        return null;
    }

    /** Every id, comma-separated, for messages. */
    public static String ids() {
        StringBuilder sb = new StringBuilder();
        for (Rule r : values()) {
            sb.append(sb.length() == 0 ? "" : ", ").append(r.id);
        }
        return sb.toString();
    }
}
