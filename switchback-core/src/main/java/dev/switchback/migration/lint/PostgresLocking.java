package dev.switchback.migration.lint;

/** The PostgreSQL rules about statements that block traffic on an existing table while they run. */
final class PostgresLocking implements Check {

    @Override
    public void check(Stmt s, Scope sc, Effect effect, Findings out) {
        if (!sc.postgres()) {
            return;
        }
        switch (s.kind) {
            case CREATE_INDEX -> {
                if (!s.concurrently && sc.isExisting(s.onTable)) {
                    String index = s.target == null ? "" : s.target.display() + " ";
                    out.add(Rule.CREATE_INDEX_BLOCKING, s, s.first(), "CREATE INDEX " + index + "on " + s.onTable.display()
                            + " takes a ShareLock: writes to " + s.onTable.display() + " wait until the whole index is built",
                            "CREATE " + (s.unique ? "UNIQUE " : "") + "INDEX CONCURRENTLY " + index + "ON " + s.onTable.display()
                                    + " ..., alone in a migration whose first line is -- switchback:no-transaction");
                }
            }
            case DROP_INDEX -> {
                if (!s.concurrently && s.targets.stream().anyMatch(sc::isExisting)) {
                    String table = s.target == null ? null : sc.schema.tableOfIndex(s.target.key());
                    out.add(Rule.DROP_INDEX_BLOCKING, s, s.first(), "DROP INDEX " + s.target.display()
                            + " takes an AccessExclusiveLock on " + (table == null ? "its table" : table)
                            + ": it waits behind running queries, and every query on the table waits behind it");
                }
            }
            case VACUUM, CLUSTER, REINDEX, REFRESH -> maintenance(s, sc, out);
            case ALTER_TABLE -> {
                if (sc.isExisting(s.target)) {
                    for (Action a : s.actions) {
                        alter(s, a, sc, out);
                    }
                }
            }
            default -> {
            }
        }
    }

    private static void maintenance(Stmt s, Scope sc, Findings out) {
        String what = s.target == null ? "every table" : s.target.display();
        switch (s.kind) {
            case VACUUM -> {
                if (s.full && (s.target == null || sc.isExisting(s.target))) {
                    out.add(Rule.TABLE_REWRITE_MAINTENANCE, s, s.first(), "VACUUM FULL rewrites " + what
                            + " under an AccessExclusiveLock: no reads or writes until it finishes",
                            "plain VACUUM (no lock on traffic), or pg_repack outside the migration");
                }
            }
            case CLUSTER -> {
                if (s.target == null || sc.isExisting(s.target)) {
                    out.add(Rule.TABLE_REWRITE_MAINTENANCE, s, s.first(), "CLUSTER rewrites " + what
                            + " under an AccessExclusiveLock: no reads or writes until it finishes",
                            "pg_repack --order-by outside the migration");
                }
            }
            case REINDEX -> {
                if (!s.concurrently && (s.target == null || sc.isExisting(s.target))) {
                    String lock = "INDEX".equals(s.word) ? "an AccessExclusiveLock on the index and a ShareLock on its table"
                            : "TABLE".equals(s.word) ? "a ShareLock on the table and AccessExclusiveLocks on its indexes"
                            : "ShareLocks on the tables and AccessExclusiveLocks on their indexes";
                    out.add(Rule.TABLE_REWRITE_MAINTENANCE, s, s.first(), s.label + " " + what + " rebuilds under " + lock
                                    + ": writes wait, and queries using the indexes wait, until it finishes",
                            "REINDEX " + (s.word == null ? "" : s.word + " ") + "CONCURRENTLY " + what
                                    + " (PostgreSQL 12+) in a migration marked -- switchback:no-transaction");
                }
            }
            case REFRESH -> {
                if (!s.concurrently && sc.isExisting(s.target)) {
                    out.add(Rule.TABLE_REWRITE_MAINTENANCE, s, s.first(), "REFRESH MATERIALIZED VIEW " + what
                                    + " takes an AccessExclusiveLock: reads of " + what + " wait until the query finishes",
                            "REFRESH MATERIALIZED VIEW CONCURRENTLY " + what + " (needs a unique index on it)");
                }
            }
            default -> {
            }
        }
    }

