package dev.switchback.bench;

import dev.switchback.backup.BackupConfig;
import dev.switchback.backup.BackupSetting;
import dev.switchback.backup.BackupVerification;
import dev.switchback.backup.Backups;
import dev.switchback.backup.Manifest;
import dev.switchback.backup.RestoreOptions;
import dev.switchback.migration.Migrator;
import dev.switchback.migration.Switchback;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Issue 3: what Switchback's PostgreSQL backups cost over the bare tools. On a generated database of about 1 GB it
 * alternates plain {@code pg_dump -Fc -f} with {@link Backups#create}, then plain
 * {@code pg_restore --clean --if-exists --no-owner --single-transaction -d} with {@link Backups#restore} (no safety
 * backup), reports every run, the medians and the ratio ours/raw (target at most 1.05), and the JVM's peak heap during
 * our runs. Run it with {@code -Xmx128m}: the heap must stay flat whatever the database size. When a ratio misses the
 * target it also times the pieces of our path on their own and prints where a sampled main thread spent its time.
 * Everything it creates (the database, dumps, backups) is removed at the end, also on Ctrl-C. See {@link #USAGE}.
 */
public final class BackupBench {
    static final String USAGE = """
            usage: java -Xmx128m -cp switchback-bench.jar dev.switchback.bench.BackupBench [options]
              --runs=K        timed runs per tool and operation, alternating raw/ours (default 3, at least 2)
              --size-mb=N     generate until pg_database_size reaches N MB (default 1024)
              --host=H --port=P --user=U --password=W   PostgreSQL server (default 127.0.0.1 5432 postgres, no password)
              --phases        always time the pieces of our create/restore (default: only when a ratio misses 1.05)
              --no-warmup     skip the unreported pg_dump that warms the page cache before the first timed run
              --no-pipe       skip the reference restore through a shell pg_restore -f - | psql (our engine's path, no JVM)""";
    static final double TARGET = 1.05;

    record Options(int runs, long sizeBytes, String host, int port, String user, String password, boolean phases,
                   boolean warmup, boolean pipe) {
        static Options parse(String[] args) {
            int runs = 3;
            long size = 1024L * 1024 * 1024;
            String host = "127.0.0.1", user = "postgres", password = "";
            int port = 5432;
            boolean phases = false, warmup = true, pipe = true;
            for (String a : args) {
                String v = a.contains("=") ? a.substring(a.indexOf('=') + 1) : "";
                if (a.startsWith("--runs=")) {
                    runs = Integer.parseInt(v);
                } else if (a.startsWith("--size-mb=")) {
                    size = Long.parseLong(v) * 1024 * 1024;
                } else if (a.startsWith("--host=")) {
                    host = v;
                } else if (a.startsWith("--port=")) {
                    port = Integer.parseInt(v);
                } else if (a.startsWith("--user=")) {
                    user = v;
                } else if (a.startsWith("--password=")) {
                    password = v;
                } else if (a.equals("--phases")) {
                    phases = true;
                } else if (a.equals("--no-warmup")) {
                    warmup = false;
                } else if (a.equals("--no-pipe")) {
                    pipe = false;
                } else {
                    boolean help = a.equals("--help") || a.equals("-h");
                    System.err.println((help ? "" : "unknown argument: " + a + "\n") + USAGE);
                    System.exit(help ? 0 : 2);
                }
            }
            if (runs < 2) {
                System.err.println("--runs must be at least 2\n" + USAGE);
                System.exit(2);
            }
            return new Options(runs, size, host, port, user, password, phases, warmup, pipe);
        }
    }

    /** The bare tool, Switchback, or a reference that explains a difference between the two. */
    enum Kind { RAW, OURS, REFERENCE }

    /** One timed run. Heap figures and samples only exist for our runs (-1 and null otherwise). */
    record Run(String op, int n, String tool, Kind kind, double seconds, double cpu, double load, long peakHeap, long peakOld, long gcs,
               Map<String, Integer> samples) {
    }

    private static final List<MemoryPoolMXBean> HEAP_POOLS = ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(p -> p.getType() == MemoryType.HEAP).toList();

    private final Options o;
    private final String db;
    private final Path work;
    private final List<Run> runs = new ArrayList<>();
    private volatile boolean cleaned;

    private BackupBench(Options o) throws IOException {
        this.o = o;
        this.db = "sbbench_backup_" + ProcessHandle.current().pid() + "_" + Long.toString(System.currentTimeMillis() % 1_000_000_000L, 36);
        this.work = Files.createTempDirectory("switchback-backup-bench-");
    }

    public static void main(String[] args) throws Exception {
        // Our library logs each backup at INFO; the report is the table below.
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        Options o = Options.parse(args);
        BackupBench b = new BackupBench(o);
        Runtime.getRuntime().addShutdownHook(new Thread(b::cleanUp, "backup-bench-cleanup"));
        int rc = 0;
        try {
            b.run();
        } catch (Exception | AssertionError e) {
            System.err.println("backup bench failed: " + e);
            e.printStackTrace();
            rc = 1;
        } finally {
            b.cleanUp();
        }
        System.exit(rc);
    }

    // ---------------------------------------------------------------------------------------------- the run

    private void run() throws Exception {
        String server;
        try (Connection c = connect("postgres"); Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SHOW server_version")) {
            rs.next();
            server = rs.getString(1);
        }
        say("PostgreSQL %s at %s:%d, %s; JVM %s, max heap %d MB, %d CPUs", server, o.host, o.port,
                firstLine(exec(List.of("pg_dump", "--version"))), System.getProperty("java.version"),
                Runtime.getRuntime().maxMemory() >> 20, Runtime.getRuntime().availableProcessors());
        admin("CREATE DATABASE " + db);
        say("database %s: generating about %d MB...", db, o.sizeBytes >> 20);
        long t0 = System.nanoTime();
        String shape = populate();
        settle();
        Map<String, Long> expected = fingerprint();
        long dbSize = databaseSize();
        say("  %s; pg_database_size %s; generated in %.0f s", shape, mb(dbSize), (System.nanoTime() - t0) / 1e9);

        Path migrations = Files.createDirectories(work.resolve("migrations")); // empty: the database has no history
        Path rawDir = Files.createDirectories(work.resolve("raw"));
        Map<BackupSetting, String> settings = new EnumMap<>(BackupSetting.class);
        settings.put(BackupSetting.DIRECTORY, work.resolve("backups").toString());
        Switchback.Builder builder = Switchback.configure().url(jdbc(db)).user(o.user).locations(migrations.toString())
                .environment(Map.of()); // SWITCHBACK_* variables of the shell must not change what is measured
        if (!o.password.isEmpty()) {
            builder.password(o.password);
        }
        Migrator migrator = builder.load();
        Backups backups = new Backups(migrator, BackupConfig.from(settings, work));

        if (o.warmup) {
            say("warm-up: one unreported pg_dump (page cache, JIT)...");
            exec(withServer(List.of("pg_dump", "-Fc", "-f", rawDir.resolve("warmup.dump").toString())));
            Files.delete(rawDir.resolve("warmup.dump"));
        }

        // ---- create: raw, ours, raw, ours, ...
        Path rawDump = rawDir.resolve("raw.dump");
        Manifest ours = null;
        for (int i = 1; i <= o.runs; i++) {
            Path f = i == 1 ? rawDump : rawDir.resolve("run" + i + ".dump");
            Run raw = measure("create", i, "pg_dump -Fc -f", Kind.RAW, () -> exec(withServer(List.of("pg_dump", "-Fc", "-f", f.toString()))));
            say(raw, Files.size(f) + " bytes");
            if (i > 1) {
                Files.delete(f);
            }
            Manifest[] m = new Manifest[1];
            String label = "bench-" + i;
            Run r = measure("create", i, "Backups.create", Kind.OURS, () -> m[0] = backups.create(label, null));
            say(r, m[0].sizeBytes() + " bytes");
            if (ours == null) {
                ours = m[0];
            } else {
                deleteTree(work.resolve("backups").resolve(m[0].id()));
            }
        }

        // ---- restore: raw, ours (, the shell pipeline), ... each into the generated database, checked against the original
        String oursId = ours.id();
        Path ourDump = work.resolve("backups").resolve(oursId).resolve(ours.databaseFile().name());
        String pipeline = "set -o pipefail; { printf 'BEGIN;\\n' && pg_restore --clean --if-exists --no-owner -f - \"$1\" && printf 'COMMIT;\\n'; }"
                + " | psql -X -q -v ON_ERROR_STOP=1 -h \"$2\" -p \"$3\" -U \"$4\" --no-password -d \"$5\" >/dev/null";
        for (int i = 1; i <= o.runs; i++) {
            Run raw = measure("restore", i, "pg_restore -1 -d", Kind.RAW, () -> exec(withServer(List.of("pg_restore", "--clean", "--if-exists",
                    "--no-owner", "--single-transaction", rawDump.toString()))));
            check(expected, "after pg_restore run " + i);
            say(raw, "");
            settle();

            Run r = measure("restore", i, "Backups.restore", Kind.OURS,
                    () -> backups.restore(new RestoreOptions(oursId, null, null, null, true, true)));
            check(expected, "after Backups.restore run " + i);
            say(r, "");
            settle();

            if (o.pipe) {
                // Our engine's data path without the JVM and without the extra checks: is the psql route itself slower?
                Run p = measure("restore", i, "shell: pg_restore -f - | psql", Kind.REFERENCE, () -> exec(List.of("bash", "-c", pipeline,
                        "bench", ourDump.toString(), o.host, String.valueOf(o.port), o.user, db)));
                check(expected, "after the shell pipeline run " + i);
                say(p, "");
                settle();
            }
        }

        report(server, dbSize, shape, Files.size(rawDump), ours);

        double createRatio = median("create", Kind.OURS) / median("create", Kind.RAW);
        double restoreRatio = median("restore", Kind.OURS) / median("restore", Kind.RAW);
        if (o.phases || createRatio > TARGET || restoreRatio > TARGET) {
            phases(backups, ours, o.phases || createRatio > TARGET, o.phases || restoreRatio > TARGET);
        }
    }

    private interface Body {
        void run() throws Exception;
    }

    private static double seconds(Body body) throws Exception {
        long t0 = System.nanoTime();
        body.run();
        return (System.nanoTime() - t0) / 1e9;
    }

    /**
     * One timed run after a CHECKPOINT: wall time; client CPU (this JVM plus every child it waited for: pg_dump, pg_restore,
     * psql; it hardly moves when other work competes for the CPUs, unlike wall time); the load average; for our runs the
     * peak heap (reset after a GC just before) and a stack sample of this thread.
     */
    private Run measure(String op, int n, String tool, Kind kind, Body body) throws Exception {
        checkpoint();
        boolean ours = kind == Kind.OURS;
        if (ours) {
            System.gc();
            HEAP_POOLS.forEach(MemoryPoolMXBean::resetPeakUsage);
        }
        long gc0 = gcCount();
        double cpu0 = clientCpuSeconds();
        Sampler sampler = ours ? new Sampler(Thread.currentThread()) : null;
        double s;
        try {
            s = seconds(body);
        } finally {
            if (sampler != null) {
                sampler.stop();
            }
        }
        double cpu = clientCpuSeconds() - cpu0;
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        Run r;
        if (ours) {
            long peak = HEAP_POOLS.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
            long old = HEAP_POOLS.stream().filter(p -> p.getName().contains("Old") || p.getName().contains("Tenured"))
                    .mapToLong(p -> p.getPeakUsage().getUsed()).sum();
            r = new Run(op, n, tool, kind, s, cpu, load, peak, old, gcCount() - gc0, sampler.histogram());
        } else {
            r = new Run(op, n, tool, kind, s, cpu, load, -1, -1, -1, null);
        }
        runs.add(r);
        return r;
    }

    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    /** This JVM's CPU time plus that of its waited-for children (cutime + cstime of /proc/self/stat, 100 ticks a second). */
    private static double clientCpuSeconds() {
        double children = 0;
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // after "pid (comm) ": state is field 3 of stat(5), so field k is f[k - 3]; cutime 16, cstime 17
            children = (Long.parseLong(f[16 - 3]) + Long.parseLong(f[17 - 3])) / 100.0;
        } catch (IOException | RuntimeException e) {
            // not Linux: the JVM's own CPU only
        }
        return OS.getProcessCpuTime() / 1e9 + children;
    }

    private static long gcCount() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream().mapToLong(GarbageCollectorMXBean::getCollectionCount).sum();
    }

    // ---------------------------------------------------------------------------------------------- the report

    private void report(String server, long dbSize, String shape, long rawDumpBytes, Manifest ours) {
        long max = Runtime.getRuntime().maxMemory() >> 20;
        System.out.println();
        System.out.printf(Locale.ROOT, "Backup benchmark: PostgreSQL %s, database %s of %s (pg_database_size)%n  %s; JVM -Xmx%d MB, %d CPUs%n",
                server, db, mb(dbSize), shape, max, Runtime.getRuntime().availableProcessors());
        System.out.printf(Locale.ROOT, "dump size: pg_dump -Fc %s; Backups.create %s (database.dump %s + manifest.json)%n", mb(rawDumpBytes),
                mb(ours.sizeBytes()), mb(ours.databaseFile().bytes()));
        System.out.println();
        System.out.println("op       run  tool                            wall s  client CPU s  load  peak heap  old gen peak  GCs");
        System.out.println("-------  ---  ------------------------------  ------  ------------  ----  ---------  ------------  ---");
        for (Run r : runs) {
            System.out.printf(Locale.ROOT, "%-7s  %3d  %-30s  %6.2f  %12.2f  %4.1f  %9s  %12s  %3s%n", r.op, r.n, r.tool, r.seconds, r.cpu, r.load,
                    r.peakHeap < 0 ? "" : mb(r.peakHeap), r.peakOld < 0 ? "" : mb(r.peakOld), r.gcs < 0 ? "" : String.valueOf(r.gcs));
        }
        System.out.println();
        System.out.println("op       median raw  median ours  ours/raw  target <= 1.05  CPU ours/raw  max peak heap (ours)");
        System.out.println("-------  ----------  -----------  --------  --------------  ------------  --------------------");
        for (String op : List.of("create", "restore")) {
            double raw = median(op, Kind.RAW), us = median(op, Kind.OURS);
            long peak = runs.stream().filter(r -> r.op.equals(op) && r.kind == Kind.OURS).mapToLong(Run::peakHeap).max().orElse(0);
            System.out.printf(Locale.ROOT, "%-7s  %9.2fs  %10.2fs  %8.3f  %-14s  %12.3f  %s of %d MB%n", op, raw, us, us / raw,
                    us / raw <= TARGET ? "met" : "MISSED", medianCpu(op, Kind.OURS) / medianCpu(op, Kind.RAW), mb(peak), max);
        }
        if (runs.stream().anyMatch(r -> r.kind == Kind.REFERENCE)) {
            double raw = median("restore", Kind.RAW), us = median("restore", Kind.OURS), pipe = median("restore", Kind.REFERENCE);
            System.out.printf(Locale.ROOT, "restore reference: shell pg_restore -f - | psql median %.2fs = %.3f x raw; ours = %.3f x the shell pipeline%n",
                    pipe, pipe / raw, us / pipe);
        }
        System.out.println("(client CPU: this JVM plus its waited-for children (pg_dump, pg_restore, psql), not the server; load: 1-min load"
                + " average at the end of the run. Peak heap: sum of the heap pools' peaks, reset after a GC before each of our runs;"
                + " it includes uncollected garbage, so it is an upper bound; the old gen peak is what survived a collection.)");
    }

    private double median(String op, Kind kind) {
        return median(runs.stream().filter(r -> r.op.equals(op) && r.kind == kind).mapToDouble(Run::seconds).sorted().toArray());
    }

    private double medianCpu(String op, Kind kind) {
        return median(runs.stream().filter(r -> r.op.equals(op) && r.kind == kind).mapToDouble(Run::cpu).sorted().toArray());
    }

    private static double median(double[] v) {
        if (v.length == 0) {
            return Double.NaN;
        }
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    // ---------------------------------------------------------------------------------------------- where the time goes

    /** Times the extra pieces of our path alone, and prints where the sampled main thread of our timed runs was. */
    private void phases(Backups backups, Manifest ours, boolean create, boolean restore) throws Exception {
        System.out.println();
        System.out.println("Where the time goes (pieces timed alone, once each; then the sampled main thread of our timed runs)");
        Path ourDump = work.resolve("backups").resolve(ours.id()).resolve(ours.databaseFile().name());
        double sha = seconds(() -> sha256(ourDump));
        if (create) {
            System.out.printf(Locale.ROOT, "  create: SHA-256 of the dump in this JVM (one pass)  %6.2f s  (%.0f MB/s; ours hashes while streaming)%n",
                    sha, ours.databaseFile().bytes() / 1e6 / sha);
            printSamples("create");
        }
        if (restore) {
            double verify = seconds(() -> {
                BackupVerification v = backups.verify(ours.id());
                if (!v.ok()) {
                    throw new IllegalStateException("verify failed: " + v.problems());
                }
            });
            double list = seconds(() -> execFrom(List.of("pg_restore", "--list"), ourDump));
            System.out.printf(Locale.ROOT, "  backup verify (SHA-256 pass + pg_restore --list; restore no longer runs it) %6.2f s%n", verify);
            System.out.printf(Locale.ROOT, "  restore: SHA-256 of the dump alone (restore hashes while pg_restore reads)  %6.2f s%n", sha);
            System.out.printf(Locale.ROOT, "  restore: pg_restore --list < dump alone (restore runs it once, for the TOC) %6.2f s%n", list);
            printSamples("restore");
        }
    }

    private void printSamples(String op) {
        Map<String, Integer> total = new HashMap<>();
        double seconds = 0;
        for (Run r : runs) {
            if (r.op.equals(op) && r.kind == Kind.OURS) {
                r.samples.forEach((k, v) -> total.merge(k, v, Integer::sum));
                seconds += r.seconds;
            }
        }
        int n = total.values().stream().mapToInt(Integer::intValue).sum();
        if (n == 0) {
            return;
        }
        System.out.printf(Locale.ROOT, "  %s: main thread, %d samples every %d ms over %.1f s of our runs (share, ~seconds per run):%n", op, n,
                Sampler.INTERVAL_MS, seconds);
        double perRun = seconds / o.runs;
        total.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(12).forEach(e ->
                System.out.printf(Locale.ROOT, "    %5.1f%%  %6.2f s  %s%n", 100.0 * e.getValue() / n, perRun * e.getValue() / n, e.getKey()));
    }

    private static String sha256(Path f) throws Exception {
        MessageDigest d = MessageDigest.getInstance("SHA-256");
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(f)) {
            int k;
            while ((k = in.read(buf)) >= 0) {
                d.update(buf, 0, k);
            }
        }
        return java.util.HexFormat.of().formatHex(d.digest());
    }

    /** Samples one thread's stack; labels each sample by the innermost Switchback frames and what the JDK was doing. */
    static final class Sampler {
        static final int INTERVAL_MS = 20;
        private final Map<String, Integer> counts = new LinkedHashMap<>();
        private final Thread thread;
        private volatile boolean running = true;

        Sampler(Thread target) {
            thread = new Thread(() -> {
                while (running) {
                    StackTraceElement[] st = target.getStackTrace();
                    String label = label(st);
                    synchronized (counts) {
                        counts.merge(label, 1, Integer::sum);
                    }
                    try {
                        Thread.sleep(INTERVAL_MS);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "backup-bench-sampler");
            thread.setDaemon(true);
            thread.start();
        }

        static String label(StackTraceElement[] st) {
            List<String> ours = new ArrayList<>();
            for (StackTraceElement e : st) {
                if (e.getClassName().startsWith("dev.switchback.") && !e.getClassName().startsWith("dev.switchback.bench.")) {
                    String s = simple(e);
                    if (ours.isEmpty() || !ours.get(ours.size() - 1).equals(s)) {
                        ours.add(s);
                    }
                    if (ours.size() == 3) {
                        break;
                    }
                }
            }
            String top = st.length == 0 ? "?" : simple(st[0]);
            String where = ours.isEmpty() ? "(bench)" : String.join(" < ", ours);
            return where + (st.length > 0 && st[0].getClassName().startsWith("dev.switchback.") ? "" : "  [" + top + "]");
        }

        private static String simple(StackTraceElement e) {
            String c = e.getClassName().replaceAll("\\$\\$Lambda.*", "(lambda)");
            return c.substring(c.lastIndexOf('.') + 1) + "." + e.getMethodName();
        }

        void stop() throws InterruptedException {
            running = false;
            thread.interrupt();
            thread.join();
        }

        Map<String, Integer> histogram() {
            synchronized (counts) {
                return new LinkedHashMap<>(counts);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------- the database

    /**
     * Three tables with keys, a foreign key and an index: accounts and orders scaled to the target (1M and 3M rows, about
     * 650 MB with their indexes, at 1 GB), then events until pg_database_size reaches the target.
     */
    private String populate() throws SQLException {
        double scale = o.sizeBytes / (1024.0 * 1024 * 1024);
        long accounts = Math.max(1000, Math.round(1_000_000 * scale));
        long orders = 3 * accounts;
        try (Connection c = connect(db); Statement st = c.createStatement()) {
            st.execute("SET synchronous_commit = off");
            st.execute("CREATE TABLE accounts (id bigint NOT NULL, name text NOT NULL, email text NOT NULL, created_at timestamptz NOT NULL)");
            st.execute("INSERT INTO accounts SELECT g, 'account ' || md5(random()::text), md5(random()::text) || '@example.com',"
                    + " now() - random() * interval '900 days' FROM generate_series(1, " + accounts + ") g");
            st.execute("ALTER TABLE accounts ADD PRIMARY KEY (id)");
            st.execute("CREATE TABLE orders (id bigint NOT NULL, account_id bigint NOT NULL, amount numeric(12,2) NOT NULL,"
                    + " status text NOT NULL, note text, placed_at timestamptz NOT NULL)");
            st.execute("INSERT INTO orders SELECT g, 1 + (random() * " + (accounts - 1) + ")::bigint, round((random() * 1000)::numeric, 2),"
                    + " (ARRAY['new','paid','shipped','returned'])[1 + (random() * 3)::int], md5(random()::text) || md5(random()::text),"
                    + " now() - random() * interval '900 days' FROM generate_series(1, " + orders + ") g");
            st.execute("ALTER TABLE orders ADD PRIMARY KEY (id)");
            st.execute("ALTER TABLE orders ADD FOREIGN KEY (account_id) REFERENCES accounts (id)");
            st.execute("CREATE INDEX orders_account_idx ON orders (account_id)");
            st.execute("CREATE TABLE events (id bigint PRIMARY KEY, order_id bigint NOT NULL, kind text NOT NULL, payload text NOT NULL)");
            long events = 0;
            long batch = Math.max(1000, Math.round(250_000 * scale));
            while (databaseSize() < o.sizeBytes && events < 50_000_000) {
                st.execute("INSERT INTO events SELECT g, 1 + (random() * " + (orders - 1) + ")::bigint, (ARRAY['view','click','buy'])[1 + (random() * 2)::int],"
                        + " md5(random()::text) || md5(random()::text) || md5(random()::text) FROM generate_series(" + (events + 1) + ", "
                        + (events + batch) + ") g");
                events += batch;
            }
            return String.format(Locale.ROOT, "3 tables: accounts %.2fM, orders %.2fM, events %.2fM rows; 4 indexes, 1 foreign key",
                    accounts / 1e6, orders / 1e6, events / 1e6);
        }
    }

    /** VACUUM ANALYZE and CHECKPOINT: every run starts from the same settled state, autovacuum has nothing to do mid-run. */
    private void settle() throws SQLException {
        try (Connection c = connect(db); Statement st = c.createStatement()) {
            st.execute("VACUUM (ANALYZE)");
        }
        checkpoint();
    }

    private void checkpoint() throws SQLException {
        admin("CHECKPOINT");
    }

    private long databaseSize() throws SQLException {
        try (Connection c = connect("postgres"); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT pg_database_size('" + db + "')")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Row counts, indexes and constraints: a restore that lost anything cannot pass for a fast one. */
    private Map<String, Long> fingerprint() throws SQLException {
        Map<String, Long> f = new LinkedHashMap<>();
        try (Connection c = connect(db); Statement st = c.createStatement()) {
            for (String q : List.of("SELECT count(*) FROM accounts", "SELECT count(*) FROM orders", "SELECT count(*) FROM events",
                    "SELECT sum(id) FROM events", "SELECT count(*) FROM pg_indexes WHERE schemaname = 'public'",
                    "SELECT count(*) FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace WHERE n.nspname = 'public'",
                    "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public'")) {
                try (ResultSet rs = st.executeQuery(q)) {
                    rs.next();
                    f.put(q, rs.getLong(1));
                }
            }
        }
        return f;
    }

    private void check(Map<String, Long> expected, String when) throws SQLException {
        Map<String, Long> got = fingerprint();
        if (!got.equals(expected)) {
            throw new IllegalStateException("the database differs from the original " + when + ": expected " + expected + ", got " + got);
        }
    }

    private String jdbc(String database) {
        return "jdbc:postgresql://" + o.host + ":" + o.port + "/" + database;
    }

    private Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(jdbc(database), o.user, o.password.isEmpty() ? null : o.password);
    }

    private void admin(String sql) throws SQLException {
        try (Connection c = connect("postgres"); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    private synchronized void cleanUp() {
        if (cleaned) {
            return;
        }
        cleaned = true;
        try {
            admin("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
        } catch (SQLException e) {
            System.err.println("could not drop database " + db + ": " + e.getMessage());
        }
        try {
            deleteTree(work);
        } catch (IOException e) {
            System.err.println("could not delete " + work + ": " + e.getMessage());
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------- processes

    private List<String> withServer(List<String> cmd) {
        List<String> c = new ArrayList<>(cmd);
        c.addAll(List.of("-h", o.host, "-p", String.valueOf(o.port), "-U", o.user, "--no-password", "-d", db));
        return c;
    }

    private String exec(List<String> cmd) throws IOException, InterruptedException {
        return run(new ProcessBuilder(cmd));
    }

    private void execFrom(List<String> cmd, Path in) throws IOException, InterruptedException {
        run(new ProcessBuilder(cmd).redirectInput(in.toFile()));
    }

    private String run(ProcessBuilder pb) throws IOException, InterruptedException {
        if (!o.password.isEmpty()) {
            pb.environment().put("PGPASSWORD", o.password);
        }
        Path err = Files.createTempFile(work, "stderr-", ".txt");
        pb.redirectError(err.toFile());
        boolean captureOut = pb.redirectOutput() == ProcessBuilder.Redirect.PIPE;
        Process p = pb.start();
        String out = "";
        if (captureOut) {
            out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
        if (!p.waitFor(30, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException(String.join(" ", pb.command()) + " did not finish in 30 minutes");
        }
        String stderr = Files.readString(err, StandardCharsets.UTF_8);
        Files.delete(err);
        if (p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", pb.command()) + " exited " + p.exitValue() + ":\n" + stderr);
        }
        return out;
    }

    // ---------------------------------------------------------------------------------------------- output

    private void say(Run r, String extra) {
        say("  %-7s run %d  %-30s %7.2f s  client CPU %6.2f s  load %4.1f%s%s", r.op, r.n, r.tool, r.seconds, r.cpu, r.load,
                r.peakHeap < 0 ? "" : "  peak heap " + mb(r.peakHeap), extra.isEmpty() ? "" : "  " + extra);
    }

    private static void say(String format, Object... args) {
        System.err.printf(Locale.ROOT, format + "%n", args);
    }

    private static String firstLine(String s) {
        return s.strip().split("\n", 2)[0];
    }

    private static String mb(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / 1048576.0);
    }
}
