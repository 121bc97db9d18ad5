package dev.switchback.migration.lint;

import dev.switchback.migration.sql.SqlFlavor;
import dev.switchback.migration.sql.SqlToken;

import java.util.Locale;

/** Transaction control, SET, and the maintenance statements: VACUUM, CLUSTER, REINDEX, REFRESH, LOCK. */
final class OtherStatements {
    private OtherStatements() {
    }

    static void transaction(Stmt s, Tokens t) {
        String verb = t.next().upper();
        if (verb.equals("BEGIN") && t.isWord("NOT")) {
            Classifier.codeBlock(s, "BEGIN NOT ATOMIC", "a compound statement (BEGIN NOT ATOMIC ... END) runs code that lint does not read");
            return;
        }
        if (verb.equals("ROLLBACK") && (t.isWord("TO") || t.wordAt(t.pos() + 1, "TO"))) {
            verb = "ROLLBACK TO SAVEPOINT";
        } else if (verb.equals("START") || verb.equals("PREPARE")) {
            verb = verb + " TRANSACTION";
        } else if (verb.equals("COMMIT") && t.isWord("PREPARED")) {
            verb = "COMMIT PREPARED";
        }
        s.kind = Stmt.Kind.TRANSACTION;
        s.label = verb;
        s.word = verb;
    }

    static void set(Stmt s, Tokens t) {
        s.kind = Stmt.Kind.SET;
        s.label = t.next().upper();
        t.acceptAny("SESSION", "LOCAL", "GLOBAL", "PERSIST", "PERSIST_ONLY");
        // MySQL also names session variables as @@session.lock_wait_timeout
        t.acceptSymbol('@');
        t.acceptSymbol('@');
        if (t.isWord("SESSION", "GLOBAL", "LOCAL") && t.symbolAt(t.pos() + 1, '.')) {
            t.next();
            t.next();
        }
        String name = t.simpleName();
        s.word = name == null ? "" : name.toLowerCase(Locale.ROOT);
        if (t.acceptSymbol('=') || t.accept("TO")) {
            int from = t.pos();
            int to = from;
            while (to < t.size() && !t.symbolAt(to, ',')) {
                to++;
            }
            s.value = unquote(t.text(from, to));
        }
    }

    private static String unquote(String v) {
        String x = v.strip();
        if (x.length() >= 2 && (x.charAt(0) == '\'' || x.charAt(0) == '"') && x.charAt(x.length() - 1) == x.charAt(0)) {
            return x.substring(1, x.length() - 1);
        }
        return x;
    }

    static void vacuum(Stmt s, Tokens t) {
        t.accept("VACUUM");
        s.kind = Stmt.Kind.VACUUM;
        s.label = "VACUUM";
        s.notInTransaction = "VACUUM cannot run inside a transaction block";
        while (t.isWord("FULL", "FREEZE", "VERBOSE", "ANALYZE", "ANALYSE") || t.isSymbol('(')) {
            if (t.isSymbol('(')) {
                int close = t.closing(t.pos());
                for (int i = t.pos() + 1; i < close; i++) {
                    if (t.wordAt(i, "FULL") && !t.wordAt(i + 1, "FALSE", "OFF") && !"0".equals(text(t, i + 1))) {
                        s.full = true;
                    }
                }
                t.seek(close + 1);
            } else {
                s.full |= t.next().isWord("FULL");
            }
        }
        if (s.full) {
            s.label = "VACUUM FULL";
        }
        s.target = t.name();
    }

    private static String text(Tokens t, int i) {
        SqlToken k = t.get(i);
        return k == null ? null : k.text();
    }

    static void cluster(Stmt s, Tokens t) {
        t.accept("CLUSTER");
        t.accept("VERBOSE");
        t.skipParens();
        s.kind = Stmt.Kind.CLUSTER;
        s.label = "CLUSTER";
        s.target = t.name();
        if (s.target == null) {
            s.notInTransaction = "CLUSTER without a table cannot run inside a transaction block";
        }
    }

    static void reindex(Stmt s, Tokens t) {
        t.accept("REINDEX");
        t.skipParens();
        s.kind = Stmt.Kind.REINDEX;
        s.word = t.acceptAny("INDEX", "TABLE", "SCHEMA", "DATABASE", "SYSTEM");
        s.concurrently = t.accept("CONCURRENTLY");
        s.label = "REINDEX" + (s.word == null ? "" : " " + s.word) + (s.concurrently ? " CONCURRENTLY" : "");
        s.target = t.name();
        if (s.concurrently) {
            s.notInTransaction = "REINDEX CONCURRENTLY cannot run inside a transaction block";
        } else if (s.word != null && !s.word.equals("INDEX") && !s.word.equals("TABLE")) {
            s.notInTransaction = "REINDEX " + s.word + " cannot run inside a transaction block";
        }
    }

    static void refresh(Stmt s, Tokens t) {
        if (!t.accept("REFRESH", "MATERIALIZED", "VIEW")) {
            s.kind = Stmt.Kind.UNKNOWN;
            return;
        }
        s.kind = Stmt.Kind.REFRESH;
        s.concurrently = t.accept("CONCURRENTLY");
        s.label = "REFRESH MATERIALIZED VIEW" + (s.concurrently ? " CONCURRENTLY" : "");
        s.target = t.name();
    }

    static void lock(Stmt s, Tokens t, SqlFlavor flavor) {
        t.accept("LOCK");
        s.kind = Stmt.Kind.LOCK;
        s.label = "LOCK TABLE";
        if (t.accept("TABLES") || flavor == SqlFlavor.MYSQL) {
            t.accept("TABLE");
            s.target = t.name();
            s.word = "MYSQL";
            return;
        }
        t.accept("TABLE");
        Classifier.names(s, t);
        s.word = "ACCESS EXCLUSIVE";
        int in = t.findTopLevel(t.pos(), t.size(), "IN");
        int mode = t.findTopLevel(t.pos(), t.size(), "MODE");
        if (in >= 0 && mode > in) {
            s.word = t.text(in + 1, mode).toUpperCase(Locale.ROOT);
        }
    }
}
