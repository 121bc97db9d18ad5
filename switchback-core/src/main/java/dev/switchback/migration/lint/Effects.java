package dev.switchback.migration.lint;

import dev.switchback.migration.sql.SqlFlavor;

/**
 * The locks a statement takes on existing relations and whether it rewrites a table, from PostgreSQL's documented
 * lock levels (confirmed by the rehearsal tests); for MySQL/MariaDB and SQLite, the behaviour in words.
 */
final class Effects {
    private Effects() {
    }

    static Effect of(Stmt s, Scope sc) {
        Effect e = new Effect();
        if (s.unverified != null && s.kind == Stmt.Kind.UNKNOWN || s.kind == Stmt.Kind.CODE_BLOCK) {
            e.known = false;
            e.rewrite = null;
            return e;
        }
        e.partial = cascades(s);
        if (sc.flavor == SqlFlavor.MYSQL) {
            mysql(s, sc, e);
        } else if (sc.flavor == SqlFlavor.SQLITE) {
            e.text = s.isDdl() || s.isDataChange() ? "database write lock until the migration commits" : "none";
            e.rewrite = s.kind == Stmt.Kind.VACUUM ? Boolean.TRUE : Boolean.FALSE;
        } else {
            postgres(s, sc, e);
        }
        if (s.unverified != null) {
            // part of the statement was not understood: what lint says about it may be incomplete
            e.known = e.known && !e.locks().isEmpty();
            if (Boolean.FALSE.equals(e.rewrite)) {
                e.rewrite = null;
            }
        }
        return e;
    }

    /** DROP/TRUNCATE ... CASCADE reaches objects lint does not follow; ON DELETE CASCADE in a foreign key does not. */
    private static boolean cascades(Stmt s) {
        for (int i = 0; i < s.tokens.size(); i++) {
            if (s.tokens.wordAt(i, "CASCADE") && !s.tokens.wordAt(i - 1, "DELETE", "UPDATE")) {
                return true;
            }
        }
        return false;
    }

