package dev.switchback.bench;

import dev.switchback.migration.Directives;
import dev.switchback.migration.Migration;
import dev.switchback.migration.Version;
import dev.switchback.migration.discovery.Checksum;
import dev.switchback.migration.lint.LintConfig;
import dev.switchback.migration.lint.LintReport;
import dev.switchback.migration.lint.Linter;
import dev.switchback.migration.sql.SqlFlavor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Lint speed: statements per second over N generated PostgreSQL migrations (default 5000), in process, after a
 * warm-up, median of several runs, and the cold first run; no database is needed. With {@code --rehearse=M}, also the rehearsal time per
 * migration: M generated migrations pending on a fresh PostgreSQL database (127.0.0.1:5432, user postgres, or
 * {@code --jdbc=URL} naming the server), rehearsed as {@code lint --rehearse} does. Run it with
 * <pre>
 *   mvn -q -B -DskipTests install
 *   java -cp switchback-bench/target/switchback-bench.jar dev.switchback.bench.LintBench [N] [--runs=K] [--rehearse=M]
 * </pre>
 */
public final class LintBench {
    private LintBench() {
    }

    public static void main(String[] args) throws Exception {
        int n = 5000;
        int runs = 15;
        int rehearse = 0;
        String jdbc = "jdbc:postgresql://127.0.0.1:5432/";
        for (String a : args) {
            if (a.matches("\\d+")) {
                n = Integer.parseInt(a);
            } else if (a.startsWith("--runs=")) {
                runs = Integer.parseInt(a.substring(7));
            } else if (a.startsWith("--rehearse=")) {
                rehearse = Integer.parseInt(a.substring(11));
            } else if (a.startsWith("--jdbc=")) {
                jdbc = a.substring(7);
            } else {
                System.err.println("usage: LintBench [N] [--runs=K] [--rehearse=M] [--jdbc=URL]   (default 5000 migrations, 15 runs)");
                System.exit(2);
            }
        }
        if (rehearse > 0) {
            rehearsal(rehearse, jdbc);
        }
        List<Migration> migrations = generate(n);
        Linter linter = new Linter(LintConfig.DEFAULT, SqlFlavor.POSTGRES, 15, true);
        // the first run is what a one-shot `switchback lint` pays (class loading, interpreted code); the JIT needs a
        // dozen more before the steady state the median reports
        long c0 = System.nanoTime();
        LintReport warm = linter.lint(List.of(), migrations);
        long cold = (System.nanoTime() - c0) / 1_000_000;
        for (int i = 0; i < 20; i++) {
            warm = linter.lint(List.of(), migrations);
        }
        long[] ms = new long[runs];
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            linter.lint(List.of(), migrations);
            ms[i] = (System.nanoTime() - t0) / 1_000_000;
        }
        long[] sorted = ms.clone();
        Arrays.sort(sorted);
        long median = Math.max(1, sorted[runs / 2]);
        int statements = warm.statements();
        long bytes = migrations.stream().mapToLong(m -> m.upSql().length()).sum();
        System.out.printf(Locale.ROOT, "lint: %d migrations, %d statements, %.1f MB of SQL, %d findings%n", n, statements,
                bytes / 1e6, warm.findings().size());
        System.out.printf(Locale.ROOT, "first (cold) run: %d ms, %,.0f statements/s%n", cold, statements * 1000.0 / Math.max(1, cold));
        System.out.printf(Locale.ROOT, "runs after warm-up (ms): %s%n", Arrays.toString(ms));
        System.out.printf(Locale.ROOT, "median %d ms: %,.0f statements/s, %,.0f migrations/s (%s, %d cores)%n", median,
                statements * 1000.0 / median, n * 1000.0 / median, System.getProperty("java.vm.name"),
                Runtime.getRuntime().availableProcessors());
        // the migrate refusal judges only pending migrations: time one pending migration against the whole history
        Linter run = new Linter(LintConfig.DEFAULT, SqlFlavor.POSTGRES, 15, true);
        long t0 = System.nanoTime();
        run.lintRun(migrations.subList(0, n - 1), migrations.subList(n - 1, n));
        System.out.printf(Locale.ROOT, "migrate's check of 1 pending migration over %d applied: %d ms%n", n - 1,
                (System.nanoTime() - t0) / 1_000_000);
    }

    /**
     * Rehearses {@code m} pending migrations (the generated ones from 7 on, over a migrated base of 6) on a fresh database
     * and prints the time per migration, and the whole run with the schema copy and the scratch database's drop.
     */
    static void rehearsal(int m, String jdbc) throws Exception {
        String name = "lintbench_" + Long.toHexString(System.nanoTime());
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("lintbench");
        try (java.sql.Connection admin = java.sql.DriverManager.getConnection(jdbc + "postgres", "postgres", "");
             java.sql.Statement st = admin.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        }
        try {
            List<Migration> all = generate(m + 6);
            for (Migration x : all.subList(0, 6)) {
                java.nio.file.Files.writeString(dir.resolve(x.script()), x.upSql());
            }
            dev.switchback.migration.Migrator migrator = dev.switchback.migration.Switchback.configure().url(jdbc + name)
                    .user("postgres").baseDir(dir).locations(".").allowUnsafe(true).environment(java.util.Map.of()).load();
            migrator.migrate();
            for (Migration x : all.subList(6, all.size())) {
                java.nio.file.Files.writeString(dir.resolve(x.script()), x.upSql());
            }
            long t0 = System.nanoTime();
            dev.switchback.migration.lint.RehearsalReport r = new dev.switchback.migration.lint.Rehearsal(migrator.config(),
                    LintConfig.DEFAULT, "pg_dump", "psql").run(migrator, null);
            long total = (System.nanoTime() - t0) / 1_000_000;
            long[] ms = r.migrations().stream().filter(dev.switchback.migration.lint.RehearsalReport.Migration::rehearsed)
                    .mapToLong(dev.switchback.migration.lint.RehearsalReport.Migration::ms).sorted().toArray();
            int statements = r.migrations().stream().mapToInt(x -> x.statements().size()).sum();
            System.out.printf(Locale.ROOT, "rehearsal: %d pending migrations (%d rehearsed, %d statements run) in %d ms including the "
                            + "schema copy and drop; per rehearsed migration: median %d ms, p90 %d ms, max %d ms; %d disagreements%n",
                    m, ms.length, statements, total, ms[ms.length / 2], ms[(int) (ms.length * 0.9)], ms[ms.length - 1],
                    r.disagreements());
        } finally {
            try (java.sql.Connection admin = java.sql.DriverManager.getConnection(jdbc + "postgres", "postgres", "");
                 java.sql.Statement st = admin.createStatement()) {
                st.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            }
        }
    }

    /** Migrations like a real project's: tables, indexes, columns, backfills, functions, comments and quoted text. */
    static List<Migration> generate(int n) {
        List<Migration> out = new ArrayList<>(n);
        for (int i = 1; i <= n; i++) {
            StringBuilder sql = new StringBuilder();
            sql.append("-- Step ").append(i).append(": keeps the sample realistic; 'quotes' and ; in comments\n");
            // groups of six: the first creates a table, the next five change it, so the SQL also runs for a rehearsal
            int base = i - (i - 1) % 6;
            String t = "t" + base;
            switch ((i - 1) % 6) {
                case 0 -> sql.append("CREATE TABLE ").append(t).append(" (\n    id bigint PRIMARY KEY,\n    name varchar(100) NOT NULL,\n")
                        .append("    note text DEFAULT 'a; b',\n    created_at timestamptz NOT NULL DEFAULT now()\n);\n")
                        .append("CREATE INDEX ").append(t).append("_created_idx ON ").append(t).append(" (created_at);\n")
                        .append("INSERT INTO ").append(t).append(" (id, name) VALUES (1, 'it''s'), (2, 'DROP TABLE x');\n");
                case 1 -> sql.append("ALTER TABLE ").append(t).append(" ADD COLUMN flag boolean NOT NULL DEFAULT false;\n")
                        .append("ALTER TABLE ").append(t).append(" ALTER COLUMN name TYPE varchar(200);\n")
                        .append("COMMENT ON COLUMN ").append(t).append(".flag IS 'set by the importer';\n");
                case 2 -> sql.append("UPDATE ").append(t).append(" SET note = upper(note) WHERE id BETWEEN 1 AND 10000;\n")
                        .append("ALTER TABLE ").append(t).append(" ADD CONSTRAINT ").append(t).append("_name_nn CHECK (name <> '') NOT VALID;\n");
                case 3 -> sql.append("CREATE OR REPLACE FUNCTION f").append(i).append("() RETURNS trigger LANGUAGE plpgsql AS $fn$\n")
                        .append("BEGIN\n  NEW.note := coalesce(NEW.note, '');\n  RETURN NEW;\nEND;\n$fn$;\n")
                        .append("CREATE TRIGGER t").append(i).append("_touch BEFORE UPDATE ON ").append(t)
                        .append(" FOR EACH ROW EXECUTE FUNCTION f").append(i).append("();\n");
                case 4 -> sql.append("ALTER TABLE ").append(t).append(" VALIDATE CONSTRAINT ").append(t).append("_name_nn;\n")
                        .append("CREATE TABLE log").append(i).append(" AS SELECT id, name FROM ").append(t).append(";\n")
                        .append("DROP INDEX IF EXISTS ").append(t).append("_created_idx;\n");
                default -> sql.append("-- switchback:no-transaction\nCREATE INDEX CONCURRENTLY IF NOT EXISTS ").append(t)
                        .append("_name_idx ON ").append(t).append(" (name);\n");
            }
            String text = sql.toString();
            String script = String.format(Locale.ROOT, "%05d_step.sql", i);
            out.add(new Migration(Version.parse(String.valueOf(i)), "step", script, text, null, null,
                    Directives.parse(script, text), Checksum.of(text)));
        }
        return out;
    }
}
