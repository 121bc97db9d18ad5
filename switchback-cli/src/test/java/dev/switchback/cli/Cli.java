package dev.switchback.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Runs {@code bin/switchback} as a real process, as a user would: from a working directory, with an environment,
 * capturing stdout and stderr separately. The environment is the test's own minus every Switchback setting, so a
 * developer's shell cannot change the outcome; each call adds what it needs.
 */
final class Cli {
    /** The repository root: the first folder upwards from the working directory that has bin/switchback. */
    static final Path ROOT = findRoot();
    static final Path LAUNCHER = ROOT.resolve("bin").resolve("switchback");
    /** Generous: under load a JVM start takes seconds, and a stale jar makes the launcher rebuild it first. */
    private static final long TIMEOUT_SECONDS = 240;
    /** C1 only and the serial GC: a short-lived CLI starts noticeably faster. Overridable from the outside. */
    private static final String FAST_JVM = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC";
    /** The runbook aliases the product accepts; removed from the inherited environment like SWITCHBACK_*. */
    private static final Set<String> ALIASES = Set.of("AUTO_MIGRATE", "MIGRATION_DRY_RUN", "MIGRATION_MAX_RETRIES",
            "MIGRATION_LOCK_TIMEOUT", "HEALTH_CHECK_TIMEOUT", "HEALTH_CHECK_INTERVAL", "AUTO_SWITCH", "AUTO_CLEANUP",
            "ROLLBACK_LIMIT", "DEPLOYMENT_DIR", "DATABASE_URL", "MIGRATION_CACHE_TTL", "EMERGENCY_BYPASS");
    private static final AtomicInteger SEQ = new AtomicInteger();
    /** Guards the launcher's rebuild: see {@link #beforeStart()}. */
    private static final Object GATE = new Object();
    private static int running;
    private static boolean rebuilding;
    /** When this suite last had the launcher check the jar: sources older than that need no new check. */
    private static FileTime seen;

    private Cli() {
    }

    /** What one run printed and returned. */
    record Result(List<String> args, int exit, String out, String err) {
        String all() {
            return out + "\n" + err;
        }

        /** For assertion messages: the whole run, so a failure explains itself. */
        String describe() {
            return "switchback " + String.join(" ", args) + "\n  exit: " + exit + "\n  stdout:\n" + indent(out)
                    + "\n  stderr:\n" + indent(err);
        }

        private static String indent(String s) {
            return s.isEmpty() ? "    (empty)" : "    " + s.replace("\n", "\n    ");
        }
    }

    /** A process started in the background. */
    static final class Running {
        private final Process process;
        private final List<String> args;
        private final Path out;
        private final Path err;

        private Running(Process process, List<String> args, Path out, Path err) {
            this.process = process;
            this.args = args;
            this.out = out;
            this.err = err;
        }

        /** The launcher execs java, so this is the pid of the JVM that holds locks and writes records. */
        long pid() {
            return process.pid();
        }

        boolean isAlive() {
            return process.isAlive();
        }

        String stderrSoFar() {
            return read(err);
        }

        String stdoutSoFar() {
            return read(out);
        }

        Result await() {
            try {
                return finish();
            } finally {
                afterEnd(this);
            }
        }

        private Result finish() {
            try {
                if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(10, TimeUnit.SECONDS);
                    throw new AssertionError("switchback " + String.join(" ", args) + " did not finish within "
                            + TIMEOUT_SECONDS + " s\nstdout:\n" + read(out) + "\nstderr:\n" + read(err));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
                throw new AssertionError("interrupted", e);
            }
            Result r = new Result(args, process.exitValue(), read(out), read(err));
            try {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            } catch (IOException ignored) {
                // temp files; the OS cleans up
            }
            return r;
        }

        /** Asks this process only (by its own handle) to stop, as SIGTERM does, and waits for it. */
        Result terminate() {
            process.destroy();
            return await();
        }

        /** Kills this process only (by its own handle), for cleanup after a failed test. */
        void kill() {
            process.destroyForcibly();
        }
    }

    /** The run, after asserting it succeeded (the whole run in the message when it did not). */
    static Result ok(Result r) {
        org.assertj.core.api.Assertions.assertThat(r.exit()).as(r.describe()).isZero();
        return r;
    }

    static Result run(Path workDir, Map<String, String> env, String... args) {
        return start(workDir, env, args).await();
    }

    static Result run(Path workDir, String... args) {
        return run(workDir, Map.of(), args);
    }

    /** A run against {@code db}: its connection flags, then {@code args}. */
    static Result on(Path workDir, TestDb db, Map<String, String> env, String... args) {
        java.util.List<String> all = new java.util.ArrayList<>(db.args());
        all.addAll(java.util.List.of(args));
        return run(workDir, env, all.toArray(String[]::new));
    }