    private static void postgres(Stmt s, Scope sc, Effect e) {
        switch (s.kind) {
            case CREATE_TABLE -> {
                for (ColumnDef c : s.columns) {
                    lockIfExisting(e, sc, c.references(), PgLock.SHARE_ROW_EXCLUSIVE);
                }
                for (ConstraintDef c : s.constraints) {
                    lockIfExisting(e, sc, c.references(), PgLock.SHARE_ROW_EXCLUSIVE);
                }
                lockIfExisting(e, sc, s.onTable, PgLock.ACCESS_EXCLUSIVE);
            }
            case CREATE_INDEX -> {
                lockIfExisting(e, sc, s.onTable, s.concurrently ? PgLock.SHARE_UPDATE_EXCLUSIVE : PgLock.SHARE);
                e.longer("while the index builds");
            }
            case CREATE_TRIGGER -> lockIfExisting(e, sc, s.target, PgLock.SHARE_ROW_EXCLUSIVE);
            case DROP_INDEX -> {
                PgLock lock = s.concurrently ? PgLock.SHARE_UPDATE_EXCLUSIVE : PgLock.ACCESS_EXCLUSIVE;
                for (Name index : s.targets) {
                    lockIfExisting(e, sc, index, lock);
                    String table = sc.schema.tableOfIndex(index.key());
                    if (table != null) {
                        lockIfExisting(e, sc, Name.of(table), lock);
                    }
                }
            }
            case DROP_RELATION -> s.targets.forEach(n -> lockIfExisting(e, sc, n, PgLock.ACCESS_EXCLUSIVE));
            case TRUNCATE -> {
                s.targets.forEach(n -> lockIfExisting(e, sc, n, PgLock.ACCESS_EXCLUSIVE));
                // TRUNCATE gives the table new, empty storage: a new relfilenode, as a rewrite does
                e.rewrite(s.targets.stream().anyMatch(sc::isExisting), "briefly");
            }
            case ALTER_TABLE -> {
                if (sc.isExisting(s.target)) {
                    s.actions.forEach(a -> alter(s, a, sc, e));
                }
            }
            case UPDATE, DELETE, INSERT, MERGE, COPY -> {
                lockIfExisting(e, sc, s.target, PgLock.ROW_EXCLUSIVE);
                e.longer("while it runs");
            }
            case ANALYZE -> lockIfExisting(e, sc, s.target, PgLock.SHARE_UPDATE_EXCLUSIVE);
            case VACUUM -> {
                lockIfExisting(e, sc, s.target, s.full ? PgLock.ACCESS_EXCLUSIVE : PgLock.SHARE_UPDATE_EXCLUSIVE);
                e.rewrite(s.full, "while it rewrites the table");
            }
            case CLUSTER -> {
                lockIfExisting(e, sc, s.target, PgLock.ACCESS_EXCLUSIVE);
                e.rewrite(true, "while it rewrites the table");
            }
            case REINDEX -> reindex(s, sc, e);
            case REFRESH -> {
                lockIfExisting(e, sc, s.target, s.concurrently ? PgLock.EXCLUSIVE : PgLock.ACCESS_EXCLUSIVE);
                e.rewrite(!s.concurrently && sc.isExisting(s.target), "while the query runs");
                e.longer("while the query runs");
            }
            case LOCK -> {
                PgLock mode = PgLock.ofSql(s.word);
                if (mode == null) {
                    e.known = false;
                } else {
                    s.targets.forEach(n -> lockIfExisting(e, sc, n, mode));
                    e.longer("until the migration commits");
                }
            }
            case DROP_SCHEMA, ALTER_OTHER, COMMENT -> e.known = false;
            default -> {
                // CREATE VIEW/SEQUENCE/TYPE/FUNCTION..., ALTER TYPE, SET, SELECT, GRANT: no lock on a table that matters
            }
        }
    }

    private static void alter(Stmt s, Action a, Scope sc, Effect e) {
        Name table = s.target;
        switch (a.type()) {
            case ADD_COLUMN -> {
                e.lock(table, PgLock.ACCESS_EXCLUSIVE);
                ColumnDef c = a.def();
                Judgements.Verdict v = Judgements.addColumn(c, sc.pgVersion);
                e.rewrite(v.rewrite(), "while it rewrites the table");
                lockIfExisting(e, sc, c.references(), PgLock.SHARE_ROW_EXCLUSIVE);
                if (c.unique() || c.primaryKey()) {
                    e.longer("while the index builds");
                } else if (c.check() || c.references() != null) {
                    e.longer("while it checks every row");
                }
            }
            case ALTER_TYPE -> {
                e.lock(table, PgLock.ACCESS_EXCLUSIVE);
                Judgements.Verdict v = Judgements.typeChange(sc.schema.column(table.key(), a.column()), a);
                e.rewrite(v.rewrite(), "while it rewrites the table and its indexes");
            }
            case SET_NOT_NULL -> {
                e.lock(table, PgLock.ACCESS_EXCLUSIVE);
                if (!(sc.pgVersion >= 12 && sc.schema.hasValidNotNullCheck(table.key(), a.column()))) {
                    e.longer("while it scans every row");
                }
            }
            case ADD_CONSTRAINT -> constraint(a.constraint(), table, sc, e);
            case VALIDATE_CONSTRAINT -> {
                e.lock(table, PgLock.SHARE_UPDATE_EXCLUSIVE);
                e.longer("while it checks every row");
            }
            case ATTACH_PARTITION -> {
                e.lock(table, PgLock.SHARE_UPDATE_EXCLUSIVE);
                lockIfExisting(e, sc, a.name() == null ? null : Name.of(a.name().replaceFirst(".*\\.", "")), PgLock.ACCESS_EXCLUSIVE);
                e.longer("while it checks the partition's rows");
            }
            case DETACH_PARTITION -> {
                PgLock lock = a.flag() ? PgLock.SHARE_UPDATE_EXCLUSIVE : PgLock.ACCESS_EXCLUSIVE;
                e.lock(table, lock);
                lockIfExisting(e, sc, a.name() == null ? null : Name.of(a.name().replaceFirst(".*\\.", "")), lock);
            }
            case REWRITE -> {
                e.lock(table, PgLock.ACCESS_EXCLUSIVE);
                e.rewrite(true, "while it rewrites the table");
            }
            case SHARE_UPDATE_EXCLUSIVE -> e.lock(table, PgLock.SHARE_UPDATE_EXCLUSIVE);
            case SHARE_ROW_EXCLUSIVE -> e.lock(table, PgLock.SHARE_ROW_EXCLUSIVE);
            case OPTION -> {
                // MySQL syntax; nothing on PostgreSQL
            }
            default -> e.lock(table, PgLock.ACCESS_EXCLUSIVE);
        }
    }