    private static void alter(Stmt s, Action a, Scope sc, Findings out) {
        String table = s.target.display();
        switch (a.type()) {
            case ADD_COLUMN -> addColumn(s, a, sc, out);
            case ALTER_TYPE -> {
                if (sc.isNewColumn(s.target, a.column())) {
                    return;
                }
                Schema.Column current = sc.schema.column(s.target.key(), a.column());
                Judgements.Verdict v = Judgements.typeChange(current, a);
                if (!Boolean.FALSE.equals(v.rewrite())) {
                    out.add(Rule.CHANGE_COLUMN_TYPE, s, a.at(), "ALTER COLUMN " + a.column() + " TYPE " + a.newName() + " on "
                            + table + (Boolean.TRUE.equals(v.rewrite()) ? " rewrites the table and its indexes under an "
                            + "AccessExclusiveLock: " + v.why() : " may rewrite the table under an AccessExclusiveLock: " + v.why()));
                }
            }
            case SET_NOT_NULL -> {
                if (!(sc.pgVersion >= 12 && sc.schema.hasValidNotNullCheck(s.target.key(), a.column()))) {
                    out.add(Rule.SET_NOT_NULL, s, a.at(), "ALTER COLUMN " + a.column() + " SET NOT NULL scans all of " + table
                                    + " under an AccessExclusiveLock: no reads or writes until it finishes",
                            sc.pgVersion >= 12 ? "ADD CONSTRAINT " + a.column() + "_not_null CHECK (" + a.column()
                                    + " IS NOT NULL) NOT VALID; VALIDATE CONSTRAINT it in a later migration; then SET NOT NULL "
                                    + "(PostgreSQL 12+ uses the check and skips the scan) and drop the check"
                                    : "keep a validated CHECK (" + a.column() + " IS NOT NULL) NOT VALID constraint instead: "
                                    + "before PostgreSQL 12, SET NOT NULL always scans");
                }
            }
            case ADD_CONSTRAINT -> constraint(s, a, sc, out);
            case VALIDATE_CONSTRAINT -> {
                if (sc.transactional && sc.addedNotValid.containsKey(a.name())) {
                    Stmt added = sc.addedNotValid.get(a.name());
                    out.add(Rule.VALIDATE_IN_SAME_TRANSACTION, s, a.at(), "VALIDATE CONSTRAINT " + a.name()
                            + " runs in the transaction that added it (line " + added.statement.line() + "), so the lock "
                            + "taken by the ADD is held while every row of " + table + " is checked",
                            "move VALIDATE CONSTRAINT " + a.name() + " to the next migration");
                }
            }
            case DETACH_PARTITION -> {
                if (!a.flag()) {
                    out.add(Rule.DETACH_PARTITION_BLOCKING, s, a.at(), "DETACH PARTITION " + a.name() + " takes an "
                                    + "AccessExclusiveLock on " + table + ": no reads or writes on any partition meanwhile",
                            sc.pgVersion >= 14 ? "DETACH PARTITION " + a.name() + " CONCURRENTLY in a migration marked "
                                    + "-- switchback:no-transaction" : "upgrade to PostgreSQL 14+ for DETACH PARTITION ... CONCURRENTLY, "
                                    + "or detach in a maintenance window");
                }
            }
            case REWRITE -> out.add(Rule.TABLE_REWRITE_MAINTENANCE, s, a.at(), s.tokens.text(indexOf(s, a),
                    Math.min(s.tokens.size(), indexOf(s, a) + 3)) + " rewrites " + table + " under an AccessExclusiveLock",
                    "do it in a maintenance window, or with pg_repack, outside the migration");
            default -> {
            }
        }
    }

    private static int indexOf(Stmt s, Action a) {
        for (int i = 0; i < s.tokens.size(); i++) {
            if (s.tokens.get(i) == a.at()) {
                return i;
            }
        }
        return 0;
    }

