package dev.switchback.migration;

import dev.switchback.migration.dialect.Dialects;
import dev.switchback.migration.discovery.ChecksumCache;
import dev.switchback.migration.discovery.LocationScanner;
import dev.switchback.migration.discovery.MigrationResolver;
import dev.switchback.migration.discovery.ScriptSource;
import dev.switchback.migration.discovery.UpToDateSnapshot;
import dev.switchback.migration.history.HistoryTable;
import dev.switchback.migration.lint.LintConfig;
import dev.switchback.migration.schema.DriftIgnore;
import dev.switchback.migration.sql.SqlFlavor;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Every migration verb on one configured database. Made by {@link Switchback#configure()}; each call reads
 * the migration files afresh and opens its own connections.
 */
public final class Migrator {
    private final MigrationConfig config;
    private final ClassLoader classLoader;
    private final MigrationListener listener;
    private final BeforeMigrate beforeMigrate;
    private final BeforeRollback beforeRollback;
    private final LintConfig lint;
    private final DriftConfig drift;
    /** Whether migrate applies every pending migration in one transaction ({@link #inOneTransaction}). */
    private final boolean oneTransaction;
    /**
     * The time a walk starts and a check is remembered at: the checksum cache and the up-to-date snapshot trust only
     * files changed well before it, and {@code migrations.cacheTtl} counts from the check. Tests move it instead of waiting.
     */
    private final Clock clock;

    Migrator(MigrationConfig config, ClassLoader classLoader, MigrationListener listener, BeforeMigrate beforeMigrate,
             LintConfig lint) {
        this(config, classLoader, listener, beforeMigrate, BeforeRollback.NONE, lint, DriftConfig.DEFAULT, false, Clock.systemUTC());
    }

    private Migrator(MigrationConfig config, ClassLoader classLoader, MigrationListener listener, BeforeMigrate beforeMigrate,
                     BeforeRollback beforeRollback, LintConfig lint, DriftConfig drift, boolean oneTransaction, Clock clock) {
        this.drift = drift;
        this.config = config;
        this.classLoader = classLoader;
        this.listener = listener;
        this.beforeMigrate = beforeMigrate;
        this.beforeRollback = beforeRollback;
        this.lint = lint;
        this.oneTransaction = oneTransaction;
        this.clock = clock;
    }

    public MigrationConfig config() {
        return config;
    }

    /**
     * The migrations in the locations, sorted by version; naming problems, invalid UTF-8 and unterminated strings,
     * quoted names, comments or dollar quotes (in the SQL of the configured database) throw before anything runs.
     */
    public List<Migration> migrations() {
        return migrations(flavor());
    }

    /** The migrations in the locations as {@link #migrations()}, their SQL lexed as {@code flavor} (null: not lexed). */
    public List<Migration> migrations(SqlFlavor flavor) {
        return MigrationResolver.resolve(new LocationScanner(config.baseDir(), classLoader).scan(config.locations()),
                ChecksumCache.open(config.checksumCache(), flavor, clock), flavor);
    }

    /** The SQL the database URL speaks, or null when an application's DataSource says it only once connected. */
    private SqlFlavor flavor() {
        return config.dataSource() != null || config.url() == null ? null : Dialects.forUrl(config.url()).flavor();
    }

    /**
     * Applies pending migrations, honouring skip, dryRun and target from the configuration. Refuses (UNSAFE, nothing
     * applied) when lint finds errors in them, unless allowUnsafe is set or ignore directives accept them.
     */
    public MigrateResult migrate() {
        return migrate(false).result();
    }

    /**
     * {@link #migrate()}, and the status after it, read on the same connection: with nothing to do, from the history
     * rows and files migrate read (or, when the up-to-date snapshot answered, from the rows alone), not walked again.
     * No status when migrate connected to nothing (skipped, a dry run, answered from {@code migrations.cacheTtl}).
     */
    public MigrateReport migrateWithStatus() {
        return migrate(true);
    }

    private MigrateReport migrate(boolean withStatus) {
        DriftIgnore statusIgnore = withStatus ? drift.ignore() : null;
        boolean local = config.skip() || Database.sqliteFile(config) != null || SqliteUrl.is(config.url());
        // a server, and no migrations.cacheTtl that could answer without connecting: the connection (in a start-up
        // check the longest wait of all) is opened from the first instant, while the settings and the snapshot are read
        long started = System.nanoTime();
        CompletableFuture<String> expectedFuture = new CompletableFuture<>();
        // whether the files and settings are those of the last up-to-date check (then the status's schema is read beside)
        CompletableFuture<Boolean> sameAsLast = new CompletableFuture<>();
        Connecting<Connected> early = local || (config.cacheTtl() != null && config.url() != null && config.dataSource() == null)
                ? null : connect(withStatus, expectedFuture, sameAsLast);
        Path snapshotFile;
        String settings;
        RecentCheck recent;
        UpToDateSnapshot snapshot;
        try {
            snapshotFile = UpToDateInputs.snapshotFile(config);
            settings = config.skip() || config.dryRun() ? null : UpToDateInputs.settingsKey(config, classLoader);
            recent = RecentCheck.of(config, settings, snapshotFile);
            snapshot = settings == null || (local && recent == null) ? null : UpToDateSnapshot.load(snapshotFile);
        } catch (RuntimeException | Error e) {
            if (early != null) {
                expectedFuture.complete(null);
                sameAsLast.complete(false);
                early.abandon();
            }
            throw e;
        }
        if (recent != null && snapshot != null) {
            MigrateResult cached = recent.answer(snapshot, clock.millis(), config);
            if (cached != null) {
                return new MigrateReport(cached, null); // never a status from the cache
            }
        }
        if (local) {
            // a local file connects in no time (and must not be created when the files have a problem)
            if (recent == null) {
                Migrate run = new Migrate(config, migrations(), listener, beforeMigrate, lint).withDrift(drift)
                        .inOneTransaction(oneTransaction).withStatus(statusIgnore);
                MigrateResult result = run.run();
                return new MigrateReport(result, run.status());
            }
            return migrateRemembered(recent, settings, snapshotFile, statusIgnore);
        }
        // a server: connect on a thread of its own while this one walks and checks the files. In a start-up check with
        // nothing to do the two take about as long; the files' problems are still reported first, and the connection
        // is closed when they stop the run
        String expected = snapshot == null ? null : snapshot.historyFingerprint(settings);
        expectedFuture.complete(expected);
        Connecting<Connected> connecting = early != null ? early : connect(withStatus, expectedFuture, sameAsLast);
        LocationScanner scanner = new LocationScanner(config.baseDir(), classLoader);
        List<Migration> files;
        long walkStarted;
        try {
            boolean sameFiles = snapshot != null && snapshot.sameFiles(settings);
            sameAsLast.complete(sameFiles && config.target() == null);
            if (sameFiles) {
                Connected c = connecting.join();
                if (expected.equals(c.historyFingerprint())) {
                    // the same files and the same history as the last check that found nothing to do: the same answer
                    try (Database db = c.opened().db()) {
                        if (recent != null) {
                            recent.remember(snapshot.digest(), snapshot.current(), clock.millis());
                        }
                        MigrateResult result = Migrate.upToDate(config, snapshot.current(), (System.nanoTime() - started) / 1_000_000, List.of());
                        return new MigrateReport(result, !withStatus ? null : config.target() == null
                                ? Status.upToDate(db, config, c.opened().history(), snapshot.current(), statusIgnore, c.ahead())
                                : Status.on(db, config, migrations(), c.opened().history(), statusIgnore));
                    }
                }
                if (c.ahead() != null) {
                    c.ahead().abandon(); // the history changed since: the full check below, and a status after it
                }
            }
            // the files changed, or the history, or there is no snapshot: the full check
            walkStarted = clock.millis();
            List<ScriptSource> sources = scanner.scan(config.locations());
            files = MigrationResolver.resolve(sources, ChecksumCache.open(config.checksumCache(), flavor(), clock), flavor());
        } catch (RuntimeException | Error e) {
            sameAsLast.complete(false);
            connecting.abandon();
            throw e;
        }
        java.util.concurrent.atomic.AtomicReference<Connected> used = new java.util.concurrent.atomic.AtomicReference<>();
        Migrate run = new Migrate(config, files, listener, beforeMigrate, lint, () -> {
            Connected c = connecting.join();
            try {
                // only the fingerprint was read (the files changed): read the rows now, so this check can be remembered
                used.set(c.opened().history() == null && c.historyFingerprint() != null ? readRows(c.opened().db(), false) : c);
            } catch (Error e) {
                c.opened().db().close();
                throw e;
            }
            return used.get().opened();
        });
        MigrateResult result = run.withDrift(drift).inOneTransaction(oneTransaction).withStatus(statusIgnore).run();
        remember(run, result, used.get(), scanner, walkStarted, settings, snapshotFile, recent, clock);
        return new MigrateReport(result, run.status());
    }

    /**
     * Opens the connection on a thread of its own and reads the history on it: every column when {@code withStatus}
     * (the status printed after needs them), else only the fingerprint when it is the one {@code expected} (the history
     * the last nothing-to-do check saw: all the server needs to send), else the plan's columns. With the status, when
     * this thread finds {@code sameAsLast} decided true (the files and settings of the last check that found nothing to
     * do, no target), the schema the status shows is read beside ({@link SchemaAhead}): from the start when it is
     * decided by then, else once the rows are read. It never waits for the decision.
     */
    private Connecting<Connected> connect(boolean withStatus, CompletableFuture<String> expected, CompletableFuture<Boolean> sameAsLast) {
        return Connecting.start(config, db -> {
            if (withStatus) {
                SchemaAhead ahead = sameAsLast.getNow(false) ? SchemaAhead.start(db, drift.ignore()) : null;
                Connected read = readRows(db, true);
                if (ahead == null && sameAsLast.getNow(false)) {
                    ahead = SchemaAhead.start(db, drift.ignore());
                }
                return new Connected(read.opened(), read.historyFingerprint(), ahead);
            }
            String fingerprint = expected.join();
            try {
                if (fingerprint != null && fingerprint.equals(db.history.fingerprint(db.connection))) {
                    return new Connected(new Migrate.Opened(db, null), fingerprint, null);
                }
            } catch (java.sql.SQLException | RuntimeException e) {
                // read in full below
            }
            return readRows(db, false);
        }, c -> {
            if (c.ahead() != null) {
                c.ahead().abandon();
            }
            return c.opened().db();
        });
    }

    /**
     * Migrate on a local file with {@code migrations.cacheTtl} on: the files walked into a trail and the history read
     * with its fingerprint, so that a check finding nothing to do is remembered as on a server.
     */
    private MigrateReport migrateRemembered(RecentCheck recent, String settings, Path snapshotFile, DriftIgnore statusIgnore) {
        LocationScanner scanner = new LocationScanner(config.baseDir(), classLoader);
        long walkStarted = clock.millis();
        List<Migration> files = MigrationResolver.resolve(scanner.scan(config.locations()),
                ChecksumCache.open(config.checksumCache(), flavor(), clock), flavor());
        java.util.concurrent.atomic.AtomicReference<Connected> used = new java.util.concurrent.atomic.AtomicReference<>();
        Migrate run = new Migrate(config, files, listener, beforeMigrate, lint, () -> {
            used.set(readRows(Database.open(config), statusIgnore != null));
            return used.get().opened();
        });
        MigrateResult result = run.withDrift(drift).inOneTransaction(oneTransaction).withStatus(statusIgnore).run();
        remember(run, result, used.get(), scanner, walkStarted, settings, snapshotFile, recent, clock);
        return new MigrateReport(result, run.status());
    }

    /**
     * After a full check that found nothing to do from the rows it was handed: the up-to-date snapshot of its walk, and
     * (with {@code migrations.cacheTtl}) the time of the check.
     */
    private static void remember(Migrate run, MigrateResult result, Connected used, LocationScanner scanner, long walkStarted,
                                 String settings, Path snapshotFile, RecentCheck recent, Clock clock) {
        if (run.upToDateFromOpenedHistory() && settings != null && used != null) {
            String digest = UpToDateSnapshot.save(snapshotFile, settings, scanner, walkStarted, used.historyFingerprint(), result.from());
            if (recent != null) {
                recent.remember(digest, result.from(), clock.millis());
            }
        }
    }

    /**
     * The history rows and their fingerprint, read on {@code db}'s connection: the plan's columns, or every column
     * status shows when {@code all}; without either when reading fails (Migrate reads the history again and reports
     * the failure).
     */
    private static Connected readRows(Database db, boolean all) {
        try {
            HistoryTable.PlanRows read = all ? db.history.readFingerprinted(db.connection) : db.history.readForPlanFingerprinted(db.connection);
            return read == null ? new Connected(new Migrate.Opened(db, null), null, null)
                    : new Connected(new Migrate.Opened(db, read.rows()), read.fingerprint(), null);
        } catch (java.sql.SQLException | RuntimeException e) {
            return new Connected(new Migrate.Opened(db, null), null, null);
        }
    }

    /**
     * An open connection and a fingerprint of the history ({@link HistoryTable#fingerprint}): with the rows it was
     * taken from, or without rows when it matched the snapshot's and nothing more was read; and the schema read beside
     * for the status, if it was.
     */
    private record Connected(Migrate.Opened opened, String historyFingerprint, SchemaAhead ahead) {
    }

    /** A migrator like this one that runs {@code hook} before applying anything (e.g. a backup). */
    public Migrator withBeforeMigrate(BeforeMigrate hook) {
        return new Migrator(config, classLoader, listener, hook, beforeRollback, lint, drift, oneTransaction, clock);
    }

    /** A migrator like this one that runs {@code hook} before undoing anything (e.g. a backup). */
    public Migrator withBeforeRollback(BeforeRollback hook) {
        return new Migrator(config, classLoader, listener, beforeMigrate, hook, lint, drift, oneTransaction, clock);
    }

    /** The same migrator for other settings (e.g. a target, or another database URL). */
    public Migrator withConfig(MigrationConfig other) {
        return new Migrator(other, classLoader, listener, beforeMigrate, beforeRollback, lint, drift, oneTransaction, clock);
    }

    /**
     * A migrator like this one whose migrate applies every pending migration, with its history row, in one transaction
     * that commits all of them or none ({@code migrate --group}): for fresh databases, where a commit (an fsync) per
     * migration is most of the time. PostgreSQL and SQLite only, and transactional migrations only: anything else is
     * refused before the backup and before anything is applied.
     */
    public Migrator inOneTransaction() {
        return new Migrator(config, classLoader, listener, beforeMigrate, beforeRollback, lint, drift, true, clock);
    }

    /** The same migrator reading the time from {@code other} (see {@link #clock}). */
    Migrator withClock(Clock other) {
        return new Migrator(config, classLoader, listener, beforeMigrate, beforeRollback, lint, drift, oneTransaction, other);
    }

    /** The lint settings migrate judges pending migrations with. */
    public LintConfig lint() {
        return lint;
    }

    /** The same migrator with other lint settings (severities, PostgreSQL version). */
    public Migrator withLint(LintConfig other) {
        return new Migrator(config, classLoader, listener, beforeMigrate, beforeRollback, other, drift, oneTransaction, clock);
    }

    /** The drift settings: what drift leaves out, and whether migrate refuses on a drifted database. */
    public DriftConfig driftConfig() {
        return drift;
    }

    /** The same migrator with other drift settings. */
    public Migrator withDrift(DriftConfig other) {
        return new Migrator(config, classLoader, listener, beforeMigrate, beforeRollback, lint, other, oneTransaction, clock);
    }

    /**
     * The audit log's rows as they are now, or null when there is none: a restore rewinds the database, and puts these
     * back afterwards ({@link #keepAuditLog}) so the log never loses an entry.
     */
    public List<Object[]> auditLogRows() {
        try (Database db = Database.open(config)) {
            return db.audit.rows(db.connection);
        } catch (java.sql.SQLException e) {
            throw new SwitchbackException(ErrorCode.FAILED, "Cannot read " + config.logTable() + ": " + e.getMessage(), e);
        }
    }

    /** Writes back the rows read by {@link #auditLogRows()} (or keeps the table as it is, when null) and appends one entry. */
    public void keepAuditLog(List<Object[]> rows, String action, String versions, String outcome, String detail) {
        try (Database db = Database.open(config)) {
            if (rows != null) {
                db.audit.replace(db.connection, rows);
            }
            db.audit(action, versions, outcome, detail);
        } catch (java.sql.SQLException e) {
            throw new SwitchbackException(ErrorCode.FAILED, "Cannot write " + config.logTable() + ": " + e.getMessage(), e);
        }
    }

    /** Every backup id the history points to (the backup taken before applying that row's migration). */
    public java.util.Set<String> backupIdsInHistory() {
        try (Database db = Database.open(config)) {
            return db.history.backupIds(db.connection);
        } catch (java.sql.SQLException e) {
            throw new SwitchbackException(ErrorCode.FAILED, "Cannot read " + config.table() + ": " + e.getMessage(), e);
        }
    }

    /** The highest successfully applied version, read from the history alone (no files), or null. */
    public String currentVersion() {
        return CurrentVersion.read(config);
    }

    public StatusReport status() {
        return Status.of(config, classLoader, this::migrations, drift.ignore());
    }

    /** Every problem between the files and the history; {@link VerifyReport#clean()} when there is none. */
    public VerifyReport verify() {
        return verify(false);
    }

    /** {@link #verify()}, the schema checked against a replay of the migrations when {@code replay}, not the snapshot. */
    public VerifyReport verify(boolean replay) {
        return Verify.of(config, migrations(), replay, drift.ignore());
    }

    /** The live schema against the one the applied migrations produce: their snapshot, or a replay when there is none. */
    public DriftReport drift() {
        return drift(false);
    }

    /** {@link #drift()}; with {@code replay} always against the migrations replayed into a scratch database. */
    public DriftReport drift(boolean replay) {
        return Drift.of(config, replay, drift.ignore());
    }

    /** This database and {@code other} side by side: histories and live schemas. */
    public CompareReport compare(MigrationConfig other) {
        return Compare.of(config, other, drift.ignore());
    }

    /** This database against an environment exported earlier (see {@link #export()}), perhaps from another network. */
    public CompareReport compare(EnvironmentExport other) {
        return Compare.between(export(), other, drift.ignore());
    }

    /**
     * Connects with the configured user and creates and drops a scratch table, as migrate would need to; throws what
     * failed (FAILED) otherwise. Creates a SQLite file that does not exist yet.
     */
    public void checkCanCreateTables() {
        String table = "switchback_probe_" + Long.toHexString(System.nanoTime());
        try (Database db = Database.open(config); java.sql.Statement st = db.connection.createStatement()) {
            st.execute("CREATE TABLE " + table + " (id INTEGER)");
            st.execute("DROP TABLE " + table);
        } catch (java.sql.SQLException e) {
            throw new SwitchbackException(ErrorCode.FAILED, "Cannot create a table in " + config.maskedUrl() + " as "
                    + config.user() + ": " + Database.oneLine(e) + ". Migrations need CREATE (and DROP) rights.", e);
        }
    }

    /** This database's history and live schema, for {@link #compare(EnvironmentExport)} elsewhere. */
    public EnvironmentExport export() {
        return Compare.export(config);
    }

    /**
     * Drops the {@code migrations.cacheTtl} record of the last up-to-date check: for a change to the database made
     * outside this class (a backup restore), before it and after it, failed or not.
     */
    public void forgetUpToDateCheck() {
        RecentCheck.forget(config);
    }

    public RollbackResult rollback(RollbackRequest request) {
        java.util.function.Supplier<RollbackResult> run = () -> new Rollback(config, migrations(), listener, beforeRollback,
                drift.ignore()).run(request);
        return request.dryRun() ? run.get() : RecentCheck.forgetAround(config, run);
    }

    public void baseline(String version, String description) {
        RecentCheck.forgetAround(config, () -> {
            Baseline.run(config, Version.parse(version), description);
            return null;
        });
    }

    /**
     * Takes over another tool's history ({@code from}: {@code flyway}, ..., {@code table:NAME[:COLUMN]}; {@code table}
     * replaces the tool's default table, null keeps it). Writes nothing for a dry run or when the plan has problems.
     */
    public ImportPlan importHistory(String from, String table, boolean dryRun) {
        java.util.function.Supplier<ImportPlan> run = () -> Import.run(config, migrations(),
                dev.switchback.migration.foreign.ForeignSource.parse(from, table), dryRun);
        return dryRun ? run.get() : RecentCheck.forgetAround(config, run);
    }

    public RepairResult repair() {
        return RecentCheck.forgetAround(config, () -> Repair.run(config, migrations()));
    }

    public UnlockResult unlock(boolean force) {
        return Unlock.run(config, force);
    }

    /**
     * Creates the next version's up and down files.
     *
     * @param dir where to write them; null for the first directory location
     */
    public List<Path> newMigration(String description, Path dir) {
        return NewMigration.create(migrations(), description, directoryFor(dir));
    }

    /**
     * Creates the next version's files recording the drift as intended: up makes the migrations' schema into the
     * database's, down puts it back. What the SQL cannot say is written as a {@code -- not done:} comment to finish by
     * hand. With {@code record} the new migration is also recorded as applied on this database and the schema snapshot
     * retaken (see {@link DriftRecording}); refused (VERIFICATION, nothing written) while migrations are pending.
     * Refused (CONFIG) when there is no drift or it cannot be checked.
     */
    public List<Path> newMigrationFromDrift(String description, Path dir, boolean record) {
        Path target = directoryFor(dir);
        if (record) {
            return DriftRecording.run(config, this::migrations, drift.ignore(), description, target, locationDirectories());
        }
        DriftReport report = drift();
        DriftRecording.refuseNothingToRecord(report);
        return NewMigration.create(migrations(), description, target, report.toDatabase().script(),
                report.toMigrations().script());
    }

    private List<Path> locationDirectories() {
        return config.locations().stream().filter(l -> !l.startsWith("classpath:"))
                .map(l -> config.baseDir().resolve(l.startsWith("filesystem:") ? l.substring(11) : l).normalize()).toList();
    }

    private Path directoryFor(Path dir) {
        if (dir != null) {
            return dir.normalize();
        }
        return locationDirectories().stream().findFirst().orElseThrow(() -> new SwitchbackException(ErrorCode.CONFIG,
                "No directory among migrations.locations to write to; pass --dir"));
    }
}