    private static void constraint(ConstraintDef c, Name table, Scope sc, Effect e) {
        switch (c.kind()) {
            case FOREIGN_KEY -> {
                e.lock(table, PgLock.SHARE_ROW_EXCLUSIVE);
                lockIfExisting(e, sc, c.references(), PgLock.SHARE_ROW_EXCLUSIVE);
                if (!c.notValid()) {
                    e.longer("while it checks every row");
                }
            }
            case CHECK -> {
                e.lock(table, PgLock.ACCESS_EXCLUSIVE);
                if (!c.notValid()) {
                    e.longer("while it checks every row");
                }
            }
            case UNIQUE, PRIMARY_KEY, EXCLUDE -> {
                e.lock(table, PgLock.ACCESS_EXCLUSIVE);
                if (!c.usingIndex()) {
                    e.longer("while the index builds");
                }
            }
            default -> e.lock(table, PgLock.ACCESS_EXCLUSIVE);
        }
    }

    private static void reindex(Stmt s, Scope sc, Effect e) {
        if (s.concurrently) {
            lockIfExisting(e, sc, s.target, PgLock.SHARE_UPDATE_EXCLUSIVE);
        } else if ("INDEX".equals(s.word)) {
            lockIfExisting(e, sc, s.target, PgLock.ACCESS_EXCLUSIVE);
            String table = s.target == null ? null : sc.schema.tableOfIndex(s.target.key());
            if (table != null) {
                lockIfExisting(e, sc, Name.of(table), PgLock.SHARE);
            }
        } else if ("TABLE".equals(s.word)) {
            lockIfExisting(e, sc, s.target, PgLock.SHARE);
        } else {
            e.known = false;
        }
        e.longer("while the indexes rebuild");
    }

    private static void lockIfExisting(Effect e, Scope sc, Name relation, PgLock lock) {
        if (sc.isExisting(relation)) {
            e.lock(relation, lock);
        }
    }

    private static void mysql(Stmt s, Scope sc, Effect e) {
        switch (s.kind) {
            case ALTER_TABLE, CREATE_INDEX -> {
                Name table = s.kind == Stmt.Kind.CREATE_INDEX ? s.onTable : s.target;
                if (!sc.isExisting(table)) {
                    e.text = "none on existing tables";
                    return;
                }
                MySqlLocking.Plan plan = MySqlLocking.plan(s, sc.schema);
                e.text = plan.describe();
                e.rewrite = plan.rewrite();
            }
            case DROP_RELATION, DROP_INDEX, TRUNCATE, RENAME_TABLE -> e.text = "metadata lock (waits for running transactions)";
            case UPDATE, DELETE, INSERT, MERGE -> e.text = "row locks while it runs";
            default -> e.text = s.isDdl() ? "metadata lock (waits for running transactions)" : "none on existing tables";
        }
    }
}
