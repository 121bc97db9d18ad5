package dev.switchback.migration.lint;

import java.util.List;

/**
 * What a rehearsal observed on a real PostgreSQL or MariaDB, next to what lint expected.
 *
 * @param server         the product and version of the scratch server, "PostgreSQL 15.4", "MariaDB 10.11.6"
 * @param scratch        the database it ran in
 * @param scratchDropped whether that database was created for the rehearsal and has been dropped
 * @param serverVersion  major version of the scratch server
 * @param lint           the static report of the same migrations, judged as the rehearsal saw them
 * @param migrations     one entry per pending migration, in order
 * @param totalMs        wall time including the schema copy
 */
public record RehearsalReport(String server, String scratch, boolean scratchDropped, int serverVersion, LintReport lint,
                              List<Migration> migrations, long totalMs) {

    public RehearsalReport {
        migrations = List.copyOf(migrations);
    }

    /**
     * One migration's rehearsal.
     *
     * @param rehearsed  false for migrations that run outside a transaction (they cannot be rolled back)
     * @param note       why it was not rehearsed, or the error that stopped it; null when it ran through
     * @param ms         time from BEGIN to ROLLBACK, observation queries included
     * @param statements the statements that ran
     */
    public record Migration(String script, boolean rehearsed, String note, long ms, List<Statement> statements) {
        public Migration {
            statements = List.copyOf(statements);
        }

        public boolean failed() {
            return statements.stream().anyMatch(s -> s.error() != null);
        }
    }

    /**
     * One statement as it ran.
     *
     * @param locks         locks it took on relations that existed before the migration
     * @param alreadyHeld   locks lint expected that an earlier statement of the migration already held
     * @param rewritten     relations that got new storage (a new relfilenode): rewritten tables, rebuilt indexes
     * @param findings      rule ids lint reported for this statement
     * @param disagreements where lint's expectation and the observation differ; empty when they agree
     * @param error         the database's error, when the statement failed
     * @param probe         MariaDB: which algorithm the server accepted; null on PostgreSQL
     */
    public record Statement(int number, int line, String sql, List<RelationLock> locks, List<RelationLock> alreadyHeld,
                            List<String> rewritten, boolean tableRewritten, List<String> findings, List<String> disagreements,
                            String error, long ms, AlterProbe probe) {
        public Statement {
            locks = List.copyOf(locks);
            alreadyHeld = List.copyOf(alreadyHeld);
            rewritten = List.copyOf(rewritten);
            findings = List.copyOf(findings);
            disagreements = List.copyOf(disagreements);
        }

        /** What was observed, in words: the locks that block something, new storage, and where lint differs. */
        public String observed() {
            if (error != null) {
                return "failed: " + error;
            }
            List<String> parts = new java.util.ArrayList<>();
            if (probe != null) {
                parts.add(probe.describe());
            }
            List<String> blocking = locks.stream().filter(l -> !l.mode().equals("AccessShareLock") && !l.mode().equals("RowShareLock"))
                    .map(RelationLock::toString).toList();
            if (probe == null) {
                parts.add(blocking.isEmpty() ? "no new locks" : String.join(", ", blocking));
            }
            if (!alreadyHeld.isEmpty()) {
                parts.add("already held: " + String.join(", ", alreadyHeld.stream().map(RelationLock::toString).toList()));
            }
            if (!rewritten.isEmpty()) {
                parts.add("new storage: " + String.join(", ", rewritten));
            }
            String text = String.join("; ", parts);
            return disagreements.isEmpty() ? text : text + ". Differs from lint: " + String.join("; ", disagreements);
        }
    }

    /**
     * What MariaDB answered for one statement.
     *
     * @param verdict the least-blocking algorithm it accepted, BLOCKING when it refused both, or UNTESTED
     * @param detail  BLOCKING: the server's reason; UNTESTED: why the statement was run only as written
     */
    public record AlterProbe(Verdict verdict, String detail) {
        public enum Verdict {
            /** Accepted with ALGORITHM=INSTANT appended: a metadata change. */
            INSTANT,
            /** Refused INSTANT, accepted ALGORITHM=INPLACE, LOCK=NONE: writes go on while it works. */
            INPLACE,
            /** Refused INPLACE with LOCK=NONE: as written it copies the table or locks writes. */
            BLOCKING,
            /** Run only as written. */
            UNTESTED
        }

        public boolean online() {
            return verdict == Verdict.INSTANT || verdict == Verdict.INPLACE;
        }

        /** The clause the server accepted, or null. */
        String clause() {
            return switch (verdict) {
                case INSTANT -> "ALGORITHM=INSTANT";
                case INPLACE -> "ALGORITHM=INPLACE, LOCK=NONE";
                default -> null;
            };
        }

        String describe() {
            return switch (verdict) {
                case INSTANT, INPLACE -> "online: MariaDB ran it with " + clause();
                case BLOCKING -> "blocks writes: MariaDB refused ALGORITHM=INPLACE, LOCK=NONE (" + detail + ")";
                case UNTESTED -> "ran as written (" + detail + ")";
            };
        }
    }

    /** Statements where lint and the observation disagree. */
    public long disagreements() {
        return migrations.stream().flatMap(m -> m.statements().stream()).filter(s -> !s.disagreements().isEmpty()).count();
    }

    public boolean failed() {
        return migrations.stream().anyMatch(Migration::failed);
    }
}
