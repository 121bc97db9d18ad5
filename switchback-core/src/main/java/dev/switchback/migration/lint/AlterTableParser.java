package dev.switchback.migration.lint;

import dev.switchback.migration.sql.SqlFlavor;
import dev.switchback.migration.sql.SqlToken;

import java.util.Locale;

/**
 * ALTER statements. ALTER TABLE (and ALTER VIEW / MATERIALIZED VIEW / FOREIGN TABLE) is split into its actions, each
 * recognised on its own; an action lint does not know makes the statement unverified, the others are still checked.
 */
final class AlterTableParser {
    private static final String[] OTHER_OBJECTS = {"SEQUENCE", "FUNCTION", "PROCEDURE", "SCHEMA", "ROLE", "USER", "GROUP",
            "DATABASE", "DOMAIN", "EXTENSION", "POLICY", "DEFAULT", "PUBLICATION", "SUBSCRIPTION", "EVENT", "SYSTEM",
            "TRIGGER", "COLLATION", "AGGREGATE", "OPERATOR", "LARGE", "STATISTICS", "SERVER", "TABLESPACE", "TEXT",
            "LANGUAGE", "ROUTINE", "RULE", "CONVERSION", "INDEX", "INSTANCE", "LOGFILE", "RESOURCE"};
    /** MySQL table options that only change metadata. */
    private static final String[] MYSQL_METADATA_OPTIONS = {"AUTO_INCREMENT", "COMMENT", "STATS_PERSISTENT",
            "STATS_AUTO_RECALC", "STATS_SAMPLE_PAGES", "PACK_KEYS", "CHECKSUM", "MAX_ROWS", "MIN_ROWS", "DELAY_KEY_WRITE",
            "AVG_ROW_LENGTH", "CHARSET", "COLLATE", "UNION", "INSERT_METHOD", "PAGE_CHECKSUM", "TRANSACTIONAL"};
    /** MySQL table options and operations that rebuild or copy the table. */
    private static final String[] MYSQL_REBUILDS = {"ENGINE", "ROW_FORMAT", "KEY_BLOCK_SIZE", "FORCE", "ORDER",
            "PARTITION", "REMOVE", "COALESCE", "REORGANIZE", "REBUILD", "EXCHANGE", "DISCARD", "IMPORT", "ANALYZE",
            "OPTIMIZE", "REPAIR", "TRUNCATE", "CHECK", "CONVERT", "ENCRYPTION", "COMPRESSION", "TABLESPACE", "PAGE_COMPRESSED"};

    private final SqlFlavor flavor;

    AlterTableParser(SqlFlavor flavor) {
        this.flavor = flavor;
    }

    void alter(Stmt s, Tokens t) {
        t.accept("ALTER");
        t.acceptAny("ONLINE", "OFFLINE", "IGNORE");
        if (t.accept("TABLE") || t.accept("FOREIGN", "TABLE")) {
            s.label = "ALTER TABLE";
            table(s, t);
        } else if (t.accept("VIEW") || t.accept("MATERIALIZED", "VIEW")) {
            s.label = t.containsWord(0, 3, "MATERIALIZED") ? "ALTER MATERIALIZED VIEW" : "ALTER VIEW";
            table(s, t);
        } else if (t.accept("TYPE")) {
            type(s, t);
        } else if (t.isWord(OTHER_OBJECTS)) {
            s.kind = Stmt.Kind.ALTER_OTHER;
            s.label = "ALTER " + t.next().upper();
            if (s.label.equals("ALTER SYSTEM")) {
                s.notInTransaction = "ALTER SYSTEM cannot run inside a transaction block";
            }
            s.target = t.name();
        } else {
            s.kind = Stmt.Kind.UNKNOWN;
        }
    }

    private void type(Stmt s, Tokens t) {
        s.kind = Stmt.Kind.ALTER_TYPE;
        s.label = "ALTER TYPE";
        s.target = t.name();
        if (t.accept("RENAME", "VALUE")) {
            s.enumRename = true;
            s.label = "ALTER TYPE RENAME VALUE";
        } else if (t.accept("ADD", "VALUE")) {
            s.label = "ALTER TYPE ADD VALUE";
            s.word = "ADD VALUE";
        }
    }

