package dev.switchback.bench;

import dev.switchback.bench.Probe.Sample;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.Callable;

/**
 * Applies N generated migrations with Switchback, with a bare JDBC loop (the limit) and with Flyway 11, each on a
 * fresh PostgreSQL database, then times the no-op start-up check on the migrated databases. See {@link #USAGE}.
 */
public final class MigrationBench {
    static final String USAGE = """
            usage: java -jar switchback-bench.jar [N ...] [options]      (default N: 1000 5000)
              --apply-runs=K   apply each N K times per tool on fresh databases, median kept (default 1)
              --repeats=K      no-op checks in-process per tool, median reported (default 5)
              --cli-runs=K     fresh bin/switchback processes for the no-op check, median reported (default 3)
              --warmup=N       unreported warm-up with N migrations before the first size (default 300, 0 = none)
              --no-flyway      skip Flyway        --no-cli   skip the bin/switchback process check
              --jdbc=URL       server URL without a database (default jdbc:postgresql://127.0.0.1:5432/)
              --user=U --password=P   (default postgres, no password)
              --cli=PATH       the CLI launcher (default bin/switchback, relative to the working directory)
              --async-commit   create the databases with synchronous_commit=off: takes the disk flush out of
                               every tool's apply time alike, to see client overhead on a noisy disk
              --tool-log=PATH  where Switchback's and Flyway's own INFO logs go (default: temp dir)""";

    /** Run settings from the command line. */
    record Options(List<Integer> sizes, int applyRuns, int repeats, int cliRuns, int warmup, boolean flyway, boolean cli,
                   boolean asyncCommit, String jdbc, String user, String password, Path cliPath, Path toolLog) {
        static Options parse(String[] args) {
            List<Integer> sizes = new ArrayList<>();
            int applyRuns = 1, repeats = 5, cliRuns = 3, warmup = 300;
            boolean flyway = true, cli = true, asyncCommit = false;
            String jdbc = "jdbc:postgresql://127.0.0.1:5432/", user = "postgres", password = "";
            Path cliPath = Path.of("bin/switchback");
            Path toolLog = Path.of(System.getProperty("java.io.tmpdir"), "switchback-bench-tools.log");
            for (String a : args) {
                String v = a.contains("=") ? a.substring(a.indexOf('=') + 1) : "";
                if (a.matches("\\d+")) {
                    sizes.add(Integer.parseInt(a));
                } else if (a.startsWith("--apply-runs=")) {
                    applyRuns = Integer.parseInt(v);
                } else if (a.equals("--async-commit")) {
                    asyncCommit = true;
                } else if (a.startsWith("--repeats=")) {
                    repeats = Integer.parseInt(v);
                } else if (a.startsWith("--cli-runs=")) {
                    cliRuns = Integer.parseInt(v);
                } else if (a.startsWith("--warmup=")) {
                    warmup = Integer.parseInt(v);
                } else if (a.equals("--no-flyway")) {
                    flyway = false;
                } else if (a.equals("--no-cli")) {
                    cli = false;
                } else if (a.startsWith("--jdbc=")) {
                    jdbc = v;
                } else if (a.startsWith("--user=")) {
                    user = v;
                } else if (a.startsWith("--password=")) {
                    password = v;
                } else if (a.startsWith("--cli=")) {
                    cliPath = Path.of(v);
                } else if (a.startsWith("--tool-log=")) {
                    toolLog = Path.of(v);
                } else {
                    System.err.println((a.equals("--help") || a.equals("-h") ? "" : "unknown argument: " + a + "\n") + USAGE);
                    System.exit(a.equals("--help") || a.equals("-h") ? 0 : 2);
                }
            }
            if (sizes.isEmpty()) {
                sizes = List.of(1000, 5000);
            }
            if (applyRuns < 1 || repeats < 1 || cliRuns < 1 || sizes.stream().anyMatch(n -> n < 1)) {
                System.err.println("N, --apply-runs, --repeats and --cli-runs must be at least 1\n" + USAGE);
                System.exit(2);
            }
            return new Options(sizes, applyRuns, repeats, cliRuns, warmup, flyway, cli, asyncCommit, jdbc, user, password, cliPath, toolLog);
        }
    }

