package dev.switchback.bench.boot;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Spring Boot start-up with N applied migrations and nothing pending: {@link BenchApp} started RUNS times with each of
 * Switchback's starter (its checksum cache and up-to-date snapshot kept between starts, as on a host or volume),
 * Switchback's starter with the cache off (a fresh container every start) and Spring Boot's Flyway starter, on the
 * same files, Switchback's starter reading them from a class path folder ({@code classpath:db/migration}, Spring
 * Boot's default kind of location), each in a fresh JVM, alternating (the order turns each round). Reports the medians and ranges of the
 * time from JVM start to the ready event and of the migration check.
 * <p>Usage: {@code BootStartupBench [N] [RUNS]} (default 1000 10), against PostgreSQL at 127.0.0.1:5432 as postgres.
 */
public final class BootStartupBench {
    static final String PG = "jdbc:postgresql://127.0.0.1:5432/";

    private BootStartupBench() {
    }

    record Run(double readyMs, double checkMs) {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        Path work = Files.createTempDirectory("bench-boot");
        Path migrations = Files.createDirectories(work.resolve("migrations"));
        for (int i = 1; i <= n; i++) {
            Files.writeString(migrations.resolve("V" + i + "__step_" + i + ".sql"),
                    "CREATE TABLE t" + i + " (id BIGINT PRIMARY KEY, name TEXT NOT NULL);\n"
                            + "CREATE INDEX t" + i + "_name ON t" + i + " (name);\n");
        }
        // the same files under a class path folder, for Spring Boot's default kind of location (classpath:db/migration)
        Path classpathRoot = work.resolve("cp");
        Path cpMigrations = Files.createDirectories(classpathRoot.resolve("db").resolve("migration"));
        try (var files = Files.list(migrations)) {
            for (Path f : files.toList()) {
                Files.copy(f, cpMigrations.resolve(f.getFileName()));
            }
        }
        String suffix = Long.toString(ProcessHandle.current().pid());
        String swDb = "bench_boot_sw_" + suffix;
        String fwDb = "bench_boot_fw_" + suffix;
        String cpDb = "bench_boot_cp_" + suffix;
        admin("CREATE DATABASE " + swDb);
        admin("CREATE DATABASE " + cpDb);
        admin("CREATE DATABASE " + fwDb);
        try {
            Map<String, List<String>> variants = new LinkedHashMap<>();
            variants.put("switchback", args(swDb, "--spring.flyway.enabled=false", "--switchback.locations=" + migrations));
            variants.put("switchback, cache off", args(swDb, "--spring.flyway.enabled=false", "--switchback.locations=" + migrations));
            variants.put("switchback, classpath:", args(cpDb, "--spring.flyway.enabled=false",
                    "--switchback.locations=classpath:db/migration"));
            variants.put("flyway", args(fwDb, "--switchback.enabled=false",
                    "--spring.flyway.locations=filesystem:" + migrations));
            System.out.printf(Locale.ROOT, "Spring Boot 4.0.7 start-up, %d applied migrations, nothing pending; %d runs each, alternating%n", n, runs);
            // the first start applies the N migrations (once per tool), and is reported apart
            for (String tool : List.of("switchback", "switchback, classpath:", "flyway")) {
                Run first = start(work, runDir(work, tool), variants.get(tool), tool.equals("switchback, cache off"));
                System.out.printf(Locale.ROOT, "  first start (applies %d) with %-22s ready %7.0f ms, migration %7.0f ms%n", n, tool + ":", first.readyMs, first.checkMs);
            }
            Map<String, List<Run>> results = new LinkedHashMap<>();
            variants.keySet().forEach(k -> results.put(k, new ArrayList<>()));
            List<String> order = new ArrayList<>(variants.keySet());
            for (int r = 0; r < runs; r++) {
                for (String tool : order) {
                    results.get(tool).add(start(work, runDir(work, tool), variants.get(tool), tool.equals("switchback, cache off")));
                }
                java.util.Collections.reverse(order);
            }
            System.out.printf(Locale.ROOT, "  %-22s %-28s %-28s%n", "", "JVM start -> ready (ms)", "migration check (ms)");
            for (Map.Entry<String, List<Run>> e : results.entrySet()) {
                System.out.printf(Locale.ROOT, "  %-22s %-28s %-28s%n", e.getKey(),
                        summary(e.getValue().stream().mapToDouble(Run::readyMs).toArray()),
                        summary(e.getValue().stream().mapToDouble(Run::checkMs).toArray()));
            }
            double sw = median(results.get("switchback").stream().mapToDouble(Run::checkMs).toArray());
            double swCold = median(results.get("switchback, cache off").stream().mapToDouble(Run::checkMs).toArray());
            double swCp = median(results.get("switchback, classpath:").stream().mapToDouble(Run::checkMs).toArray());
            double fw = median(results.get("flyway").stream().mapToDouble(Run::checkMs).toArray());
            System.out.printf(Locale.ROOT, "  check, Switchback / Flyway: %.2f (cache kept), %.2f (cache off), %.2f (classpath:); target <= 0.33%n",
                    sw / fw, swCold / fw, swCp / fw);
        } finally {
            admin("DROP DATABASE IF EXISTS " + swDb + " WITH (FORCE)");
            admin("DROP DATABASE IF EXISTS " + fwDb + " WITH (FORCE)");
            admin("DROP DATABASE IF EXISTS " + cpDb + " WITH (FORCE)");
        }
    }

    private static List<String> args(String db, String... more) {
        List<String> a = new ArrayList<>(List.of("--spring.datasource.url=" + PG + db, "--spring.datasource.username=postgres",
                "--server.port=0", "--spring.main.banner-mode=off", "--logging.level.root=warn"));
        a.addAll(List.of(more));
        return a;
    }

    /**
     * The folder a variant runs in, where Switchback keeps its checksum cache and up-to-date snapshot: one per variant, as
     * each would have on its own host or volume (sharing one, each variant's start replaced the other's snapshot, so
     * "cache kept" measured a full check whenever another variant had run in between).
     */
    private static Path runDir(Path work, String tool) throws IOException {
        return Files.createDirectories(work.resolve("run-" + tool.replaceAll("[^a-z]+", "-")));
    }

    /** One start of {@link BenchApp} in a fresh JVM, in {@code dir} (where Switchback keeps its cache). */
    private static Run start(Path work, Path dir, List<String> appArgs, boolean cacheOff) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-cp", System.getProperty("java.class.path") + java.io.File.pathSeparator + work.resolve("cp"), BenchApp.class.getName()));
        cmd.addAll(appArgs);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
        if (cacheOff) {
            pb.environment().put("SWITCHBACK_MIGRATIONS_CHECKSUM_CACHE", "off");
        }
        Process p = pb.start();
        String line = null;
        StringBuilder out = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String l; (l = r.readLine()) != null; ) {
                out.append(l).append('\n');
                if (l.startsWith("BENCH ")) {
                    line = l;
                }
            }
        }
        if (p.waitFor() != 0 || line == null) {
            throw new IllegalStateException("The application failed to start:\n" + out);
        }
        String[] parts = line.split(" ");
        return new Run(Double.parseDouble(parts[1].substring("ready_ms=".length())), Double.parseDouble(parts[2].substring("check_ms=".length())));
    }

    static String summary(double[] values) {
        double[] s = values.clone();
        java.util.Arrays.sort(s);
        return String.format(Locale.ROOT, "%.0f [%.0f-%.0f]", median(s), s[0], s[s.length - 1]);
    }

    static double median(double[] values) {
        double[] s = values.clone();
        java.util.Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    static void admin(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(PG + "postgres", "postgres", null); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
