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
 * warm-up, median of several runs. No database is needed. Run it with
 * <pre>
 *   mvn -q -B -DskipTests install
 *   java -cp switchback-bench/target/switchback-bench.jar dev.switchback.bench.LintBench [N] [--runs=K]
 * </pre>
 */
public final class LintBench {
    private LintBench() {
    }

    public static void main(String[] args) {
        int n = 5000;
        int runs = 7;
        for (String a : args) {
            if (a.matches("\\d+")) {
                n = Integer.parseInt(a);
            } else if (a.startsWith("--runs=")) {
                runs = Integer.parseInt(a.substring(7));
            } else {
                System.err.println("usage: LintBench [N] [--runs=K]   (default 5000 migrations, 7 runs)");
                System.exit(2);
            }
        }
        List<Migration> migrations = generate(n);
        Linter linter = new Linter(LintConfig.DEFAULT, SqlFlavor.POSTGRES, 15, true);
        LintReport warm = null;
        for (int i = 0; i < 3; i++) {
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
        System.out.printf(Locale.ROOT, "runs (ms): %s%n", Arrays.toString(ms));
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

    /** Migrations like a real project's: tables, indexes, columns, backfills, functions, comments and quoted text. */
    static List<Migration> generate(int n) {
        List<Migration> out = new ArrayList<>(n);
        for (int i = 1; i <= n; i++) {
            StringBuilder sql = new StringBuilder();
            sql.append("-- Migration ").append(i).append(": keeps the sample realistic; 'quotes' and ; in comments\n");
            switch (i % 6) {
                case 0 -> sql.append("-- switchback:no-transaction\nCREATE INDEX CONCURRENTLY IF NOT EXISTS t").append(i - 1)
                        .append("_name_idx ON t").append(i - 1).append(" (name);\n");
                case 1 -> sql.append("CREATE TABLE t").append(i).append(" (\n    id bigint PRIMARY KEY,\n    name varchar(100) NOT NULL,\n")
                        .append("    note text DEFAULT 'a; b',\n    created_at timestamptz NOT NULL DEFAULT now()\n);\n")
                        .append("CREATE INDEX t").append(i).append("_created_idx ON t").append(i).append(" (created_at);\n")
                        .append("INSERT INTO t").append(i).append(" (id, name) VALUES (1, 'it''s'), (2, 'DROP TABLE x');\n");
                case 2 -> sql.append("ALTER TABLE t").append(i - 1).append(" ADD COLUMN flag boolean NOT NULL DEFAULT false;\n")
                        .append("ALTER TABLE t").append(i - 1).append(" ALTER COLUMN name TYPE varchar(200);\n")
                        .append("COMMENT ON COLUMN t").append(i - 1).append(".flag IS 'set by the importer';\n");
                case 3 -> sql.append("UPDATE t").append(i - 2).append(" SET note = upper(note) WHERE id BETWEEN 1 AND 10000;\n")
                        .append("ALTER TABLE t").append(i - 2).append(" ADD CONSTRAINT t").append(i).append("_name_nn CHECK (name <> '') NOT VALID;\n");
                case 4 -> sql.append("CREATE OR REPLACE FUNCTION f").append(i).append("() RETURNS trigger LANGUAGE plpgsql AS $fn$\n")
                        .append("BEGIN\n  NEW.note := coalesce(NEW.note, '');\n  RETURN NEW;\nEND;\n$fn$;\n")
                        .append("CREATE TRIGGER t").append(i).append("_touch BEFORE UPDATE ON t").append(i - 3)
                        .append(" FOR EACH ROW EXECUTE FUNCTION f").append(i).append("();\n");
                default -> sql.append("ALTER TABLE t").append(i - 4).append(" VALIDATE CONSTRAINT t").append(i - 2).append("_name_nn;\n")
                        .append("CREATE TABLE log").append(i).append(" AS SELECT id, name FROM t").append(i - 4).append(";\n")
                        .append("DROP INDEX IF EXISTS t").append(i - 4).append("_created_idx;\n");
            }
            String text = sql.toString();
            String script = String.format(Locale.ROOT, "%05d_step.sql", i);
            out.add(new Migration(Version.parse(String.valueOf(i)), "step", script, text, null, null,
                    Directives.parse(script, text), Checksum.of(text)));
        }
        return out;
    }
}