    /** Everything measured for one N; Flyway and CLI values are null when skipped. */
    record Result(int n, Sample<Integer> raw, Sample<Integer> switchback, Sample<Integer> flyway,
                  double switchbackNoopMs, Double cliNoopMs, Double flywayNoopMs) {
    }

    private final Options opt;
    private final Pg pg;
    private final Tools tools;

    private MigrationBench(Options opt) {
        this.opt = opt;
        this.pg = new Pg(opt.jdbc(), opt.user(), opt.password(), opt.asyncCommit());
        this.tools = new Tools(pg, opt.cliPath());
    }

    public static void main(String[] args) throws Exception {
        Options opt = Options.parse(args);
        // Both tools log every applied migration at INFO, as they would in production; the cost of that stays
        // in the measurement, but the lines go to a file so the table stays readable. Set before any logger exists.
        System.setProperty("org.slf4j.simpleLogger.logFile", opt.toolLog().toString());
        System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
        new MigrationBench(opt).run();
    }

    private void run() throws Exception {
        System.out.printf("Switchback migration benchmark: Switchback %s vs raw JDBC loop vs Flyway %s%n",
                version("dev.switchback", "switchback-core"), version("org.flywaydb", "flyway-core"));
        System.out.printf("PostgreSQL %s at %s%s, Java %s, max heap %d MB, %d CPUs; tool logs (INFO) -> %s%n",
                pg.serverVersion(), opt.jdbc(), opt.asyncCommit() ? " (synchronous_commit=off)" : "",
                System.getProperty("java.version"), Probe.maxHeapBytes() >> 20,
                Runtime.getRuntime().availableProcessors(), opt.toolLog());
        if (opt.warmup() > 0) {
            // Same code paths on a small N first, so neither tool pays class loading and JIT for the other.
            long t0 = System.nanoTime();
            scenario(opt.warmup(), 0, 2, false);
            System.out.printf("warm-up with N=%d done in %.1f s (not reported)%n", opt.warmup(), (System.nanoTime() - t0) / 1e9);
        }
        List<Result> results = new ArrayList<>();
        for (int i = 0; i < opt.sizes().size(); i++) {
            // The database server shares this machine: a busy machine (other builds, tests) shows up here and
            // explains noisy wall times, which CPU time is much less sensitive to.
            double loadBefore = Probe.loadAverage();
            Result r = scenario(opt.sizes().get(i), i + 1, opt.repeats(), opt.cli());
            results.add(r);
            printResult(r, loadBefore, Probe.loadAverage());
        }
        printSummary(results);
    }

    /** One way of applying a workload to a database; returns how many migrations it applied. */
    @FunctionalInterface
    interface Apply {
        int run(String db, Workload w) throws Exception;
    }

    record Contender(String key, Apply apply) {
    }

