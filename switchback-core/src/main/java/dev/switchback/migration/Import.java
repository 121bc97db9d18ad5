package dev.switchback.migration;

import dev.switchback.migration.foreign.FlywayChecksum;
import dev.switchback.migration.foreign.ForeignHistory;
import dev.switchback.migration.foreign.ForeignRow;
import dev.switchback.migration.foreign.ForeignSource;
import dev.switchback.migration.history.HistoryRow;
import dev.switchback.migration.lock.MigrationLock;

import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The import verb: takes over another tool's history. Each of its rows is matched to a migration file, by version or
 * by file name, and recorded in the Switchback history as applied, with the file's SQL and checksum. Nothing is
 * guessed: any row or file that does not match (see {@link ImportPlan#problems()}) leaves the history untouched.
 * The other tool's table is only read.
 */
final class Import {
    private Import() {
    }

    static ImportPlan run(MigrationConfig config, List<Migration> migrations, ForeignSource source, boolean dryRun) {
        try (Database db = Database.open(config); MigrationLock lock = db.newLock()) {
            lock.acquire(config.lockTimeout());
            ForeignHistory foreign = ForeignHistory.read(db.connection, db.dialect, source);
            List<AppliedMigration> existing = db.history.read(db.connection);
            if (existing != null && !existing.isEmpty()) {
                throw new SwitchbackException(ErrorCode.CONFIG, "Import refused: " + config.table() + " already has "
                        + existing.size() + " row(s) (current version " + existing.get(existing.size() - 1).version()
                        + "). Import is for a database Switchback has not migrated yet; nothing was read into it.");
            }
            Matched matched = match(foreign, migrations);
            if (dryRun || !matched.plan().clean()) {
                return matched.plan();
            }
            db.createTables();
            write(db, config, matched);
            ImportPlan plan = matched.plan();
            db.audit("import", plan.imported().isEmpty() ? "" : plan.imported().get(plan.imported().size() - 1).version(),
                    "success", "imported " + plan.imported().size() + " row(s) from " + source.tool().cliName() + " ("
                            + foreign.table() + "); " + plan.pending().size() + " pending");
            return plan.asWritten();
        } catch (SQLException e) {
            throw new SwitchbackException(ErrorCode.FAILED, "Import failed: " + e.getMessage() + "; nothing was recorded", e);
        }
    }

    /** The plan, and for each imported version the file and the foreign row it came from. */
    record Matched(ImportPlan plan, Map<Version, Migration> files, Map<Version, ForeignRow> rows) {
    }

    /** Matches the foreign rows to the files (no database involved). */
    static Matched match(ForeignHistory foreign, List<Migration> migrations) {
        Map<Version, Migration> byVersion = new HashMap<>();
        Map<String, Migration> byFile = new HashMap<>();
        for (Migration m : migrations) {
            byVersion.put(m.version(), m);
            String base = baseName(m.script());
            byFile.put(base, m);
            byFile.putIfAbsent(base.substring(0, base.length() - (base.endsWith(".up.sql") ? 7 : 4)), m);
        }
        List<Problem> problems = new ArrayList<>();
        foreign.unsupported().forEach(u -> problems.add(new Problem(ImportPlan.UNSUPPORTED, null, null, u)));
        TreeMap<Version, ForeignRow> rows = new TreeMap<>();
        Map<Version, Migration> files = new HashMap<>();
        // files some row names, problem or not: only the others can be "never recorded"
        java.util.Set<Version> named = new java.util.HashSet<>();
        for (ForeignRow row : foreign.rows()) {
            Migration m = row.byFile() ? byFile.get(row.key()) : Version.isValid(row.key()) ? byVersion.get(Version.parse(row.key())) : null;
            if (m != null) {
                named.add(m.version());
            }
            if (row.failure() != null) {
                problems.add(new Problem(row.failure().equals("dirty") ? ImportPlan.DIRTY : Problem.FAILED, row.key(),
                        m == null ? null : m.script(), row.where() + (row.failure().equals("dirty")
                        ? ": golang-migrate stopped part-way through this version; check what of it ran, finish or undo it by hand, then clear the flag (migrate force) and import again"
                        : ": the tool recorded this migration as failed; repair the database and that row with the tool, then import again")));
                continue;
            }
            if (row.baseline()) {
                rows.put(Version.parse(row.key()), row);
                continue;
            }
            if (m == null) {
                problems.add(new Problem(Problem.MISSING_FILE, row.byFile() ? null : row.key(), null, row.where()
                        + ": no migration file in the locations " + (row.byFile() ? "is named " : "has version ") + row.key()
                        + "; add the file that was applied, or correct the locations"));
                continue;
            }
            if (row.checksum() != null) {
                int crc = FlywayChecksum.of(m.upSql());
                if (crc != row.checksum()) {
                    problems.add(new Problem(Problem.CHECKSUM_MISMATCH, m.version().toString(), m.script(), row.where()
                            + ": Flyway recorded checksum " + row.checksum() + ", the file has " + crc + " now: it was "
                            + "edited after it was applied; restore the applied text, or run flyway repair if the edit is deliberate"));
                    continue;
                }
            }
            if (row.upTo()) {
                Version top = m.version();
                migrations.stream().filter(f -> f.version().compareTo(top) <= 0).forEach(f -> {
                    rows.put(f.version(), row);
                    files.put(f.version(), f);
                });
            } else {
                rows.put(m.version(), row);
                files.put(m.version(), m);
            }
        }
        Version last = rows.isEmpty() ? null : rows.lastKey();
        Version baseline = rows.entrySet().stream().filter(e -> e.getValue().baseline()).map(Map.Entry::getKey)
                .max(Version::compareTo).orElse(null);
        List<String> pending = new ArrayList<>();
        for (Migration m : migrations) {
            if (last == null || m.version().compareTo(last) > 0) {
                pending.add(m.script());
            } else if (!rows.containsKey(m.version()) && !named.contains(m.version()) && (baseline == null || m.version().compareTo(baseline) > 0)) {
                problems.add(new Problem(ImportPlan.UNRECORDED_FILE, m.version().toString(), m.script(), m.script()
                        + " is older than the last migration " + foreign.table() + " records (" + last + ") but has no row "
                        + "there: it was never applied, or applied by hand. Apply it with the old tool or move it after "
                        + last + ", then import again"));
            }
        }
        List<ImportPlan.Entry> entries = new ArrayList<>();
        rows.forEach((v, row) -> {
            Migration m = files.get(v);
            entries.add(new ImportPlan.Entry(v.toString(), m == null ? "<< baseline >>" : m.script(), row.appliedAt(),
                    row.appliedBy(), m == null));
        });
        return new Matched(new ImportPlan(foreign.source().tool().cliName(), foreign.table(), entries, pending, problems,
                false), files, rows);
    }

    private static void write(Database db, MigrationConfig config, Matched matched) throws SQLException {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        db.connection.setAutoCommit(false);
        try {
            int rank = db.history.nextRank(db.connection);
            for (ImportPlan.Entry e : matched.plan().imported()) {
                Version v = Version.parse(e.version());
                ForeignRow row = matched.rows().get(v);
                Migration m = matched.files().get(v);
                String by = row.appliedBy() == null ? config.installedBy() : row.appliedBy();
                Instant at = row.appliedAt() == null ? now : row.appliedAt().truncatedTo(ChronoUnit.MILLIS);
                HistoryRow h = m == null
                        ? new HistoryRow(rank++, e.version(), "<< baseline >>", AppliedMigration.TYPE_BASELINE, "<< baseline >>",
                        null, null, null, by, 0, AppliedMigration.SUCCESS, 0, null)
                        : new HistoryRow(rank++, e.version(), m.description(), AppliedMigration.TYPE_SQL, m.script(), m.checksum(),
                        m.upSql(), m.downSql(), by, row.executionMs(), AppliedMigration.SUCCESS, 0, null);
                db.history.insert(db.connection, h, at);
            }
            db.connection.commit();
        } catch (SQLException | RuntimeException e) {
            db.connection.rollback();
            throw e;
        } finally {
            db.connection.setAutoCommit(true);
        }
    }

    private static String baseName(String script) {
        int i = Math.max(Math.max(script.lastIndexOf('/'), script.lastIndexOf('\\')), script.lastIndexOf(':'));
        return script.substring(i + 1);
    }
}
