package dev.switchback.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchback.backup.Backups;
import dev.switchback.backup.Manifest;
import dev.switchback.deploy.DeployConfig;
import dev.switchback.deploy.ReleaseEnvironment;
import dev.switchback.migration.AppliedMigration;
import dev.switchback.migration.MigrationConfig;
import dev.switchback.migration.MigrationListener;
import dev.switchback.migration.Migrator;
import dev.switchback.migration.StatusReport;
import dev.switchback.migration.SwitchbackException;
import dev.switchback.migration.dialect.Dialects;
import dev.switchback.migration.lint.LintReport;
import dev.switchback.migration.lint.Linter;
import dev.switchback.migration.lint.Severity;
import dev.switchback.migration.sql.SqlFlavor;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Every check that can fail an upgrade, run before one: the database and its user, the lock, unfinished migrations,
 * drift, what is pending and lint's verdict on it, the dump tool, disk for a backup, and with a {@code deploy:} section
 * the daemon, the active release, the release command and the keys the release expects. A check that cannot run
 * reports why instead of stopping the others.
 */
final class Doctor {
    private final SwitchbackCommand root;
    private final String release;

    /** @param release the release whose expected keys are checked; null for the daemon's active one */
    Doctor(SwitchbackCommand root, String release) {
        this.root = root;
        this.release = release;
    }

    List<DoctorCheck> run() {
        List<DoctorCheck> checks = new ArrayList<>();
        DeployConfig deploy = root.deployConfig();
        boolean deploys = !deploy.command().isEmpty();
        String[] active = {null};
        DoctorCheck daemon = deploys ? guarded("daemon", () -> daemon(deploy, active))
                : DoctorCheck.ok("daemon", "no deploy.service.command configured: deploys not checked");
        String checked = release != null ? release : active[0];
        // a release's own migrations when one is named or active (migrations.locations with ${RELEASE} expanded)
        Migrator migrator = checked != null ? new CliReleaseMigrations(root).migrator(ReleaseEnvironment.checkName(checked))
                : root.migrator(Map.of(), MigrationListener.NONE);
        DoctorCheck database = guarded("database", () -> database(migrator));
        checks.add(database);
        if (database.verdict() == DoctorCheck.Verdict.FAIL) {
            checks.add(DoctorCheck.fail("migrations", "not checked: the database cannot be used", "fix the database check first"));
        } else {
            try {
                StatusReport status = migrator.status();
                checks.add(lock(status));
                checks.add(unfinished(status));
                checks.add(drift(status));
                checks.add(guarded("pending", () -> pending(migrator, status)));
            } catch (SwitchbackException e) {
                checks.add(DoctorCheck.fail("migrations", e.getMessage(), "'switchback status' shows the same"));
            }
        }
        Backups backups = root.backups(migrator);
        checks.add(guarded("backup tool", () -> tool(migrator.config(), backups)));
        checks.add(guarded("disk", () -> disk(backups)));
        checks.add(daemon);
        if (deploys) {
            checks.add(guarded("release command", () -> command(deploy)));
            checks.add(guarded("release environment", () -> environment(deploy, checked)));
        }
        return checks;
    }

    private static DoctorCheck guarded(String name, Supplier<DoctorCheck> check) {
        try {
            return check.get();
        } catch (SwitchbackException | IllegalStateException | java.io.UncheckedIOException e) {
            return DoctorCheck.fail(name, e.getMessage(), "see the message above");
        }
    }

    private static DoctorCheck database(Migrator migrator) {
        MigrationConfig c = migrator.config();
        Path file = c.url() == null ? null : dev.switchback.migration.SqliteUrl.file(c.url());
        if (file != null && !Files.exists(file)) {
            return DoctorCheck.warn("database", "the SQLite file " + file + " does not exist yet", "'switchback migrate' creates it");
        }
        try {
            migrator.checkCanCreateTables();
        } catch (SwitchbackException e) {
            return DoctorCheck.fail("database", e.getMessage(), "check database.url, user and password and that the server runs; "
                    + "the user needs CREATE rights");
        }
        return DoctorCheck.ok("database", "reachable as " + (c.user() == null ? "the configured user" : c.user())
                + ", can create tables (" + c.maskedUrl() + ")");
    }

    private static DoctorCheck lock(StatusReport s) {
        if (s.lock() == null) {
            return DoctorCheck.ok("lock", "the migration lock is free");
        }
        return DoctorCheck.fail("lock", "the migration lock is held by " + s.lock().holder() + " since " + s.lock().since(),
                "wait for that migration to finish; if its holder is gone, 'switchback unlock' shows it and --force clears it");
    }

