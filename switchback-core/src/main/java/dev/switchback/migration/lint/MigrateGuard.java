package dev.switchback.migration.lint;

import dev.switchback.migration.ErrorCode;
import dev.switchback.migration.Migration;
import dev.switchback.migration.MigrationConfig;
import dev.switchback.migration.SwitchbackException;
import dev.switchback.migration.sql.SqlFlavor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What migrate does with lint before it applies anything: warnings are logged; error findings refuse the run
 * ({@link ErrorCode#UNSAFE}, exit 5) unless {@code --allow-unsafe} or an ignore directive accepts them. The pending
 * migrations are judged as one run against the live database: a table created earlier in the run is empty, and dropping
 * or renaming what the database does not have is no risk, so a fresh database is never refused. On MariaDB/MySQL the
 * server is asked before an ALTER is refused as blocking.
 */
public final class MigrateGuard {
    private static final Logger log = LoggerFactory.getLogger(MigrateGuard.class);

    private MigrateGuard() {
    }

    /**
     * @param database    the database the run applies to: what a statement drops or renames is judged against what it has
     * @param serverMajor the PostgreSQL major version of the database, or null
     * @param dryRun      report what a real run would refuse, as warnings, and refuse nothing
     * @throws SwitchbackException UNSAFE naming every blocking finding with its fix
     */
    public static void check(MigrationConfig config, LintConfig lint, SqlFlavor flavor, Connection database, Integer serverMajor,
                             List<Migration> all, List<Migration> pending, boolean dryRun) {
        if (pending.isEmpty()) {
            return;
        }
        Set<String> pendingScripts = new HashSet<>();
        pending.forEach(m -> pendingScripts.add(m.script()));
        List<Migration> applied = all.stream().filter(m -> !pendingScripts.contains(m.script())).toList();
        LintReport report = new Linter(lint, flavor, lint.pgVersion(serverMajor), !config.statementLockTimeout().isZero())
                .lintRun(applied, pending, database);
        // only a run that would be refused asks the server: a dry run or --allow-unsafe refuses nothing, and the
        // rehearsal runs the pending SQL in a scratch database on that server
        if (flavor == SqlFlavor.MYSQL && !dryRun && !config.allowUnsafe()
                && report.blocking().stream().anyMatch(f -> f.rule().equals(Rule.MYSQL_BLOCKING_ALTER.id()))) {
            report = askTheServer(config, lint, applied, pending, report);
        }
        for (Finding f : report.findings()) {
            if (f.severity() == Severity.WARNING && f.ignored() == null) {
                log.warn("lint: {} {}: {}", f.location(), f.rule(), f.message());
            }
        }
        List<Finding> blocking = report.blocking();
        if (blocking.isEmpty()) {
            return;
        }
        if (config.allowUnsafe() || dryRun) {
            log.warn(dryRun ? "migrate would refuse {} unsafe finding(s):{}" : "Applying despite {} unsafe finding(s) "
                    + "(--allow-unsafe / migrations.allowUnsafe):{}", blocking.size(), list(blocking, false));
            return;
        }
        throw new SwitchbackException(ErrorCode.UNSAFE, "Migrate refused: the pending migrations would block traffic or "
                + "break the release still serving; nothing was applied." + list(blocking, true)
                + "\nFix the migration, accept a finding with -- switchback:ignore <rule> <reason> before its statement, "
                + "or run migrate --allow-unsafe (migrations.allowUnsafe: true). `switchback lint --pending-only` shows "
                + "the whole report.");
    }

    /**
     * Before refusing on MariaDB/MySQL, rehearses the pending migrations in a scratch copy of the table structure
     * ({@link MariaDbRehearsal}) and drops the mysql-blocking-alter findings of the statements the server ran with
     * ALGORITHM=INSTANT or INPLACE, LOCK=NONE. When it cannot ask (no CREATE privilege, ...), lint's guess stands.
     */
    private static LintReport askTheServer(MigrationConfig config, LintConfig lint, List<Migration> applied,
                                           List<Migration> pending, LintReport report) {
        RehearsalReport rehearsal;
        try {
            rehearsal = new MariaDbRehearsal(config, lint).run(applied, pending, null, System.nanoTime());
        } catch (SwitchbackException e) {
            log.warn("lint: could not ask the server whether the ALTERs lint flags run online, judging them by their shape: {}",
                    e.getMessage());
            return report;
        }
        Set<String> online = new HashSet<>();
        for (RehearsalReport.Migration m : rehearsal.migrations()) {
            for (RehearsalReport.Statement s : m.statements()) {
                if (s.probe() != null && s.probe().online()) {
                    online.add(m.script() + ":" + s.line());
                }
            }
        }
        List<Finding> kept = report.findings().stream()
                .filter(f -> !(f.rule().equals(Rule.MYSQL_BLOCKING_ALTER.id()) && online.contains(f.location()))).toList();
        if (kept.size() < report.findings().size()) {
            log.info("lint: {} runs {} ALTER(s) lint flagged with ALGORITHM=INSTANT or INPLACE, LOCK=NONE (asked in {}); "
                    + "not refused", rehearsal.server(), report.findings().size() - kept.size(), rehearsal.scratch());
        }
        return new LintReport(kept, report.migrations());
    }

    private static String list(List<Finding> findings, boolean withFix) {
        StringBuilder sb = new StringBuilder();
        for (Finding f : findings) {
            sb.append("\n  ").append(f.location()).append(": ").append(f.rule()).append(": ").append(f.message());
            if (withFix) {
                sb.append("\n      fix: ").append(f.fix());
            }
        }
        return sb.toString();
    }
}