    /**
     * One N: generates the files, applies them with each tool on its own fresh database ({@code --apply-runs} times,
     * median kept; the starting tool rotates so no tool always runs first or last), times the no-op checks on the last
     * run's databases, then drops them.
     */
    private Result scenario(int n, int round, int repeats, boolean withCli) throws Exception {
        List<Contender> contenders = new ArrayList<>(List.of(
                new Contender("raw", tools::raw), new Contender("switchback", tools::switchback)));
        if (opt.flyway()) {
            contenders.add(new Contender("flyway", tools::flyway));
        }
        Map<String, List<Sample<Integer>>> samples = new HashMap<>();
        Map<String, String> dbs = new HashMap<>();
        try (Workload w = Workload.generate(n)) {
            for (int run = 0; run < opt.applyRuns(); run++) {
                dropAll(dbs); // the previous run's databases; the last run's stay for the no-op checks
                for (Contender c : contenders) {
                    dbs.put(c.key(), pg.create("n" + n + "_" + c.key()));
                }
                for (int k = 0; k < contenders.size(); k++) {
                    Contender c = contenders.get((k + round + run) % contenders.size());
                    samples.computeIfAbsent(c.key(), x -> new ArrayList<>()).add(apply(c, n, dbs.get(c.key()), w));
                }
            }
            String sbDb = dbs.get("switchback");
            String fwDb = dbs.get("flyway");

            // No-op checks alternate between the tools so drift (autovacuum, page cache) hits both alike.
            List<Double> sbNoop = new ArrayList<>();
            List<Double> fwNoop = new ArrayList<>();
            for (int r = 0; r < repeats; r++) {
                boolean switchbackFirst = (r + round) % 2 == 0;
                if (switchbackFirst) {
                    sbNoop.add(noop("Switchback", () -> tools.switchback(sbDb, w)));
                }
                if (fwDb != null) {
                    fwNoop.add(noop("Flyway", () -> tools.flyway(fwDb, w)));
                }
                if (!switchbackFirst) {
                    sbNoop.add(noop("Switchback", () -> tools.switchback(sbDb, w)));
                }
            }
            Double cli = null;
            if (withCli) {
                // The first process is not counted: it pays the cold page cache for the jar, and bin/switchback
                // rebuilds the jar there if its sources changed since the build.
                tools.cliMigrate(sbDb, w);
                List<Double> cliMs = new ArrayList<>();
                for (int r = 0; r < opt.cliRuns(); r++) {
                    cliMs.add(Probe.wallNanos(() -> {
                        tools.cliMigrate(sbDb, w);
                        return null;
                    }) / 1e6);
                }
                cli = median(cliMs);
            }
            return new Result(n, medianByWall(samples.get("raw")), medianByWall(samples.get("switchback")),
                    medianByWall(samples.get("flyway")), median(sbNoop), cli, fwDb == null ? null : median(fwNoop));
        } finally {
            dropAll(dbs);
        }
    }

    private void dropAll(Map<String, String> dbs) throws java.sql.SQLException {
        for (String db : dbs.values()) {
            pg.drop(db);
        }
        dbs.clear();
    }

    /** The run with the median wall time, kept whole so its CPU and heap figures belong to the same run. */
    static Sample<Integer> medianByWall(List<Sample<Integer>> runs) {
        if (runs == null) {
            return null;
        }
        List<Sample<Integer>> sorted = runs.stream().sorted(Comparator.comparingLong(Sample::wallNanos)).toList();
        return sorted.get((sorted.size() - 1) / 2);
    }

    /** Measures one apply phase, started from a settled server, and insists that all N migrations were applied. */
    private Sample<Integer> apply(Contender c, int n, String db, Workload w) throws Exception {
        pg.settle(); // the previous tool's dirty tables, the new databases and the generated files are not this one's cost
        Sample<Integer> s = Probe.measure(() -> c.apply().run(db, w));
        if (s.value() != n) {
            throw new IllegalStateException(c.key() + " applied " + s.value() + " of " + n + " migrations");
        }
        // every run, in the order run, so the spread behind a median (and any drift along the run) can be seen
        System.out.printf("  . apply N=%d %-10s %10.1f ms wall %8.1f ms CPU%n", n, c.key(), s.wallMs(), s.cpuMs());
        return s;
    }

    /** Measures one no-op check (in ms) and insists that it applied nothing. */
    private static double noop(String tool, Callable<Integer> phase) throws Exception {
        Sample<Integer> s = Probe.measure(phase);
        if (s.value() != 0) {
            throw new IllegalStateException(tool + " applied " + s.value() + " migrations on an up-to-date database");
        }
        System.out.printf("  . no-op %-10s %10.1f ms wall %8.1f ms CPU%n", tool, s.wallMs(), s.cpuMs());
        return s.wallMs();
    }

