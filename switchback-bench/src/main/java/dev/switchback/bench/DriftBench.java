package dev.switchback.bench;

import dev.switchback.migration.DriftReport;
import dev.switchback.migration.MigrateResult;
import dev.switchback.migration.Migrator;
import dev.switchback.migration.Switchback;
import dev.switchback.migration.dialect.Dialects;
import dev.switchback.migration.history.HistoryTable;
import dev.switchback.migration.history.SchemaSnapshots;
import dev.switchback.migration.schema.Schema;
import dev.switchback.migration.schema.SchemaInspector;
import dev.switchback.migration.schema.SchemaText;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Schema drift on a database of N tables (each with an index, a foreign key and a check; a few views and functions),
 * one migration per table: {@code drift} against the migrate-time snapshot vs the dump a person would script
 * ({@code pg_dump --schema-only}, {@code mariadb-dump --no-data}), {@code drift --replay}, and the snapshot's share of
 * a migrate that applies all N. Runs alternate between the compared commands; figures are medians [min-max].
 * Usage: DriftBench [N] (default 1000); RUNS (default 5); REPLAY_RUNS (default 3); DIALECTS=postgresql,mariadb.
 */
public final class DriftBench {
    /** How many of the runs also replay (a replay of N migrations takes as long as applying them). */
    private static int replayRuns;
    private DriftBench() {
    }

    private record Server(String dialect, String adminUrl, String user, String[] dump) {
        String url(String db) {
            return adminUrl + db;
        }
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int runs = Integer.parseInt(System.getenv().getOrDefault("RUNS", "5"));
        replayRuns = Integer.parseInt(System.getenv().getOrDefault("REPLAY_RUNS", "3"));
        List<String> dialects = List.of(System.getenv().getOrDefault("DIALECTS", "postgresql,mariadb").split(","));
        System.out.printf("drift bench: %d tables (index, foreign key, check each) + 3 views + 3 functions, %d alternated runs%n", n, runs);
        for (String d : dialects) {
            Server s = d.equals("postgresql")
                    ? new Server("postgresql", "jdbc:postgresql://127.0.0.1:5432/", "postgres", new String[]{"pg_dump", "--schema-only",
                    "-h", "127.0.0.1", "-U", "postgres", "-f", "/dev/null"})
                    : new Server("mariadb", "jdbc:mariadb://127.0.0.1:3306/", "root", new String[]{"mariadb-dump", "--no-data",
                    "--routines", "--triggers", "-h", "127.0.0.1", "--protocol=TCP", "-u", "root", "--result-file=/dev/null"});
            run(s, n, runs);
        }
    }

