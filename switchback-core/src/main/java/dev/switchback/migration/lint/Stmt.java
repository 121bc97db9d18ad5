package dev.switchback.migration.lint;

import dev.switchback.migration.Directives;
import dev.switchback.migration.sql.SqlStatement;
import dev.switchback.migration.sql.SqlToken;

import java.util.ArrayList;
import java.util.List;

/**
 * One statement of a migration as the classifier understood it. Only the fields its kind uses are set; a statement
 * the classifier could not read has kind {@link Kind#UNKNOWN} and says why in {@link #unverified}.
 */
final class Stmt {

    enum Kind {
        CREATE_TABLE, CREATE_INDEX, CREATE_VIEW, CREATE_TRIGGER, CREATE_OTHER,
        DROP_INDEX, DROP_RELATION, DROP_SCHEMA, DROP_OTHER, TRUNCATE,
        ALTER_TABLE, ALTER_TYPE, ALTER_OTHER, RENAME_TABLE,
        UPDATE, DELETE, INSERT, MERGE, COPY, SELECT,
        TRANSACTION, SET, VACUUM, ANALYZE, CLUSTER, REINDEX, REFRESH, LOCK, COMMENT, GRANT,
        CODE_BLOCK, OTHER, UNKNOWN
    }

    final SqlStatement statement;
    final Tokens tokens;
    /** 1-based position in the migration. */
    final int number;
    /** {@code -- switchback:ignore} comments next to this statement. */
    final List<Directives.Ignore> ignores;

    Kind kind = Kind.UNKNOWN;
    /** What the statement is, for reports: "CREATE INDEX", "ALTER TABLE", ... */
    String label = "unknown";
    /** Why lint could not check it (or part of it); null when it could. */
    String unverified;
    SqlToken unverifiedAt;

    /** The table, index, view, type or schema the statement is about. */
    Name target;
    /** DROP and TRUNCATE lists, RENAME TABLE pairs (old, new, old, new ...). */
    final List<Name> targets = new ArrayList<>();
    /** CREATE INDEX: the table. */
    Name onTable;
    boolean concurrently;
    boolean unique;
    /** VACUUM FULL, or REINDEX/REFRESH as written. */
    boolean full;
    /** UPDATE/DELETE: a WHERE (or MySQL LIMIT) at the top level. */
    boolean filtered;
    /** INSERT/MERGE/COPY/UPDATE/DELETE: changes rows from a query or over many rows, not a literal handful. */
    boolean bulk;
    /** TRANSACTION: the verb (BEGIN, COMMIT, ...); SET: the variable; LOCK: the mode; REINDEX: INDEX/TABLE/... */
    String word;
    /** SET: the value as written. */
    String value;
    /** CREATE TABLE: columns and constraints; ALTER TABLE: its actions. */
    final List<ColumnDef> columns = new ArrayList<>();
    final List<ConstraintDef> constraints = new ArrayList<>();
    final List<Action> actions = new ArrayList<>();
    /** CREATE TABLE ... AS / LIKE / PARTITION OF: columns not listed here. */
    boolean derived;
    /** MySQL ALTER/CREATE INDEX options, upper-cased, or null. */
    String algorithm;
    String lockOption;
    /** ALTER TYPE ... RENAME VALUE. */
    boolean enumRename;
    /** A statement PostgreSQL refuses inside a transaction block, and why; null otherwise. */
    String notInTransaction;

    Stmt(SqlStatement statement, List<SqlToken> tokens, int number, List<Directives.Ignore> ignores) {
        this.statement = statement;
        this.tokens = new Tokens(tokens);
        this.number = number;
        this.ignores = List.copyOf(ignores);
    }

    private String oneLine;

    /** The statement on one line, shortened for reports; computed once (lint prints it per statement and finding). */
    String oneLine() {
        if (oneLine == null) {
            String sql = statement.sql();
            StringBuilder sb = new StringBuilder(Math.min(sql.length(), 210));
            for (int i = 0; i < sql.length() && sb.length() <= 200; i++) {
                char c = sql.charAt(i);
                if (Character.isWhitespace(c)) {
                    if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ' ') {
                        sb.append(' ');
                    }
                } else {
                    sb.append(c);
                }
            }
            String text = sb.toString().strip();
            oneLine = text.length() <= 200 ? text : text.substring(0, 197) + "...";
        }
        return oneLine;
    }

    SqlToken first() {
        return tokens.get(0);
    }

    void unverified(String why, SqlToken at) {
        if (unverified == null) {
            unverified = why;
            unverifiedAt = at;
        }
    }

    boolean isDataChange() {
        return kind == Kind.UPDATE || kind == Kind.DELETE || kind == Kind.INSERT || kind == Kind.MERGE || kind == Kind.COPY;
    }

    boolean isDdl() {
        return switch (kind) {
            case CREATE_TABLE, CREATE_INDEX, CREATE_VIEW, CREATE_TRIGGER, CREATE_OTHER, DROP_INDEX, DROP_RELATION,
                    DROP_SCHEMA, DROP_OTHER, TRUNCATE, ALTER_TABLE, ALTER_TYPE, ALTER_OTHER, RENAME_TABLE, CLUSTER,
                    REINDEX, REFRESH, VACUUM -> true;
            default -> false;
        };
    }
}
