package dev.switchback.backup;

import dev.switchback.migration.ErrorCode;
import dev.switchback.migration.MigrationConfig;
import dev.switchback.migration.Migrator;
import dev.switchback.migration.SqliteUrl;
import dev.switchback.migration.SwitchbackException;
import dev.switchback.migration.Version;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;

/**
 * Checks whose backup it is, verifies it, takes a safety backup, restores all-or-nothing, makes the file set exactly
 * the backed-up one, keeps the audit log, and optionally migrates. The safety backup is deleted only when the restore
 * failed and provably changed nothing ({@link DumpEngine#changedTarget()}); otherwise it is kept and named.
 */
final class RestoreBackup {
    private static final Logger log = LoggerFactory.getLogger(RestoreBackup.class);
    private final BackupStore store;

    RestoreBackup(BackupStore store) {
        this.store = store;
    }

    RestoreResult run(RestoreOptions options) {
        Manifest m = options.before() != null ? store.before(options.before()) : store.find(options.ref());
        if (!store.ours(m) && !options.fromOtherDatabase()) {
            throw new SwitchbackException(ErrorCode.CONFIG, "Restore refused: backup " + m.id() + " was taken from "
                    + DatabaseIdentity.of(m) + ", not from " + store.identity() + "; nothing was touched. Pass "
                    + "--from-other-database to restore it here anyway.");
        }
        DumpEngine engine = store.engineFor(m);
        BackupVerification v = new VerifyBackup(store).run(m, false);
        if (!v.ok()) {
            throw new SwitchbackException(ErrorCode.VERIFICATION, "Restore refused: backup " + m.id() + " failed verification; "
                    + "the database was not touched.\n  - " + String.join("\n  - ", v.problems()));
        }
        String into = options.into();
        Migrator migrator = store.migrator;
        String versionBefore = into == null ? migrator.currentVersion() : null;
        List<Object[]> auditRows = into == null ? migrator.auditLogRows() : null;
        Manifest safety = null;
        if (into == null && !options.noSafetyBackup()) {
            safety = new CreateBackup(store).run("pre-restore-" + m.id().substring(0, Math.min(m.id().length(), 40)), m.release());
        }
        if (into == null) {
            migrator.forgetUpToDateCheck();
        }
        try (StreamedDump source = new StreamedDump(store, m, m.databaseFile())) {
            engine.restore(source, into);
        } catch (SwitchbackException | IOException e) {
            throw failed(engine, m, safety, e);
        } finally {
            if (into == null) {
                migrator.forgetUpToDateCheck(); // also a failed restore: it may have changed the database
            }
        }
        if (into == null) {
            keepAuditLog(auditRows, m, safety, store.migrator.currentVersion());
        }
        List<String> restoredFiles = List.of();
        Manifest.FileEntry set = m.fileSet();
        if (set != null && !options.noFiles() && into == null) {
            try (InputStream in = store.open(m, set)) {
                List<String> patterns = m.filePatterns() == null ? List.of() : m.filePatterns();
                restoredFiles = FileSet.restore(store.backup.baseDir(), patterns, store.backup.directory(), in);
            } catch (IOException | RuntimeException e) {
                throw new SwitchbackException(ErrorCode.FAILED, "The database was restored from " + m.id() + " but its files were not: "
                        + e.getMessage() + ". Run the restore again with --no-safety-backup to retry, or restore "
                        + (safety == null ? "an earlier backup" : safety.id()) + " to undo.", e);
            }
        }
        Migrator target = into == null ? migrator : migrator.withConfig(withDatabase(store.config, into));
        String versionAfter = target.currentVersion();
        String migratedTo = null;
        if (options.migrateTo() != null) {
            var r = target.withConfig(target.config().withTarget(Version.parse(options.migrateTo()))).migrate();
            migratedTo = r.to();
        }
        return new RestoreResult(m.id(), m.label(), store.config.maskedUrl(), into, versionBefore, versionAfter, engine.tables(into),
                safety == null ? null : safety.id(), restoredFiles, engine.atomicity(), migratedTo);
    }

    /** The restored database carries the log as it was at backup time: put back every entry since, then this restore. */
    private void keepAuditLog(List<Object[]> rows, Manifest m, Manifest safety, String versionAfter) {
        try {
            store.migrator.keepAuditLog(rows, "restore", versionAfter, "success", "restored backup " + m.id()
                    + (m.label() == null ? "" : " (" + m.label() + ")")
                    + (safety == null ? ", no safety backup" : "; safety backup " + safety.id()));
        } catch (RuntimeException e) {
            log.warn("The restore succeeded but the audit log could not be kept: {}", e.getMessage());
        }
    }

    private SwitchbackException failed(DumpEngine engine, Manifest m, Manifest safety, Exception cause) {
        String msg = String.valueOf(cause.getMessage());
        ErrorCode code = cause instanceof SwitchbackException se ? se.code() : ErrorCode.FAILED;
        if (!engine.changedTarget()) {
            dropSafetyBackup(safety);
            String head = code == ErrorCode.VERIFICATION ? "Restore refused: backup " + m.id() + " failed verification; "
                    : "Restore of backup " + m.id() + " failed; ";
            return new SwitchbackException(code, head + "the database was not touched"
                    + (safety == null ? "" : " (the safety backup " + safety.id() + " was deleted: there is nothing to undo)")
                    + ".\n  - " + msg.replace("\n", "\n    "), cause);
        }
        if (safety == null) {
            return new SwitchbackException(ErrorCode.FAILED, msg + "\nThe database was changed and no safety backup was taken "
                    + "(--no-safety-backup): restore a backup to put it back.", cause);
        }
        try {
            engine.undo(() -> store.open(safety, safety.databaseFile()));
            return new SwitchbackException(ErrorCode.FAILED, msg + "\nThe database was put back from the safety backup "
                    + safety.id() + ": it is as it was before the restore. That backup is kept.", cause);
        } catch (IOException | RuntimeException e) {
            return new SwitchbackException(ErrorCode.FAILED, msg + "\nPutting back the safety backup failed too (" + e.getMessage()
                    + "). Run `switchback backup restore " + safety.id() + " --no-safety-backup --yes` to put it back.", cause);
        }
    }

    private void dropSafetyBackup(Manifest safety) {
        if (safety == null) {
            return;
        }
        try {
            store.catalog.delete(safety);
        } catch (IOException e) {
            log.warn("Could not delete the unused safety backup {}: {}", safety.id(), e.getMessage());
        }
    }

    private static MigrationConfig withDatabase(MigrationConfig c, String into) {
        String url = c.url();
        Path file = SqliteUrl.file(url);
        if (file != null) {
            return c.withUrl(SqliteUrl.withFile(url, file.toAbsolutePath().resolveSibling(into)));
        }
        return c.withUrl(url.replaceFirst("^(jdbc:[a-z]+://[^/]+/)[^?;]*", "$1" + into));
    }
}