    private void printResult(Result r, double loadBefore, double loadAfter) {
        System.out.printf("%nN = %d migrations (each: CREATE TABLE + INSERT), fresh database per tool and run;"
                + " 1-min load average %.1f before, %.1f after%n", r.n(), loadBefore, loadAfter);
        System.out.printf("  %-44s %10s %10s %10s %13s%n", opt.applyRuns() == 1 ? "apply all N" : "apply all N (run with median wall of " + opt.applyRuns() + ")", "wall ms", "CPU ms", "alloc MB", "peak heap MB");
        applyRow("raw JDBC loop (the limit)", r.raw());
        applyRow("Switchback, in-process", r.switchback());
        applyRow("Flyway, in-process", r.flyway());
        System.out.printf("  %-44s %10s%n", "no-op check, all N applied (median)", "wall ms");
        System.out.printf("  %-44s %10.1f%n", "Switchback, in-process (" + opt.repeats() + " runs)", r.switchbackNoopMs());
        if (r.cliNoopMs() != null) {
            System.out.printf("  %-44s %10.1f%n", "Switchback, fresh bin/switchback (" + opt.cliRuns() + " runs)", r.cliNoopMs());
        }
        if (r.flywayNoopMs() != null) {
            System.out.printf("  %-44s %10.1f%n", "Flyway, in-process (" + opt.repeats() + " runs)", r.flywayNoopMs());
        }
        System.out.flush();
    }

    private static void applyRow(String label, Sample<Integer> s) {
        if (s != null) {
            System.out.printf("  %-44s %10.1f %10.1f %10.1f %13.1f%n", label, s.wallMs(), s.cpuMs(),
                    s.allocBytes() / 1048576.0, s.peakHeapBytes() / 1048576.0);
        }
    }

    private void printSummary(List<Result> results) {
        System.out.printf("%nRatios (wall time)%n  %-44s", "");
        for (Result r : results) {
            System.out.printf(" %-10s", "  N=" + r.n());
        }
        System.out.printf("   target%n");
        ratioRow(results, "Switchback apply / raw loop", "<= 1.15", 1.15, false, false,
                r -> r.switchback().wallMs() / r.raw().wallMs());
        if (opt.flyway()) {
            ratioRow(results, "Flyway apply / Switchback apply", ">= 2.5 at N=5000", 2.5, true, true,
                    r -> r.flyway().wallMs() / r.switchback().wallMs());
            ratioRow(results, "Flyway no-op / Switchback no-op (in-process)", ">= 10 at N=5000", 10, true, true,
                    r -> r.flywayNoopMs() / r.switchbackNoopMs());
        }
        System.out.printf("%nRatios (process CPU time, for reading; no target)%n");
        ratioRow(results, "Switchback apply / raw loop", "", 0, false, false,
                r -> r.switchback().cpuMs() / r.raw().cpuMs());
        if (opt.flyway()) {
            ratioRow(results, "Flyway apply / Switchback apply", "", 0, false, false,
                    r -> r.flyway().cpuMs() / r.switchback().cpuMs());
        }
        System.out.println("\n(peak heap: sum of the heap pools' peaks after a GC and reset before the phase;"
                + " alloc: bytes allocated by the benchmark thread)");
    }

    /**
     * One line of ratios. A verdict (ok / NO) is printed when {@code bound} is set, only at N=5000 when
     * {@code only5000}; {@code atLeast} says which side of the bound passes.
     */
    private static void ratioRow(List<Result> results, String label, String target, double bound, boolean atLeast,
                                 boolean only5000, java.util.function.ToDoubleFunction<Result> ratio) {
        System.out.printf("  %-44s", label);
        for (Result r : results) {
            double x = Math.round(ratio.applyAsDouble(r) * 100) / 100.0; // judge the figure as printed
            String verdict = bound == 0 || (only5000 && r.n() != 5000) ? " " : (atLeast ? x >= bound : x <= bound) ? "ok" : "NO";
            System.out.printf(Locale.ROOT, " %6.2f %-3s", x, verdict);
        }
        System.out.printf("   %s%n", target);
    }

    static double median(List<Double> xs) {
        List<Double> s = xs.stream().sorted().toList();
        int m = s.size() / 2;
        return s.size() % 2 == 1 ? s.get(m) : (s.get(m - 1) + s.get(m)) / 2;
    }

    /** A library's version from the Maven metadata the shaded jar keeps. */
    private static String version(String group, String artifact) {
        try (InputStream in = MigrationBench.class.getResourceAsStream(
                "/META-INF/maven/" + group + "/" + artifact + "/pom.properties")) {
            if (in == null) {
                return "?";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "?");
        } catch (java.io.IOException e) {
            return "?";
        }
    }
}