    private static DoctorCheck unfinished(StatusReport s) {
        List<String> bad = s.applied().stream().filter(a -> !AppliedMigration.SUCCESS.equals(a.state()))
                .map(a -> a.version() + " (" + a.state() + ")").toList();
        if (!bad.isEmpty()) {
            return DoctorCheck.fail("migrations", "unfinished: " + String.join(", ", bad),
                    "'switchback migrate' resumes a partial one; fix a failed one's script and migrate again, or 'switchback repair'");
        }
        if (!s.problems().isEmpty()) {
            return DoctorCheck.warn("migrations", s.problems().size() + " problem(s) between files and history: "
                    + s.problems().get(0).type() + ": " + s.problems().get(0).message(), "'switchback verify' shows them all");
        }
        return DoctorCheck.ok("migrations", "no failed or partial migration (current version " + s.current() + ")");
    }

    private static DoctorCheck drift(StatusReport s) {
        StatusReport.SchemaState schema = s.schema();
        if (schema == null || schema.drift() == null) {
            return DoctorCheck.warn("drift", "not checked: no schema snapshot of this history",
                    "'switchback drift --replay' checks it; the next migrate or rollback takes a snapshot");
        }
        if (schema.drift()) {
            return DoctorCheck.fail("drift", "the schema differs from the one migrated (snapshot at " + schema.version() + ")",
                    "'switchback drift' shows the differences and both ways to resolve them");
        }
        return DoctorCheck.ok("drift", "the schema is the one migrated (snapshot at " + schema.version() + ")");
    }

    private DoctorCheck pending(Migrator migrator, StatusReport s) {
        if (s.pending().isEmpty()) {
            return DoctorCheck.ok("pending", "none pending");
        }
        Migrator linted = migrator.withLint(LintCommand.lintConfig(root, null));
        MigrationConfig c = linted.config();
        SqlFlavor flavor = Dialects.forUrl(c.url()).flavor();
        LintReport report = LintCommand.pending(linted, new Linter(linted.lint(), flavor,
                linted.lint().pgVersion(LintCommand.serverMajor(c, flavor)), !c.statementLockTimeout().isZero()), flavor);
        String what = s.pending().size() + " pending (" + s.pending().get(0).version()
                + (s.pending().size() > 1 ? " .. " + s.pending().get(s.pending().size() - 1).version() : "") + ")";
        if (!report.blocking().isEmpty()) {
            return DoctorCheck.fail("pending", what + ", lint: " + report.blocking().size() + " error(s), e.g. "
                    + report.blocking().get(0).rule() + " in " + report.blocking().get(0).file(),
                    "'switchback lint --pending' explains each; migrate refuses them unless allowed (--allow-unsafe)");
        }
        long warnings = report.count(Severity.WARNING);
        return warnings > 0 ? DoctorCheck.warn("pending", what + ", lint: " + warnings + " warning(s)", "'switchback lint --pending'")
                : DoctorCheck.ok("pending", what + ", lint clean");
    }

    private static DoctorCheck tool(MigrationConfig c, Backups backups) {
        if (c.url() != null && dev.switchback.migration.SqliteUrl.is(c.url())) {
            return DoctorCheck.ok("backup tool", "SQLite backups need no tool");
        }
        try {
            String[] tool = backups.dumpTool();
            String older = c.url() != null && (c.url().startsWith("jdbc:mariadb:") || c.url().startsWith("jdbc:mysql:"))
                    ? olderThanServer(tool[1], c) : null;
            return older == null ? DoctorCheck.ok("backup tool", tool[1]) : DoctorCheck.warn("backup tool", older,
                    "install the client tools of the server's version (mariadb-client), or set backup.mysqlDump");
        } catch (SwitchbackException e) {
            return DoctorCheck.fail("backup tool", e.getMessage(), "install the client tools of the server's version, or set "
                    + "backup.pgDump / backup.mysqlDump");
        }
    }

    private static final java.util.regex.Pattern VERSION = java.util.regex.Pattern.compile("(\\d+)\\.(\\d+)\\.\\d+");

