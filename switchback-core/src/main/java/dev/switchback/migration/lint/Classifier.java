package dev.switchback.migration.lint;

import dev.switchback.migration.sql.SqlFlavor;
import dev.switchback.migration.sql.SqlToken;

import java.util.Locale;

/**
 * Recognises a statement by the shape of its tokens and fills in its {@link Stmt}. Anything it cannot read is left
 * {@link Stmt.Kind#UNKNOWN} with the reason, so that lint reports it instead of passing it silently.
 */
final class Classifier {
    private static final String[] CREATE_MODIFIERS = {"OR", "REPLACE", "TEMP", "TEMPORARY", "UNLOGGED", "GLOBAL", "LOCAL",
            "MATERIALIZED", "RECURSIVE", "ONLINE", "OFFLINE", "TRUSTED", "PROCEDURAL", "FOREIGN", "AGGREGATE", "SQL",
            "SECURITY", "DEFINER", "INVOKER", "FULLTEXT", "SPATIAL", "CONSTRAINT"};
    private static final String[] OTHER_OBJECTS = {"SEQUENCE", "TYPE", "DOMAIN", "FUNCTION", "PROCEDURE", "EXTENSION",
            "SCHEMA", "ROLE", "USER", "GROUP", "POLICY", "OPERATOR", "COLLATION", "CAST", "EVENT", "PUBLICATION",
            "SUBSCRIPTION", "STATISTICS", "RULE", "TEXT", "SERVER", "DATABASE", "TABLESPACE", "LANGUAGE", "CONVERSION",
            "ACCESS", "TRANSFORM", "SYNONYM", "DEFAULT", "LARGE", "SYSTEM", "ROUTINE", "OWNED", "PRIVILEGES"};

    private final SqlFlavor flavor;

    Classifier(SqlFlavor flavor) {
        this.flavor = flavor;
    }

    void classify(Stmt s) {
        Tokens t = s.tokens;
        if (t.size() == 0) {
            // a MySQL executable comment /*! ... */ is all there is: the server runs it, lint cannot read it
            s.kind = Stmt.Kind.UNKNOWN;
            s.unverified("a MySQL executable comment (/*! ... */) runs SQL that lint does not read", null);
            return;
        }
        try {
            dispatch(s, t);
        } catch (RuntimeException e) {
            s.kind = Stmt.Kind.UNKNOWN;
            s.unverified("lint could not read it (" + e.getClass().getSimpleName() + ")", t.here());
        }
        if (s.kind == Stmt.Kind.UNKNOWN && s.unverified == null) {
            s.unverified("'" + s.first().text() + "' statements are not among those lint knows", s.first());
        }
    }

    private void dispatch(Stmt s, Tokens t) {
        String first = t.peek().upper();
        switch (first) {
            case "CREATE" -> create(s, t);
            case "ALTER" -> new AlterTableParser(flavor).alter(s, t);
            case "DROP" -> drop(s, t);
            case "TRUNCATE" -> truncate(s, t);
            case "RENAME" -> renameTables(s, t);
            case "UPDATE", "DELETE", "INSERT", "REPLACE", "MERGE", "COPY", "UPSERT" -> Dml.classify(s, t, flavor);
            case "WITH" -> with(s, t);
            case "SELECT", "VALUES", "TABLE", "SHOW", "EXPLAIN", "DESCRIBE", "DESC" -> {
                s.kind = Stmt.Kind.SELECT;
                s.label = first;
            }
            case "BEGIN", "START", "COMMIT", "END", "ROLLBACK", "ABORT", "SAVEPOINT", "RELEASE" -> OtherStatements.transaction(s, t);
            case "PREPARE" -> {
                if (t.wordAt(1, "TRANSACTION")) {
                    OtherStatements.transaction(s, t);
                } else {
                    other(s, "PREPARE");
                }
            }
            case "SET", "RESET" -> OtherStatements.set(s, t);
            case "DO" -> {
                if (flavor == SqlFlavor.POSTGRES) {
                    codeBlock(s, "DO", "a DO block runs procedural code that lint does not read");
                } else {
                    other(s, "DO");
                }
            }
            case "CALL", "EXECUTE", "EXEC" -> codeBlock(s, first, "CALL and EXECUTE run code that lint does not read");
            case "VACUUM" -> OtherStatements.vacuum(s, t);
            case "ANALYZE", "ANALYSE" -> {
                s.kind = Stmt.Kind.ANALYZE;
                s.label = "ANALYZE";
            }
            case "CLUSTER" -> OtherStatements.cluster(s, t);
            case "REINDEX" -> OtherStatements.reindex(s, t);
            case "REFRESH" -> OtherStatements.refresh(s, t);
            case "LOCK" -> OtherStatements.lock(s, t, flavor);
            case "COMMENT" -> {
                s.kind = Stmt.Kind.COMMENT;
                s.label = "COMMENT";
            }
            case "GRANT", "REVOKE" -> {
                s.kind = Stmt.Kind.GRANT;
                s.label = first;
            }
            case "PRAGMA", "USE", "FLUSH", "LISTEN", "NOTIFY", "UNLISTEN", "DISCARD", "CHECKPOINT", "LOAD", "SECURITY",
                 "REASSIGN", "DEALLOCATE", "UNLOCK", "OPTIMIZE", "CHECK", "CHECKSUM", "REPAIR", "IMPORT", "INSTALL",
                 "UNINSTALL", "KILL", "PURGE", "RESET_MASTER", "XA", "HANDLER", "DECLARE", "FETCH", "CLOSE", "MOVE" -> other(s, first);
            default -> s.kind = Stmt.Kind.UNKNOWN;
        }
    }

