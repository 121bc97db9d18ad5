package dev.switchback.migration.lint;

import dev.switchback.migration.Directives;
import dev.switchback.migration.ErrorCode;
import dev.switchback.migration.Migration;
import dev.switchback.migration.SwitchbackException;
import dev.switchback.migration.sql.SqlFlavor;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Static safety checks of migration scripts: each statement is split and tokenised with the engine's own lexer,
 * recognised by its shape, and checked by the rules in {@link Rule}. Statements lint cannot classify are reported as
 * {@code unverified-statement}, never passed silently.
 */
public final class Linter {
    private static final List<Check> CHECKS = List.of(new PostgresLocking(), new MySqlLocking(), new Compatibility(),
            new TransactionChecks());
    private final LintConfig config;
    private final SqlFlavor flavor;
    private final int pgVersion;
    private final boolean engineLockTimeout;

    /**
     * @param flavor            the database the migrations are for (its rules and its SQL lexing)
     * @param pgVersion         the PostgreSQL major version to judge against (see {@link LintConfig#pgVersion(Integer)})
     * @param engineLockTimeout whether migrate sets a lock timeout itself (migrations.statementLockTimeout is not 0)
     */
    public Linter(LintConfig config, SqlFlavor flavor, int pgVersion, boolean engineLockTimeout) {
        this.config = config;
        this.flavor = flavor;
        this.pgVersion = pgVersion;
        this.engineLockTimeout = engineLockTimeout;
    }

    /**
     * Lints {@code checked}, each on its own: objects created by earlier migrations (in {@code context} or earlier in
     * {@code checked}) count as existing, since they are live and full of rows by the time a migration runs. A down
     * script is linted too, after its up script, and its findings name the down file.
     *
     * @param context migrations before the checked ones, read only to learn the schema (column types, NOT NULL)
     * @throws SwitchbackException (CONFIG) for an ignore directive without a reason or naming an unknown rule
     */
    public LintReport lint(List<Migration> context, List<Migration> checked) {
        return run(context, checked, false, null);
    }

    /**
     * Lints the migrations one migrate run applies, as that run meets them: an object created by an earlier migration
     * of the same run is new (empty, and unknown to the serving release) for the later ones. A fresh database is
     * therefore never refused.
     */
    public LintReport lintRun(List<Migration> applied, List<Migration> pending) {
        return run(applied, pending, true, null);
    }

    /**
     * As {@link #lintRun(List, List)}, judging what a statement drops, renames or locks against what {@code database}
     * has: dropping a table or column that is not there (and that no earlier pending migration creates) is no risk.
     */
    public LintReport lintRun(List<Migration> applied, List<Migration> pending, Connection database) {
        return run(applied, pending, true, LiveCatalog.read(database, flavor));
    }

    private LintReport run(List<Migration> context, List<Migration> checked, boolean oneRun, LiveCatalog live) {
        Classifier classifier = new Classifier(flavor);
        Schema schema = new Schema();
        List<String> problems = new ArrayList<>();
        for (Migration m : context) {
            for (Stmt s : Script.statements(m, flavor, new ArrayList<>())) {
                classifier.classify(s);
                schema.apply(s);
            }
        }
        List<Finding> findings = new ArrayList<>();
        List<MigrationLint> migrations = new ArrayList<>();
        Set<String> runObjects = new HashSet<>();
        for (Migration m : checked) {
            Scope scope = new Scope(m, flavor, pgVersion, engineLockTimeout, oneRun ? runObjects : new HashSet<>(), schema,
                    live);
            Findings out = new Findings(config, m.script(), m.directives());
            List<StatementLint> statements = lintScript(m, scope, out, classifier, problems, schema);
            findings.addAll(out.list());
            if (!oneRun && m.hasDown()) {
                // a down runs in production during a rollback, after its migration and with its own directives; its
                // compatibility findings are informational (it undoes a change the release now serving never needed)
                Directives own = m.downDirectives();
                Migration down = new Migration(m.version(), m.description(), m.downScript(), m.downSql(), null, null,
                        new Directives(own.noTransaction(), true, own.ignores()), null);
                Findings downOut = new Findings(config, down.script(), down.directives(),
                        "expected in a down script: the release it returns to never needed what it undoes");
                lintScript(down, new Scope(down, flavor, pgVersion, engineLockTimeout, new HashSet<>(), schema, null), downOut,
                        classifier, problems, null);
                findings.addAll(downOut.list());
            }
            migrations.add(new MigrationLint(m.script(), m.version() == null ? null : m.version().toString(),
                    m.directives().phase(), scope.transactional, m.downScript(), statements));
        }
        if (!problems.isEmpty()) {
            throw new SwitchbackException(ErrorCode.CONFIG, "Bad switchback:ignore directives:\n  - "
                    + String.join("\n  - ", problems) + "\nWrite -- switchback:ignore <rule> <reason> in the comments "
                    + "before the statement (or before the first statement, for the whole file)");
        }
        return new LintReport(findings, migrations);
    }

