package dev.switchback.migration.lint;

import dev.switchback.migration.Migration;
import dev.switchback.migration.sql.SqlFlavor;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * What the rules need to know about the migration a statement is in: is it one transaction, is it a contract step,
 * which objects are new (created earlier in it, or earlier in the same migrate run), and what happened before.
 */
final class Scope {
    final Migration migration;
    final SqlFlavor flavor;
    final int pgVersion;
    /** Switchback runs the migration as one transaction (PostgreSQL and SQLite without no-transaction). */
    final boolean transactional;
    final boolean contract;
    /** Migrate sets lock_timeout itself (migrations.statementLockTimeout is not 0). */
    final boolean engineLockTimeout;
    /** Tables, views, indexes, sequences and types that are new: empty, and unknown to the serving release. */
    final Set<String> newObjects;
    /** {@code table.column} added in this migration. */
    final Set<String> newColumns = new HashSet<>();
    /** Constraints added NOT VALID in this migration, by name. */
    final Map<String, Stmt> addedNotValid = new HashMap<>();
    final Schema schema;
    /** What the database migrate runs against has, or null when lint runs without one (then all that is not new exists). */
    final LiveCatalog live;
    boolean lockTimeoutSet;
    boolean lockTimeoutReported;
    boolean mixReported;
    /** The first data change and the first DDL on an existing table, for unbatched-backfill's "mixed" case. */
    Stmt firstDataChange;
    Stmt firstExistingDdl;

    Scope(Migration migration, SqlFlavor flavor, int pgVersion, boolean engineLockTimeout, Set<String> newObjects, Schema schema,
          LiveCatalog live) {
        this.migration = migration;
        this.flavor = flavor;
        this.pgVersion = pgVersion;
        this.transactional = flavor != SqlFlavor.MYSQL && !migration.directives().noTransaction();
        this.contract = migration.directives().contract();
        this.engineLockTimeout = engineLockTimeout;
        this.newObjects = newObjects;
        this.schema = schema;
        this.live = live;
    }

    boolean isNew(Name name) {
        return name != null && newObjects.contains(name.key());
    }

    /** An object that existed before this migration (and is full of rows in production), as far as lint can tell. */
    boolean isExisting(Name name) {
        return name != null && !newObjects.contains(name.key()) && (live == null || live.has(name));
    }

    boolean isNewColumn(Name table, String column) {
        return isNew(table) || newColumns.contains(table.key() + "." + column);
    }

    /** A column the serving release may use: not added in this migration, and in the live table when lint knows it. */
    boolean isExistingColumn(Name table, String column) {
        return !isNewColumn(table, column) && (live == null || live.hasColumn(table, column));
    }

    boolean postgres() {
        return flavor == SqlFlavor.POSTGRES;
    }

    boolean sqlite() {
        return flavor == SqlFlavor.SQLITE;
    }

    boolean mysql() {
        return flavor == SqlFlavor.MYSQL;
    }
}
