package dev.switchback.migration.lint;

import java.util.List;

/**
 * What a rehearsal observed on a real PostgreSQL, next to what lint expected.
 *
 * @param scratch        the database it ran in
 * @param scratchDropped whether that database was created for the rehearsal and has been dropped
 * @param serverVersion  PostgreSQL major version of the scratch server
 * @param lint           the static report of the same migrations, judged as the rehearsal saw them
 * @param migrations     one entry per pending migration, in order
 * @param totalMs        wall time including the schema copy
 */
public record RehearsalReport(String scratch, boolean scratchDropped, int serverVersion, LintReport lint,
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
     */
    public record Statement(int number, int line, String sql, List<RelationLock> locks, List<RelationLock> alreadyHeld,
                            List<String> rewritten, boolean tableRewritten, List<String> findings, List<String> disagreements,
                            String error, long ms) {
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
            List<String> blocking = locks.stream().filter(l -> !l.mode().equals("AccessShareLock") && !l.mode().equals("RowShareLock"))
                    .map(RelationLock::toString).toList();
            parts.add(blocking.isEmpty() ? "no new locks" : String.join(", ", blocking));
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

    /** Statements where lint and the observation disagree. */
    public long disagreements() {
        return migrations.stream().flatMap(m -> m.statements().stream()).filter(s -> !s.disagreements().isEmpty()).count();
    }

    public boolean failed() {
        return migrations.stream().anyMatch(Migration::failed);
    }
}