    private void table(Stmt s, Tokens t) {
        s.kind = Stmt.Kind.ALTER_TABLE;
        t.accept("IF", "EXISTS");
        t.accept("ONLY");
        s.target = t.name();
        t.acceptSymbol('*');
        if (s.target == null || t.atEnd()) {
            s.kind = Stmt.Kind.UNKNOWN;
            s.unverified(s.label + " without a table and an action", t.here());
            return;
        }
        for (int[] range : t.splitTopLevel(t.pos(), t.size())) {
            if (range[0] < range[1]) {
                Action a = action(s, t, range[0], range[1]);
                if (a != null) {
                    s.actions.add(a);
                }
            }
        }
    }

    private Action action(Stmt s, Tokens t, int from, int to) {
        t.seek(from);
        SqlToken at = t.peek();
        String verb = at.upper();
        t.next();
        Action a = switch (verb) {
            case "ADD" -> add(s, t, at, to);
            case "DROP" -> drop(t, at);
            case "ALTER" -> alterColumn(t, at, to);
            case "MODIFY" -> {
                t.accept("COLUMN");
                ColumnDef def = Definitions.column(t, t.pos(), to);
                yield def == null ? null : new Action(Action.Type.MODIFY_COLUMN, at, def.name(), def, null, def.name(), null, false);
            }
            case "CHANGE" -> {
                t.accept("COLUMN");
                String old = lower(t.simpleName());
                ColumnDef def = Definitions.column(t, t.pos(), to);
                yield def == null ? null : new Action(Action.Type.MODIFY_COLUMN, at, old, def, null, old, def.name(), false);
            }
            case "RENAME" -> rename(t, at);
            case "VALIDATE" -> t.accept("CONSTRAINT")
                    ? new Action(Action.Type.VALIDATE_CONSTRAINT, at, null, null, null, lower(t.simpleName()), null, false) : null;
            case "ATTACH" -> t.accept("PARTITION")
                    ? new Action(Action.Type.ATTACH_PARTITION, at, null, null, null, nameOf(t), null, false) : null;
            case "DETACH" -> {
                if (!t.accept("PARTITION")) {
                    yield null;
                }
                String partition = nameOf(t);
                boolean concurrently = t.isWord("CONCURRENTLY", "FINALIZE");
                if (t.isWord("CONCURRENTLY")) {
                    s.notInTransaction = "DETACH PARTITION ... CONCURRENTLY cannot run inside a transaction block";
                }
                yield new Action(Action.Type.DETACH_PARTITION, at, null, null, null, partition, null, concurrently);
            }
            case "SET" -> set(t, at);
            case "RESET" -> Action.of(Action.Type.SHARE_UPDATE_EXCLUSIVE, at);
            case "CLUSTER" -> Action.of(Action.Type.SHARE_UPDATE_EXCLUSIVE, at);
            case "ENABLE", "DISABLE" -> {
                t.acceptAny("ALWAYS", "REPLICA");
                yield t.isWord("TRIGGER") ? Action.of(Action.Type.SHARE_ROW_EXCLUSIVE, at) : Action.of(Action.Type.METADATA, at);
            }
            case "OWNER", "INHERIT", "NO", "OF", "NOT", "REPLICA", "FORCE" -> verb.equals("FORCE") && !t.isWord("ROW")
                    ? Action.of(Action.Type.COPY_TABLE, at) : Action.of(Action.Type.METADATA, at);
            case "ALGORITHM", "LOCK" -> {
                Classifier.mysqlOptions(s, t, from);
                yield Action.of(Action.Type.OPTION, at);
            }
            case "DEFAULT" -> Action.of(Action.Type.METADATA, at);
            case "CHARACTER" -> Action.of(Action.Type.METADATA, at);
            default -> {
                if (at.isAnyWord(MYSQL_METADATA_OPTIONS)) {
                    yield Action.of(Action.Type.METADATA, at);
                }
                if (flavor == SqlFlavor.MYSQL && at.isAnyWord(MYSQL_REBUILDS)) {
                    yield Action.of(Action.Type.COPY_TABLE, at);
                }
                yield null;
            }
        };
        if (a == null) {
            s.unverified("the " + s.label + " action '" + t.text(from, Math.min(to, from + 4)) + "' is not one lint knows", at);
        }
        return a;
    }

