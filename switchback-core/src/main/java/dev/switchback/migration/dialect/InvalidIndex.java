package dev.switchback.migration.dialect;

/** An index the server keeps but does not use or enforce (PostgreSQL {@code pg_index.indisvalid = false}). */
public record InvalidIndex(String name, String table) {
}