    /**
     * Checks every statement of one script; its findings go to {@code out} in line order.
     *
     * @param schema the schema to apply the script's changes to, or null to leave it as it is (a down script)
     */
    private static List<StatementLint> lintScript(Migration m, Scope scope, Findings out, Classifier classifier,
                                                  List<String> problems, Schema schema) {
        List<StatementLint> statements = new ArrayList<>();
        for (Stmt s : Script.statements(m, scope.flavor, problems)) {
            classifier.classify(s);
            Effect effect = Effects.of(s, scope);
            for (Check check : CHECKS) {
                check.check(s, scope, effect, out);
            }
            if (s.unverified != null) {
                out.add(Rule.UNVERIFIED_STATEMENT, s, s.unverifiedAt, "lint cannot check this statement: " + s.unverified);
            }
            statements.add(new StatementLint(s.number, s.statement.line(), s.oneLine(), s.label,
                    effect.describe(), effect.expected(), effect.known && !effect.partial, effect.rewrite, s.isDataChange() && s.bulk
                    && scope.isExisting(s.target), s.unverified == null));
            remember(s, scope, effect);
            if (schema != null) {
                schema.apply(s);
            }
        }
        out.list().sort(Comparator.comparingInt(Finding::line));
        return statements;
    }

    /** What later statements of the migration (and of the run) need to know about this one. */
    private static void remember(Stmt s, Scope sc, Effect effect) {
        switch (s.kind) {
            case CREATE_TABLE, CREATE_INDEX, CREATE_VIEW, CREATE_OTHER -> {
                if (s.target != null) {
                    sc.newObjects.add(s.target.key());
                }
            }
            case RENAME_TABLE -> {
                for (int i = 0; i + 1 < s.targets.size(); i += 2) {
                    renamed(sc, s.targets.get(i), s.targets.get(i + 1));
                }
            }
            case DROP_RELATION -> {
                if (sc.live != null) {
                    s.targets.forEach(sc.live::dropped);
                }
            }
            case ALTER_TABLE -> {
                for (Action a : s.actions) {
                    if (sc.live != null && a.type() == Action.Type.RENAME_COLUMN && a.newName() != null) {
                        sc.live.renamedColumn(s.target, a.column(), a.newName());
                    } else if (sc.live != null && a.type() == Action.Type.MODIFY_COLUMN && a.name() != null) {
                        sc.live.renamedColumn(s.target, a.name(), a.def().name());
                    } else if (sc.live != null && a.type() == Action.Type.DROP_COLUMN) {
                        sc.live.droppedColumn(s.target, a.column());
                    }
                    if (a.type() == Action.Type.ADD_COLUMN) {
                        sc.newColumns.add(s.target.key() + "." + a.def().name());
                    } else if (a.type() == Action.Type.ADD_CONSTRAINT && a.constraint().notValid() && a.name() != null) {
                        sc.addedNotValid.put(a.name(), s);
                    } else if (a.type() == Action.Type.RENAME_TABLE && a.newName() != null) {
                        renamed(sc, s.target, Name.of(a.newName().replaceFirst(".*\\.", "")));
                    }
                }
            }
            default -> {
            }
        }
        if (TransactionChecks.setsLockTimeout(s)) {
            sc.lockTimeoutSet = true;
        }
        if (s.isDataChange() && s.bulk && sc.isExisting(s.target) && sc.firstDataChange == null) {
            sc.firstDataChange = s;
        }
        if (s.isDdl() && effect.maxLock().blocksWrites() && sc.firstExistingDdl == null) {
            sc.firstExistingDdl = s;
        }
    }

    private static void renamed(Scope sc, Name from, Name to) {
        if (to == null) {
            return;
        }
        if (sc.isNew(from)) {
            sc.newObjects.add(to.key());
        } else {
            sc.newObjects.remove(to.key());
            if (sc.live != null) {
                sc.live.renamed(from, to);
            }
        }
    }
}
