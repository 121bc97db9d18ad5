package dev.switchback.migration.dialect;

import java.time.Duration;

/**
 * What a lock protects and how it behaves.
 *
 * @param schema    the schema or database holding the history table
 * @param table     the history table's name
 * @param lockTable the table recording the holder (and, on SQLite, the lease)
 * @param lease     how long a SQLite lease lasts without a heartbeat
 */
public record LockTarget(String schema, String table, String lockTable, Duration lease) {
}