    /**
     * pg_dump refuses a newer server by itself; mariadb-dump and mysqldump do not, and an older one can miss what the
     * server has that it does not know. Compared by major.minor: the tool's "Distrib X.Y.Z" (or "from X.Y.Z") against
     * the server's version. Null when not older, or when either version cannot be read.
     */
    static String olderThanServer(String toolVersion, MigrationConfig c) {
        int[] tool = majorMinor(toolVersion.contains("Distrib") ? toolVersion.substring(toolVersion.indexOf("Distrib")) : toolVersion);
        int[] server;
        try (java.sql.Connection conn = c.dataSource() != null ? c.dataSource().getConnection()
                : java.sql.DriverManager.getConnection(c.url(), c.user(), c.password())) {
            server = majorMinor(conn.getMetaData().getDatabaseProductVersion());
        } catch (java.sql.SQLException e) {
            return null;
        }
        if (tool == null || server == null || tool[0] > server[0] || tool[0] == server[0] && tool[1] >= server[1]) {
            return null;
        }
        return toolVersion + " is older than the server (" + server[0] + "." + server[1] + "): a dump may miss what this server "
                + "has and the tool does not know";
    }

    private static int[] majorMinor(String text) {
        java.util.regex.Matcher m = VERSION.matcher(text);
        return m.find() ? new int[]{Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))} : null;
    }

    private DoctorCheck disk(Backups backups) {
        Path dir = root.backupConfig().directory();
        Path existing = dir.toAbsolutePath();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        long free;
        try {
            free = existing == null ? 0 : Files.getFileStore(existing).getUsableSpace();
        } catch (IOException e) {
            return DoctorCheck.warn("disk", "cannot read the free space of " + dir + ": " + e.getMessage(), "check it by hand");
        }
        List<Manifest> list = backups.list();
        if (list.isEmpty()) {
            return DoctorCheck.ok("disk", mb(free) + " free for backups in " + dir + " (no backup yet to size the next from)");
        }
        long last = list.get(0).sizeBytes();
        if (free < last) {
            return DoctorCheck.fail("disk", mb(free) + " free in " + dir + ", the last backup took " + mb(last),
                    "free space, or 'switchback backup prune'");
        }
        return DoctorCheck.ok("disk", mb(free) + " free in " + dir + ", the last backup took " + mb(last));
    }

    private static String mb(long bytes) {
        return bytes >= 10L << 20 ? (bytes >> 20) + " MB" : bytes + " bytes";
    }

    private static DoctorCheck daemon(DeployConfig deploy, String[] active) {
        AdminClient client = new AdminClient(deploy);
        JsonNode status;
        try {
            status = client.get("/api/deployments/status");
        } catch (SwitchbackException e) {
            return DoctorCheck.fail("daemon", e.getMessage(), "start it with 'switchback serve' (same config)");
        }
        String release = status.path("slots").path(status.path("active").asText()).path("release").asText(null);
        active[0] = release;
        if (release == null) {
            return DoctorCheck.ok("daemon", "up at " + deploy.adminHost() + ":" + deploy.adminPort() + ", no active release yet");
        }
        try {
            client.get("/health/ready");
        } catch (SwitchbackException e) {
            return DoctorCheck.fail("daemon", "up, but the active release " + release + " is not healthy",
                    "'switchback upgrade status' and the release's log; 'switchback upgrade rollback' returns to the standby");
        }
        return DoctorCheck.ok("daemon", "up, active release " + release + " healthy");
    }

    private static DoctorCheck command(DeployConfig deploy) {
        String program = deploy.command().get(0);
        if (program.contains("${")) {
            return DoctorCheck.warn("release command", program + " names a release: checked when one starts", null);
        }
        boolean found;
        if (program.contains("/")) {
            Path p = deploy.workingDirectory().resolve(program);
            found = Files.isExecutable(p);
        } else {
            found = false;
            for (String dir : String.valueOf(System.getenv("PATH")).split(File.pathSeparator)) {
                if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                    found = true;
                    break;
                }
            }
        }
        return found ? DoctorCheck.ok("release command", program + " found")
                : DoctorCheck.fail("release command", program + " (deploy.service.command) is not an executable on PATH or in "
                + deploy.workingDirectory(), "install it or fix deploy.service.command");
    }

    private DoctorCheck environment(DeployConfig deploy, String name) {
        if (name == null) {
            return DoctorCheck.ok("release environment", "no release to check (none active; pass --release R)");
        }
        ReleaseEnvironment env = ReleaseEnvironment.of(ReleaseEnvironment.checkName(name), ReleaseEnvFile.locate(root, name),
                deploy.env(), System.getenv());
        if (env.file() == null) {
            return DoctorCheck.ok("release environment", name + " lists no expected keys");
        }
        if (!env.missing().isEmpty()) {
            return DoctorCheck.fail("release environment", name + " expects " + String.join(", ", env.missing())
                    + ", which its environment does not set", "set them under deploy.service.env; 'switchback config diff --release "
                    + name + "'");
        }
        return DoctorCheck.ok("release environment", "every key " + name + " expects is set");
    }
}
