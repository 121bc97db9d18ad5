package dev.switchback.migration.lint;

import dev.switchback.migration.sql.SqlToken;

/**
 * Rules about the migration as a unit: statements that cannot run in its transaction, transaction control inside
 * it, data changes that hold locks too long, and DDL without a lock timeout.
 */
final class TransactionChecks implements Check {

    @Override
    public void check(Stmt s, Scope sc, Effect effect, Findings out) {
        concurrently(s, sc, out);
        if (s.kind == Stmt.Kind.TRANSACTION && sc.transactional && !s.word.equals("SAVEPOINT")
                && !s.word.equals("RELEASE") && !s.word.equals("ROLLBACK TO SAVEPOINT")) {
            out.add(Rule.TRANSACTION_CONTROL, s, s.first(), s.word + " inside a migration that Switchback runs as one "
                    + "transaction: " + (s.word.equals("BEGIN") || s.word.startsWith("START") ? "it nests (a warning) or fails"
                    : "it ends Switchback's transaction early, so the history row and the rest of the migration are no longer atomic"));
        }
        backfill(s, sc, effect, out);
        lockTimeout(s, sc, effect, out);
    }

    private static void concurrently(Stmt s, Scope sc, Findings out) {
        if (!sc.transactional || sc.mysql()) {
            return;
        }
        String why = s.notInTransaction;
        if (why == null && s.concurrently && (s.kind == Stmt.Kind.CREATE_INDEX || s.kind == Stmt.Kind.DROP_INDEX)) {
            why = s.label.replace("INDEX", "INDEX CONCURRENTLY") + " cannot run inside a transaction block";
        }
        if (why == null && sc.postgres() && "ADD VALUE".equals(s.word) && s.kind == Stmt.Kind.ALTER_TYPE && sc.pgVersion < 12) {
            why = "ALTER TYPE ... ADD VALUE cannot run inside a transaction block before PostgreSQL 12";
        }
        if (why != null && (sc.postgres() || s.kind == Stmt.Kind.VACUUM)) {
            out.add(Rule.CONCURRENTLY_IN_TRANSACTION, s, s.first(), why + ", and this migration runs in one, so it fails",
                    "put it alone in a migration whose first line is -- switchback:no-transaction");
        }
    }

    private static void backfill(Stmt s, Scope sc, Effect effect, Findings out) {
        boolean existingTarget = sc.isExisting(s.target);
        boolean reported = false;
        if ((s.kind == Stmt.Kind.UPDATE || s.kind == Stmt.Kind.DELETE) && !s.filtered && existingTarget && !sc.sqlite()) {
            out.add(Rule.UNBATCHED_BACKFILL, s, s.first(), s.label + " of every row of " + s.target.display()
                    + " in one statement: it locks each row it changes until the migration commits, and bloats the table");
            reported = true;
        }
        if (!sc.transactional || !sc.postgres() || sc.mixReported) {
            return;
        }
        boolean dataChange = s.isDataChange() && s.bulk && existingTarget;
        boolean blockingDdl = s.isDdl() && effect.maxLock().blocksWrites();
        Stmt other = dataChange ? sc.firstExistingDdl : blockingDdl ? sc.firstDataChange : null;
        if (other != null && !reported) {
            Stmt ddl = dataChange ? other : s;
            Stmt data = dataChange ? s : other;
            out.add(Rule.UNBATCHED_BACKFILL, s, s.first(), data.label + " " + data.target.display() + " (line "
                    + data.statement.line() + ") and " + ddl.label + " (line " + ddl.statement.line()
                    + ") run in one transaction: the DDL's locks are held until the data change has finished",
                    "put the data change in a migration of its own, in batches, after the schema change");
            sc.mixReported = true;
        }
    }

    private static void lockTimeout(Stmt s, Scope sc, Effect effect, Findings out) {
        if (sc.engineLockTimeout || sc.lockTimeoutSet || sc.lockTimeoutReported || !(sc.postgres() || sc.mysql())) {
            return;
        }
        boolean waits = sc.postgres() ? effect.maxLock().blocksWrites() && !effect.locks().isEmpty()
                : s.isDdl() && (sc.isExisting(s.target) || sc.isExisting(s.onTable));
        if (waits) {
            out.add(Rule.MISSING_LOCK_TIMEOUT, s, s.first(), s.label + " waits for its lock on " + (s.onTable != null ? s.onTable
                    : s.target) + " without a timeout (migrations.statementLockTimeout is 0): while it waits, every query "
                    + "on the table queues behind it",
                    sc.postgres() ? "set migrations.statementLockTimeout (e.g. 5s), or start the migration with SET lock_timeout = '5s'"
                            : "set migrations.statementLockTimeout (e.g. 5s), or start the migration with SET SESSION lock_wait_timeout = 5");
            sc.lockTimeoutReported = true;
        }
    }

    /** Whether the statement sets a lock timeout for the rest of the migration. */
    static boolean setsLockTimeout(Stmt s) {
        if (s.kind == Stmt.Kind.SET && ("lock_timeout".equals(s.word) || "lock_wait_timeout".equals(s.word))) {
            return s.value != null && !s.value.strip().matches("0+(ms|s)?|DEFAULT|default");
        }
        if (s.kind == Stmt.Kind.SELECT) {
            for (int i = 0; i < s.tokens.size(); i++) {
                SqlToken t = s.tokens.get(i);
                if (t.isWord("set_config") && s.tokens.symbolAt(i + 1, '(') && s.tokens.get(i + 2) != null
                        && s.tokens.get(i + 2).text().equalsIgnoreCase("'lock_timeout'")) {
                    return true;
                }
            }
        }
        return false;
    }
}