    private Action add(Stmt s, Tokens t, SqlToken at, int to) {
        if (t.accept("COLUMN")) {
            t.accept("IF", "NOT", "EXISTS");
            if (t.isSymbol('(')) {
                // MySQL ADD COLUMN (a INT, b INT): checked as the first; the rest follow the same rules
                int close = t.closing(t.pos());
                ColumnDef def = Definitions.column(t, t.pos() + 1, t.splitTopLevel(t.pos() + 1, close).get(0)[1]);
                return def == null ? null : new Action(Action.Type.ADD_COLUMN, at, def.name(), def, null, null, null, false);
            }
            return addColumn(t, at, to);
        }
        if (Definitions.isConstraint(t, t.pos())) {
            ConstraintDef c = Definitions.constraint(t, t.pos(), to);
            if (c.kind() == ConstraintDef.Kind.INDEX) {
                return new Action(Action.Type.ADD_INDEX, at, null, null, c, c.name(), null, false);
            }
            return new Action(Action.Type.ADD_CONSTRAINT, at, null, null, c, c.name(), null, false);
        }
        if (t.isWord("PARTITION")) {
            return Action.of(Action.Type.COPY_TABLE, at);
        }
        t.accept("IF", "NOT", "EXISTS");
        return addColumn(t, at, to);
    }

    private static Action addColumn(Tokens t, SqlToken at, int to) {
        ColumnDef def = Definitions.column(t, t.pos(), to);
        return def == null ? null : new Action(Action.Type.ADD_COLUMN, at, def.name(), def, null, null, null, false);
    }

    private Action drop(Tokens t, SqlToken at) {
        if (t.accept("CONSTRAINT") || t.accept("FOREIGN", "KEY") || t.accept("CHECK")) {
            t.accept("IF", "EXISTS");
            return new Action(Action.Type.DROP_CONSTRAINT, at, null, null, null, lower(t.simpleName()), null, false);
        }
        if (t.accept("INDEX") || t.accept("KEY")) {
            return new Action(Action.Type.DROP_INDEX, at, null, null, null, lower(t.simpleName()), null, false);
        }
        if (t.accept("PRIMARY", "KEY")) {
            // MySQL drops the clustered index: the table is rebuilt, copied unless a new key is added with it
            return flavor == SqlFlavor.MYSQL ? Action.of(Action.Type.COPY_TABLE, at)
                    : new Action(Action.Type.DROP_CONSTRAINT, at, null, null, null, null, null, false);
        }
        if (t.isWord("PARTITION") && flavor == SqlFlavor.MYSQL) {
            return Action.of(Action.Type.COPY_TABLE, at);
        }
        if (t.isWord("DEFAULT", "EXPRESSION", "IDENTITY", "NOT")) {
            return null;
        }
        t.accept("COLUMN");
        t.accept("IF", "EXISTS");
        String column = lower(t.simpleName());
        return column == null ? null : new Action(Action.Type.DROP_COLUMN, at, column, null, null, null, null, false);
    }