    private static void other(Stmt s, String label) {
        s.kind = Stmt.Kind.OTHER;
        s.label = label;
    }

    static void codeBlock(Stmt s, String label, String why) {
        s.kind = Stmt.Kind.CODE_BLOCK;
        s.label = label;
        s.unverified(why, s.first());
    }

    private void create(Stmt s, Tokens t) {
        t.accept("CREATE");
        while (true) {
            if (t.isWord("UNIQUE")) {
                s.unique = true;
                t.next();
            } else if (t.isWord("DEFINER") || t.isWord("ALGORITHM")) {
                skipAssignment(t);
            } else if (t.isWord(CREATE_MODIFIERS) && !(t.isWord("DEFAULT"))) {
                t.next();
            } else {
                break;
            }
        }
        String object = t.peek() == null ? "" : t.peek().upper();
        switch (object) {
            case "TABLE" -> {
                t.next();
                CreateTable.parse(s, t);
            }
            case "INDEX" -> {
                t.next();
                createIndex(s, t);
            }
            case "VIEW" -> {
                t.next();
                s.kind = Stmt.Kind.CREATE_VIEW;
                s.label = t.containsWord(0, 4, "MATERIALIZED") ? "CREATE MATERIALIZED VIEW" : "CREATE VIEW";
                t.accept("IF", "NOT", "EXISTS");
                s.target = t.name();
            }
            case "TRIGGER" -> {
                s.kind = Stmt.Kind.CREATE_TRIGGER;
                s.label = "CREATE TRIGGER";
                int on = t.findTopLevel(t.pos(), t.size(), "ON");
                if (on >= 0) {
                    t.seek(on + 1);
                    s.target = t.name();
                }
            }
            default -> {
                if (t.isWord(OTHER_OBJECTS)) {
                    s.kind = Stmt.Kind.CREATE_OTHER;
                    s.label = "CREATE " + object;
                    t.next();
                    t.accept("IF", "NOT", "EXISTS");
                    s.target = t.name();
                    if (object.equals("DATABASE")) {
                        s.notInTransaction = "CREATE DATABASE cannot run inside a transaction block";
                    }
                } else {
                    s.kind = Stmt.Kind.UNKNOWN;
                }
            }
        }
    }

    /** {@code DEFINER = user@host} or {@code ALGORITHM = MERGE} before the object word of a MySQL CREATE. */
    private static void skipAssignment(Tokens t) {
        t.next();
        if (t.acceptSymbol('=')) {
            t.next();
            if (t.acceptSymbol('@')) {
                t.next();
            }
            if (t.isSymbol('(')) {
                t.skipParens();
            }
        }
    }

    private void createIndex(Stmt s, Tokens t) {
        s.kind = Stmt.Kind.CREATE_INDEX;
        s.label = s.unique ? "CREATE UNIQUE INDEX" : "CREATE INDEX";
        s.concurrently = t.accept("CONCURRENTLY");
        t.accept("IF", "NOT", "EXISTS");
        if (!t.isWord("ON")) {
            s.target = t.name();
        }
        int on = t.findTopLevel(t.pos(), t.size(), "ON");
        if (on < 0) {
            s.kind = Stmt.Kind.UNKNOWN;
            s.unverified("CREATE INDEX without ON <table>", t.here());
            return;
        }
        t.seek(on + 1);
        t.accept("ONLY");
        s.onTable = t.name();
        mysqlOptions(s, t, t.pos());
    }

    /** Reads MySQL {@code ALGORITHM [=] x} and {@code LOCK [=] x} anywhere at the top level after {@code from}. */
    static void mysqlOptions(Stmt s, Tokens t, int from) {
        for (int i = from; i < t.size(); i++) {
            if (t.wordAt(i, "ALGORITHM", "LOCK")) {
                int v = t.symbolAt(i + 1, '=') ? i + 2 : i + 1;
                SqlToken value = t.get(v);
                if (value != null && value.type() == SqlToken.Type.WORD) {
                    if (t.wordAt(i, "ALGORITHM")) {
                        s.algorithm = value.upper();
                    } else {
                        s.lockOption = value.upper();
                    }
                }
            }
        }
    }

