package dev.switchback.bench;

import dev.switchback.migration.MigrateResult;
import dev.switchback.migration.Switchback;
import org.flywaydb.core.Flyway;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The ways of bringing a database up to date that the benchmark compares. Each call does everything a
 * deployment pays for (connect, read the files, check the history, apply), and checks that it did the work,
 * so a tool that silently skipped migrations cannot look fast.
 */
final class Tools {
    private final Pg pg;
    private final Path cli;

    Tools(Pg pg, Path cli) {
        this.pg = pg;
        this.cli = cli;
    }

    /** Switchback in-process; returns how many migrations it applied. */
    int switchback(String db, Workload w) {
        MigrateResult r = Switchback.configure().url(pg.url(db)).user(pg.user()).password(pg.password())
                .locations(w.dir.toString())
                .environment(Map.of()) // SWITCHBACK_* variables of the shell must not change what is measured
                .load().migrate();
        return r.applied().size();
    }

    /** Flyway 11 in-process, with its defaults (validate-on-migrate included, as users run it). */
    int flyway(String db, Workload w) {
        return Flyway.configure().dataSource(pg.url(db), pg.user(), pg.password())
                .locations("filesystem:" + w.dir)
                .load().migrate().migrationsExecuted;
    }

    /**
     * The limit: what any tool must at least do. One connection; for each file in version order, one transaction
     * with its statements and one row in a small history table. No checksums, lock, validation or logging.
     */
    int raw(String db, Workload w) throws SQLException, IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(w.dir)) {
            files = new ArrayList<>(s.filter(p -> p.toString().endsWith(".sql")).toList());
        }
        files.sort(Comparator.comparingInt(Workload::versionOf));
        try (Connection c = pg.connect(db)) {
            try (Statement st = c.createStatement()) {
                st.execute("CREATE TABLE IF NOT EXISTS raw_history (version int PRIMARY KEY, script text NOT NULL,"
                        + " installed_on timestamptz NOT NULL DEFAULT now())");
            }
            c.setAutoCommit(false);
            try (Statement st = c.createStatement();
                 PreparedStatement history = c.prepareStatement("INSERT INTO raw_history (version, script) VALUES (?, ?)")) {
                for (Path f : files) {
                    // the generated scripts have no ';' inside literals, so a plain split is a correct parse here
                    for (String sql : Files.readString(f, StandardCharsets.UTF_8).split(";")) {
                        if (!sql.isBlank()) {
                            st.execute(sql);
                        }
                    }
                    history.setInt(1, Workload.versionOf(f));
                    history.setString(2, f.getFileName().toString());
                    history.executeUpdate();
                    c.commit();
                }
            }
            return files.size();
        }
    }

    /** A fresh {@code bin/switchback migrate} process, as a deployment's start-up step would run it. */
    void cliMigrate(String db, Workload w) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(cli.toString(), "--url", pg.url(db), "--user", pg.user()));
        if (pg.password() != null && !pg.password().isEmpty()) {
            cmd.addAll(List.of("--password", pg.password()));
        }
        cmd.addAll(List.of("--locations", w.dir.toString(), "migrate"));
        Path out = Files.createTempFile("switchback-bench-cli-", ".log");
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IllegalStateException("bin/switchback migrate did not finish in 10 minutes");
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException("bin/switchback migrate exited " + p.exitValue() + ":\n"
                        + Files.readString(out, StandardCharsets.UTF_8));
            }
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