    private Action alterColumn(Tokens t, SqlToken at, int to) {
        t.accept("COLUMN");
        String column = lower(t.simpleName());
        if (column == null) {
            return null;
        }
        if (t.accept("TYPE") || t.accept("SET", "DATA", "TYPE")) {
            int from = t.pos();
            int using = t.findTopLevel(from, to, "USING");
            int collate = t.findTopLevel(from, to, "COLLATE");
            int end = Math.min(using < 0 ? to : using, collate < 0 ? to : collate);
            String type = ColumnTypes.normalise(t.text(from, end));
            // USING col or USING col::type converts nothing PostgreSQL would not: the type change alone decides
            boolean trivialUsing = using >= 0 && t.get(using + 1) != null && column.equals(lower(Tokens.identifier(t.get(using + 1))))
                    && (using + 2 == to || t.symbolAt(using + 2, ':') && t.symbolAt(using + 3, ':'));
            return new Action(Action.Type.ALTER_TYPE, at, column, null, null, null, type, using >= 0 && !trivialUsing);
        }
        if (t.accept("SET", "NOT", "NULL")) {
            return new Action(Action.Type.SET_NOT_NULL, at, column, null, null, null, null, false);
        }
        if (t.accept("DROP", "NOT", "NULL")) {
            return new Action(Action.Type.DROP_NOT_NULL, at, column, null, null, null, null, false);
        }
        if (t.accept("SET", "DEFAULT")) {
            boolean toNull = t.isWord("NULL") && t.pos() + 1 == to;
            return new Action(Action.Type.SET_DEFAULT, at, column, null, null, null, null, toNull);
        }
        if (t.accept("DROP", "DEFAULT")) {
            return new Action(Action.Type.DROP_DEFAULT, at, column, null, null, null, null, false);
        }
        if (t.accept("SET", "STATISTICS") || t.isWord("SET") && t.symbolAt(t.pos() + 1, '(') || t.isWord("RESET")) {
            return new Action(Action.Type.SHARE_UPDATE_EXCLUSIVE, at, column, null, null, null, null, false);
        }
        if (t.isWord("SET", "ADD", "DROP", "RESTART")) {
            // SET STORAGE / COMPRESSION / GENERATED, ADD GENERATED ... AS IDENTITY, DROP IDENTITY / EXPRESSION,
            // MySQL SET VISIBLE: catalog changes that need no scan
            return new Action(Action.Type.METADATA, at, column, null, null, null, null, false);
        }
        return null;
    }

    private static Action rename(Tokens t, SqlToken at) {
        if (t.accept("COLUMN")) {
            String old = lower(t.simpleName());
            t.accept("TO");
            return new Action(Action.Type.RENAME_COLUMN, at, old, null, null, old, lower(t.simpleName()), false);
        }
        if (t.accept("CONSTRAINT") || t.accept("INDEX") || t.accept("KEY")) {
            return new Action(Action.Type.RENAME_OTHER, at, null, null, null, lower(t.simpleName()), null, false);
        }
        if (t.accept("TO") || t.accept("AS")) {
            return new Action(Action.Type.RENAME_TABLE, at, null, null, null, null, nameOf(t), false);
        }
        String first = lower(t.simpleName());
        if (t.accept("TO")) {
            return new Action(Action.Type.RENAME_COLUMN, at, first, null, null, first, lower(t.simpleName()), false);
        }
        // MySQL: ALTER TABLE t RENAME new_name
        return first == null ? null : new Action(Action.Type.RENAME_TABLE, at, null, null, null, null, first, false);
    }

    private static Action set(Tokens t, SqlToken at) {
        if (t.accept("TABLESPACE") || t.accept("LOGGED") || t.accept("UNLOGGED") || t.accept("ACCESS", "METHOD")) {
            return Action.of(Action.Type.REWRITE, at);
        }
        if (t.accept("SCHEMA")) {
            // the serving release's unqualified name stops finding the table, as after a rename
            return new Action(Action.Type.RENAME_TABLE, at, null, null, null, null, nameOf(t), false);
        }
        if (t.isWord("WITHOUT") || t.isSymbol('(')) {
            return Action.of(Action.Type.SHARE_UPDATE_EXCLUSIVE, at);
        }
        return null;
    }

    private static String nameOf(Tokens t) {
        Name n = t.name();
        return n == null ? null : n.display();
    }

    private static String lower(String s) {
        return s == null ? null : s.toLowerCase(Locale.ROOT);
    }
}