    private void drop(Stmt s, Tokens t) {
        t.accept("DROP");
        t.accept("TEMPORARY");
        String object = t.peek() == null ? "" : t.peek().upper();
        switch (object) {
            case "TABLE", "VIEW" -> {
                t.next();
                s.kind = Stmt.Kind.DROP_RELATION;
                s.label = "DROP " + object;
                names(s, t);
            }
            case "MATERIALIZED" -> {
                t.next();
                t.accept("VIEW");
                s.kind = Stmt.Kind.DROP_RELATION;
                s.label = "DROP MATERIALIZED VIEW";
                names(s, t);
            }
            case "INDEX" -> {
                t.next();
                s.kind = Stmt.Kind.DROP_INDEX;
                s.label = "DROP INDEX";
                s.concurrently = t.accept("CONCURRENTLY");
                names(s, t);
                int on = t.findTopLevel(0, t.size(), "ON");
                if (on >= 0) {
                    t.seek(on + 1);
                    s.onTable = t.name();
                    mysqlOptions(s, t, t.pos());
                }
            }
            case "SCHEMA", "DATABASE" -> {
                t.next();
                s.kind = Stmt.Kind.DROP_SCHEMA;
                s.label = "DROP " + object;
                names(s, t);
                if (object.equals("DATABASE")) {
                    s.notInTransaction = "DROP DATABASE cannot run inside a transaction block";
                }
            }
            default -> {
                if (t.isWord(OTHER_OBJECTS) || t.isWord("TRIGGER", "OWNED", "ROUTINE")) {
                    s.kind = Stmt.Kind.DROP_OTHER;
                    s.label = "DROP " + object;
                    t.next();
                    if (object.equals("TRIGGER")) {
                        int on = t.findTopLevel(t.pos(), t.size(), "ON");
                        if (on >= 0) {
                            t.seek(on + 1);
                            s.target = t.name();
                        }
                    }
                } else {
                    s.kind = Stmt.Kind.UNKNOWN;
                }
            }
        }
    }

    /** {@code [IF EXISTS] name [, name ...]} into {@link Stmt#targets}; the first also becomes the target. */
    static void names(Stmt s, Tokens t) {
        t.accept("IF", "EXISTS");
        while (true) {
            t.accept("ONLY");
            Name n = t.name();
            if (n == null) {
                break;
            }
            s.targets.add(n);
            t.acceptSymbol('*');
            t.skipParens();
            if (!t.acceptSymbol(',')) {
                break;
            }
        }
        if (!s.targets.isEmpty()) {
            s.target = s.targets.get(0);
        }
    }

    private void truncate(Stmt s, Tokens t) {
        t.accept("TRUNCATE");
        t.accept("TABLE");
        s.kind = Stmt.Kind.TRUNCATE;
        s.label = "TRUNCATE";
        names(s, t);
    }

    /** MySQL {@code RENAME TABLE a TO b [, c TO d]}: targets hold old and new names in turn. */
    private void renameTables(Stmt s, Tokens t) {
        t.accept("RENAME");
        if (!t.accept("TABLE") && !t.accept("TABLES")) {
            s.kind = Stmt.Kind.UNKNOWN;
            return;
        }
        s.kind = Stmt.Kind.RENAME_TABLE;
        s.label = "RENAME TABLE";
        do {
            Name from = t.name();
            if (from == null || !t.accept("TO")) {
                s.unverified("RENAME TABLE without 'a TO b'", t.here());
                return;
            }
            s.targets.add(from);
            s.targets.add(t.name());
        } while (t.acceptSymbol(','));
        s.target = s.targets.get(0);
    }

    /** {@code WITH name AS (...) [, ...]} followed by the statement that uses them. */
    private void with(Stmt s, Tokens t) {
        t.accept("WITH");
        t.accept("RECURSIVE");
        boolean writes = false;
        while (t.name() != null) {
            t.skipParens();
            if (!t.accept("AS")) {
                break;
            }
            t.accept("NOT");
            t.accept("MATERIALIZED");
            if (t.isSymbol('(')) {
                writes |= t.wordAt(t.pos() + 1, "INSERT", "UPDATE", "DELETE", "MERGE");
                t.skipParens();
            }
            if (!t.acceptSymbol(',')) {
                break;
            }
        }
        if (t.atEnd()) {
            s.kind = Stmt.Kind.UNKNOWN;
            return;
        }
        int start = t.pos();
        String main = t.peek().upper();
        if (main.equals("SELECT") || main.equals("VALUES") || main.equals("TABLE")) {
            s.kind = writes ? Stmt.Kind.UPDATE : Stmt.Kind.SELECT;
            s.label = writes ? "WITH ... (data-modifying)" : "SELECT";
            s.bulk = writes;
            s.filtered = writes;
            if (writes) {
                s.unverified("a data-modifying WITH query changes tables lint does not follow", t.get(start));
            }
            return;
        }
        Dml.classifyAt(s, t, start, flavor);
    }
}