    /** As {@link #on(Path, TestDb, Map, String...)}, asserting the exit code (the whole run in the message when it differs). */
    static Result expectOn(Path workDir, TestDb db, int exit, String... args) {
        Result r = on(workDir, db, Map.of(), args);
        org.assertj.core.api.Assertions.assertThat(r.exit()).as("exit code of\n%s", r.describe()).isEqualTo(exit);
        return r;
    }

    static Running start(Path workDir, Map<String, String> env, String... args) {
        beforeStart();
        try {
            return launch(workDir, env, args);
        } catch (RuntimeException | Error e) {
            afterEnd(null);
            throw e;
        }
    }

    private static Running launch(Path workDir, Map<String, String> env, String... args) {
        List<String> command = new ArrayList<>();
        command.add(LAUNCHER.toString());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile());
        Map<String, String> environment = pb.environment();
        environment.keySet().removeIf(k -> (k.startsWith("SWITCHBACK_") && !k.equals("SWITCHBACK_JAVA_OPTS")) || ALIASES.contains(k));
        environment.putIfAbsent("SWITCHBACK_JAVA_OPTS", FAST_JVM);
        environment.putAll(env);
        try {
            Path logs = Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir"), "switchback-cli-it"));
            String name = ProcessHandle.current().pid() + "-" + SEQ.incrementAndGet();
            Path out = logs.resolve(name + ".out");
            Path err = logs.resolve(name + ".err");
            pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(devNull()));
            return new Running(pb.start(), List.of(args), out, err);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start " + command, e);
        }
    }

    /**
     * bin/switchback rebuilds the jar when a source is newer than it, without a lock: several launchers starting at
     * once would each run Maven on the same target folders, and processes already running would see their jar
     * rewritten under them. When sources change while the suite runs (someone else is editing), the rebuild therefore
     * happens here, once, while no CLI process of this suite runs; with a fresh jar this is a quick check.
     */
    private static void beforeStart() {
        synchronized (GATE) {
            try {
                while (rebuilding) {
                    GATE.wait();
                }
                if (isJarStale()) {
                    rebuilding = true;
                    try {
                        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                        while (running > 0 && System.nanoTime() < deadline) {
                            GATE.wait(1000);
                        }
                        FileTime before = FileTime.from(java.time.Instant.now());
                        Result r = launch(ROOT, Map.of(), "--version").finish();
                        seen = before;
                        if (r.exit() != 0) {
                            throw new AssertionError("bin/switchback could not rebuild the jar:\n" + r.describe());
                        }
                    } finally {
                        rebuilding = false;
                        GATE.notifyAll();
                    }
                }
                running++;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }

    private static void afterEnd(Running process) {
        synchronized (GATE) {
            running--;
            GATE.notifyAll();
        }
    }

    /**
     * Like the launcher's own test (the jar is missing or older than a pom or a main source), over every module's
     * sources. A change the launcher does not look at triggers one no-op run, after which it counts as seen.
     */
    private static boolean isJarStale() {
        Path jar = ROOT.resolve("switchback-cli/target/switchback.jar");
        if (!Files.isRegularFile(jar)) {
            return true;
        }
        try (Stream<Path> modules = Files.list(ROOT)) {
            FileTime built = Files.getLastModifiedTime(jar);
            FileTime since = seen != null && seen.compareTo(built) > 0 ? seen : built;
            List<Path> roots = new ArrayList<>(List.of(ROOT.resolve("pom.xml")));
            modules.filter(p -> p.getFileName().toString().startsWith("switchback-")).forEach(p -> {
                roots.add(p.resolve("pom.xml"));
                roots.add(p.resolve("src").resolve("main"));
            });
            for (Path r : roots) {
                if (!Files.exists(r)) {
                    continue;
                }
                try (Stream<Path> files = Files.walk(r)) {
                    if (files.anyMatch(f -> Files.isRegularFile(f) && newer(f, since))) {
                        return true;
                    }
                }
            }
            return false;
        } catch (IOException | UncheckedIOException e) {
            return false;
        }
    }

    private static boolean newer(Path f, FileTime than) {
        try {
            return Files.getLastModifiedTime(f).compareTo(than) > 0;
        } catch (IOException e) {
            return false;
        }
    }

    static Map<String, String> env(String... keyValues) {
        Map<String, String> env = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            env.put(keyValues[i], keyValues[i + 1]);
        }
        return env;
    }

    private static java.io.File devNull() {
        return new java.io.File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path findRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("bin").resolve("switchback"))) {
                return dir;
            }
        }
        throw new IllegalStateException("No bin/switchback above " + Path.of("").toAbsolutePath());
    }
}
