package dev.switchback.bench.boot;

import dev.switchback.migration.ImportPlan;
import dev.switchback.migration.Switchback;
import dev.switchback.migration.foreign.FlywayChecksum;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.Locale;
import java.util.Map;

/**
 * {@code import --from flyway} on a Flyway history of N rows (default 5000), each with its file and Flyway's checksum:
 * RUNS imports (default 5), each into a Switchback history dropped before the next, in one JVM (the first is cold).
 * Reports each run's seconds and the median. Against PostgreSQL at 127.0.0.1:5432 as postgres.
 */
public final class FlywayImportBench {
    private FlywayImportBench() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Path dir = Files.createDirectories(Files.createTempDirectory("bench-import").resolve("migrations"));
        String db = "bench_import_" + ProcessHandle.current().pid();
        BootStartupBench.admin("CREATE DATABASE " + db);
        String url = BootStartupBench.PG + db;
        try (Connection c = DriverManager.getConnection(url, "postgres", null)) {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE flyway_schema_history (installed_rank INT PRIMARY KEY, version VARCHAR(50), description VARCHAR(200) NOT NULL,"
                        + " type VARCHAR(20) NOT NULL, script VARCHAR(1000) NOT NULL, checksum INT, installed_by VARCHAR(100) NOT NULL,"
                        + " installed_on TIMESTAMP NOT NULL DEFAULT now(), execution_time INT NOT NULL, success BOOLEAN NOT NULL)");
            }
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO flyway_schema_history VALUES (?, ?, ?, 'SQL', ?, ?, 'flyway', now(), 3, true)")) {
                for (int i = 1; i <= n; i++) {
                    String script = "V" + i + "__step_" + i + ".sql";
                    String sql = "CREATE TABLE t" + i + " (id BIGINT PRIMARY KEY, name TEXT NOT NULL);\n";
                    Files.writeString(dir.resolve(script), sql);
                    ps.setInt(1, i);
                    ps.setString(2, Integer.toString(i));
                    ps.setString(3, "step " + i);
                    ps.setString(4, script);
                    ps.setInt(5, FlywayChecksum.of(sql));
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            c.commit();
        }
        try {
            System.out.printf(Locale.ROOT, "import --from flyway, %d rows and files, PostgreSQL; %d runs in one JVM%n", n, runs);
            double[] secs = new double[runs];
            for (int r = 0; r < runs; r++) {
                try (Connection c = DriverManager.getConnection(url, "postgres", null); Statement s = c.createStatement()) {
                    s.execute("DROP TABLE IF EXISTS switchback_history, switchback_log, switchback_lock");
                }
                long t0 = System.nanoTime();
                ImportPlan plan = Switchback.configure().url(url).user("postgres").locations(dir.toString())
                        .set(dev.switchback.migration.Setting.CHECKSUM_CACHE, "off").environment(Map.of()).load()
                        .importHistory("flyway", null, false);
                secs[r] = (System.nanoTime() - t0) / 1e9;
                if (!plan.problems().isEmpty() || plan.imported().size() != n) {
                    throw new IllegalStateException("Import problems: " + plan.problems());
                }
                System.out.printf(Locale.ROOT, "  run %d%s: %.2f s (%d imported)%n", r + 1, r == 0 ? " (cold)" : "", secs[r], plan.imported().size());
            }
            double[] warm = java.util.Arrays.copyOfRange(secs, 1, secs.length);
            System.out.printf(Locale.ROOT, "  median of the warm runs: %.2f s [%.2f-%.2f]; cold: %.2f s%n", BootStartupBench.median(warm),
                    java.util.Arrays.stream(warm).min().orElse(0), java.util.Arrays.stream(warm).max().orElse(0), secs[0]);
        } finally {
            BootStartupBench.admin("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
        }
    }
}