    private static void run(Server s, int n, int runs) throws Exception {
        String db = "sbbench_drift_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        Path dir = Files.createTempDirectory("drift-bench");
        write(dir, s.dialect, n);
        admin(s, "CREATE DATABASE " + db);
        String drop = "DROP DATABASE IF EXISTS " + db + (s.dialect.equals("postgresql") ? " WITH (FORCE)" : "");
        // an interrupted run (Ctrl-C) still drops its database; a replay's scratch database is dropped by drift itself
        Thread cleanup = new Thread(() -> {
            try {
                admin(s, drop);
            } catch (SQLException e) {
                System.err.println("could not drop " + db + ": " + e.getMessage());
            }
        });
        Runtime.getRuntime().addShutdownHook(cleanup);
        try {
            Migrator m = Switchback.configure().url(s.url(db)).user(s.user).password("").locations(dir.toString())
                    .environment(Map.of()).load();
            long t0 = System.nanoTime();
            MigrateResult r = m.migrate();
            double migrateS = (System.nanoTime() - t0) / 1e9;
            if (r.applied().size() != n + 1) {
                throw new IllegalStateException("applied " + r.applied().size() + " of " + (n + 1));
            }
            // the snapshot's work, done again the same way on the same schema: inspect, encode, store
            List<Double> snapshot = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                snapshot.add(time(() -> takeSnapshot(s, db, false)));
            }
            double snap = median(snapshot);
            System.out.printf("%s: migrate of %d migrations %.2f s, of which the snapshot %.3f s [%s] = %.1f %% of the run%n",
                    s.dialect, n, migrateS, snap, range(snapshot), 100 * snap / migrateS);

            List<Double> drift = new ArrayList<>();
            List<Double> dump = new ArrayList<>();
            List<Double> replay = new ArrayList<>();
            List<Double> cli = new ArrayList<>();
            List<Double> full = new ArrayList<>();
            String launcher = System.getenv("SWITCHBACK_CLI");
            Runnable clean = () -> {
                DriftReport d = m.drift();
                if (!d.clean() || !DriftReport.FROM_SNAPSHOT.equals(d.expectedFrom())) {
                    throw new IllegalStateException("drift not clean from the snapshot: " + d.differences().size() + " " + d.expectedFrom());
                }
            };
            for (int i = 0; i < runs; i++) {
                takeSnapshot(s, db, false);
                drift.add(time(clean));
                dump.add(time(() -> dump(s, db)));
                takeSnapshot(s, db, true);
                full.add(time(clean));
                takeSnapshot(s, db, false);
                if (launcher != null) {
                    cli.add(time(() -> exec(List.of(launcher, "--url", s.url(db), "--user", s.user, "--locations", dir.toString(), "drift"))));
                }
                if (i < replayRuns) {
                    replay.add(time(() -> {
                        if (!m.drift(true).clean()) {
                            throw new IllegalStateException("replay found drift");
                        }
                    }));
                }
            }
            System.out.printf("%s: drift (snapshot, in-process) %.3f s [%s]; %s %.3f s [%s]; ratio %.2fx; drift --replay %.2f s [%s]%n",
                    s.dialect, median(drift), range(drift), s.dump[0], median(dump), range(dump), median(drift) / median(dump),
                    median(replay), range(replay));
            System.out.printf("%s: drift reading the whole schema (catalog fingerprint differs or absent) %.3f s [%s]; ratio %.2fx%n",
                    s.dialect, median(full), range(full), median(full) / median(dump));
            if (!cli.isEmpty()) {
                System.out.printf("%s: switchback drift (a fresh CLI process, JVM start included) %.3f s [%s]; ratio to %s %.2fx%n",
                        s.dialect, median(cli), range(cli), s.dump[0], median(cli) / median(dump));
            }
        } finally {
            admin(s, drop);
            Runtime.getRuntime().removeShutdownHook(cleanup);
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
            Files.delete(dir);
        }
    }

    /** {@code fullPath}: stored without the catalog fingerprint, so drift reads the whole schema (as after a catalog change). */
    private static void takeSnapshot(Server s, String db, boolean fullPath) {
        try (Connection c = DriverManager.getConnection(s.url(db), s.user, "")) {
            var dialect = Dialects.forUrl(s.url(db));
            SchemaInspector inspector = SchemaInspector.forDialect(dialect.name());
            String catalog = inspector.catalogFingerprint(c);
            Schema schema = inspector.inspect(c, Set.of("switchback_history", "switchback_lock", "switchback_log", "switchback_schema"));
            if (catalog != null && !catalog.equals(inspector.catalogFingerprint(c))) {
                throw new IllegalStateException("the catalog changed while it was read");
            }
            String history = new HistoryTable(dialect, "switchback_history").planFingerprint(c);
            new SchemaSnapshots(dialect, "switchback_history").save(c, "bench", schema.hash(), history, fullPath ? null : catalog,
                    SchemaText.encode(schema));
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void dump(Server s, String db) {
        List<String> cmd = new ArrayList<>(List.of(s.dump));
        cmd.add(db);
        exec(cmd);
    }

    private static void exec(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (p.waitFor() != 0) {
                throw new IllegalStateException(String.join(" ", cmd) + " failed");
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** One migration per table; table i points at table i-1. Views and functions at the end. */
    static void write(Path dir, String dialect, int n) throws IOException {
        boolean pg = dialect.equals("postgresql");
        for (int i = 1; i <= n; i++) {
            String fk = i == 1 ? "" : ", parent_id INTEGER REFERENCES t_" + (i - 1) + " (id)";
            String sql = "CREATE TABLE t_" + i + " (id INTEGER PRIMARY KEY, name VARCHAR(40) NOT NULL, qty INTEGER NOT NULL"
                    + fk + ", CONSTRAINT t_" + i + "_qty CHECK (qty >= 0));\nCREATE INDEX t_" + i + "_name ON t_" + i + " (name);\n";
            Files.writeString(dir.resolve(String.format("%05d_table_%d.sql", i, i)), sql);
        }
        StringBuilder extra = new StringBuilder();
        for (int v = 1; v <= 3; v++) {
            extra.append("CREATE VIEW v_").append(v).append(" AS SELECT id, name FROM t_").append(v).append(" WHERE qty > 0;\n");
            extra.append(pg ? "CREATE FUNCTION f_" + v + "(n integer) RETURNS integer LANGUAGE sql IMMUTABLE AS $$ SELECT n * " + v + " $$;\n"
                    : "CREATE FUNCTION f_" + v + "(n INT) RETURNS INT DETERMINISTIC RETURN n * " + v + ";\n");
        }
        Files.writeString(dir.resolve(String.format("%05d_views_and_functions.sql", n + 1)), extra.toString());
    }

    private static void admin(Server s, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(s.dialect.equals("postgresql") ? s.url("postgres") : s.adminUrl, s.user, "");
             Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    private static double time(Runnable r) {
        long t = System.nanoTime();
        r.run();
        return (System.nanoTime() - t) / 1e9;
    }

    static double median(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        Collections.sort(s);
        return s.isEmpty() ? Double.NaN : s.size() % 2 == 1 ? s.get(s.size() / 2) : (s.get(s.size() / 2 - 1) + s.get(s.size() / 2)) / 2;
    }

    private static String range(List<Double> xs) {
        return String.format("%.3f-%.3f", Collections.min(xs), Collections.max(xs));
    }
}