    private static void addColumn(Stmt s, Action a, Scope sc, Findings out) {
        ColumnDef c = a.def();
        String table = s.target.display();
        Judgements.Verdict v = Judgements.addColumn(c, sc.pgVersion);
        if (!Boolean.FALSE.equals(v.rewrite())) {
            String type = c.type().replaceFirst("^(big|small)?serial[248]?$", "bigint");
            String fix = c.identity() ? "ADD COLUMN " + c.name() + " " + type + " with no default; give new rows values from a "
                    + "sequence (SET DEFAULT nextval(...)); backfill existing rows in batches"
                    : c.storedGenerated() ? "ADD COLUMN " + c.name() + " " + type + " as a plain column; fill it from the "
                    + "application or a trigger for new rows, backfill existing rows in batches"
                    : "ADD COLUMN " + c.name() + " " + type + " without the default; SET DEFAULT afterwards (new rows only); "
                    + "backfill existing rows in batches";
            out.add(Rule.ADD_COLUMN_REWRITE, s, a.at(), "ADD COLUMN " + c.name() + " on " + table
                    + (Boolean.TRUE.equals(v.rewrite()) ? " rewrites the table" : " may rewrite the table")
                    + " under an AccessExclusiveLock: " + v.why(), fix);
        }
        if (c.unique() || c.primaryKey()) {
            out.add(Rule.UNIQUE_CONSTRAINT_BLOCKING, s, a.at(), "ADD COLUMN " + c.name() + " " + (c.primaryKey() ? "PRIMARY KEY" : "UNIQUE")
                            + " builds a unique index on " + table + " under an AccessExclusiveLock",
                    "add the column plain; CREATE UNIQUE INDEX CONCURRENTLY (no-transaction migration); then ADD CONSTRAINT ... "
                            + (c.primaryKey() ? "PRIMARY KEY" : "UNIQUE") + " USING INDEX");
        }
        if (c.check() || c.references() != null) {
            boolean fk = c.references() != null;
            out.add(Rule.CONSTRAINT_NOT_VALID_MISSING, s, a.at(), "ADD COLUMN " + c.name() + " with an inline "
                            + (fk ? "REFERENCES " + c.references().display() : "CHECK") + " checks every row of " + table
                            + " while holding " + (fk ? "ShareRowExclusiveLocks on both tables (writes wait)"
                            : "an AccessExclusiveLock (reads and writes wait)"),
                    "add the column without the constraint, then ADD CONSTRAINT ... " + (fk ? "FOREIGN KEY" : "CHECK")
                            + " ... NOT VALID, and VALIDATE CONSTRAINT in a later migration");
        }
    }

    private static void constraint(Stmt s, Action a, Scope sc, Findings out) {
        ConstraintDef c = a.constraint();
        String table = s.target.display();
        String name = c.name() == null ? "" : c.name() + " ";
        switch (c.kind()) {
            case CHECK, FOREIGN_KEY -> {
                if (!c.notValid()) {
                    boolean fk = c.kind() == ConstraintDef.Kind.FOREIGN_KEY;
                    out.add(Rule.CONSTRAINT_NOT_VALID_MISSING, s, a.at(), "ADD CONSTRAINT " + name + (fk ? "FOREIGN KEY" : "CHECK")
                                    + " checks every row of " + table + " while holding " + (fk ? "ShareRowExclusiveLocks on "
                                    + table + (c.references() == null ? "" : " and " + c.references().display())
                                    + " (writes wait)" : "an AccessExclusiveLock (reads and writes wait)"),
                            "ADD CONSTRAINT " + (c.name() == null ? "<name> " : name) + "... NOT VALID here; VALIDATE CONSTRAINT "
                                    + (c.name() == null ? "<name>" : c.name()) + " in a later migration (it does not block writes)");
                }
            }
            case UNIQUE, PRIMARY_KEY -> {
                if (!c.usingIndex()) {
                    String kind = c.kind() == ConstraintDef.Kind.UNIQUE ? "UNIQUE" : "PRIMARY KEY";
                    out.add(Rule.UNIQUE_CONSTRAINT_BLOCKING, s, a.at(), "ADD " + (c.name() == null ? "" : "CONSTRAINT " + name) + kind
                                    + " builds a unique index on " + table + " under an AccessExclusiveLock: no reads or writes meanwhile",
                            "CREATE UNIQUE INDEX CONCURRENTLY " + (c.name() == null ? "<index>" : c.name()) + " ON " + table
                                    + " (...) in a no-transaction migration, then ADD CONSTRAINT "
                                    + (c.name() == null ? "<name> " : name) + kind + " USING INDEX " + (c.name() == null ? "<index>" : c.name()));
                }
            }
            case EXCLUDE -> out.add(Rule.EXCLUSION_CONSTRAINT, s, a.at(), "ADD " + (c.name() == null ? "" : "CONSTRAINT " + name)
                    + "EXCLUDE builds its index on " + table + " under an AccessExclusiveLock, and has no NOT VALID or "
                    + "USING INDEX form to avoid it");
            default -> {
            }
        }
    }
}
