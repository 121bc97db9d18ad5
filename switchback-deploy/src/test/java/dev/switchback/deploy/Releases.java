package dev.switchback.deploy;

import dev.switchback.backup.Backups;
import dev.switchback.deploy.analysis.AnalysisSettings;
import dev.switchback.deploy.notify.NotifyTarget;
import dev.switchback.deploy.rollout.RolloutSettings;
import dev.switchback.migration.Migrator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * A real {@link Deployer} over real release processes (Python's http.server on 127.0.0.1, answering 200 on /) and an
 * in-memory router that records where traffic goes. A release named {@code bad*} exits at once; {@code needs-env*}
 * expects a variable nobody sets. Migrations are skipped.
 */
final class Releases implements AutoCloseable {
    final Path dir;
    private final DeployConfig config;
    Router router = new Router();
    Deployer deployer;

    Releases(Path dir, String watch, FailoverMode failover, List<NotifyTarget> webhooks) throws IOException {
        this(dir, "bluegreen", watch, failover, webhooks);
    }

    Releases(Path dir, String strategy, String watch, FailoverMode failover, List<NotifyTarget> webhooks) throws IOException {
        this.dir = dir;
        Files.writeString(dir.resolve("needs.env"), "SWITCHBACK_TEST_NEVER_SET=\n");
        List<String> problems = new ArrayList<>();
        RolloutSettings rollout = RolloutSettings.parse(strategy, "10, 100", "60s", "10m", "cookie", watch, problems);
        if (!problems.isEmpty()) {
            throw new IllegalStateException(problems.toString());
        }
        this.config = new DeployConfig(dir, 5, true, false, "127.0.0.1", 0, "127.0.0.1", 0,
                List.of("/bin/sh", "-c", "case \"$RELEASE\" in bad*) exit 3;; esac; exec /usr/bin/python3 -m http.server "
                        + "\"$PORT\" --bind 127.0.0.1"),
                dir, Map.of(), "/", Duration.ofMillis(100), Duration.ofSeconds(15), 1, Duration.ofSeconds(3),
                Duration.ofMillis(200), dir.resolve(".switchback"), AnalysisSettings.DEFAULTS, rollout,
                new FailoverSettings(Duration.ofMillis(200), 2, failover), webhooks);
        this.deployer = new Deployer(config, router, new NoMigrations(dir), DeployListener.NONE, Map.of());
    }

    /** A daemon restart: this deployer closes (its releases keep running), a new one routes what state.json records. */
    void restart() {
        deployer.close();
        router = new Router();
        deployer = new Deployer(config, router, new NoMigrations(dir), DeployListener.NONE, Map.of());
        deployer.routeRecorded();
    }

    /** Sends {@code signal} (STOP, CONT) to the release in {@code s}. */
    void signal(Slot s, String signal) throws Exception {
        new ProcessBuilder("kill", "-" + signal, String.valueOf(slot(s).pid())).inheritIO().start().waitFor();
    }

    PerformResult perform(String release) {
        return deployer.perform(new PerformRequest(release, null, null, null, null, false, true, true, false));
    }

    SlotState slot(Slot s) {
        return deployer.state().slot(s);
    }

    /** Kills the release in {@code s} at once (SIGKILL). */
    void kill(Slot s) {
        ProcessHandle.of(slot(s).pid()).ifPresent(ProcessHandle::destroyForcibly);
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (slot(s).running() && System.nanoTime() < deadline) {
            Supervisor.sleep(20);
        }
    }

    /** Waits (up to 20 s) for {@code condition}, checking every 50 ms. */
    static boolean await(java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Supervisor.sleep(50);
        }
        return true;
    }

    @Override
    public void close() {
        deployer.close();
        DeploymentState st;
        synchronized (deployer) {
            // a restart that had the lock has recorded its process by now, and none starts after close
            st = deployer.state();
        }
        for (Slot s : Slot.values()) {
            Long pid = st.slot(s).pid();
            if (pid != null) {
                ProcessHandle.of(pid).ifPresent(p -> {
                    p.destroyForcibly();
                    p.onExit().orTimeout(10, java.util.concurrent.TimeUnit.SECONDS).exceptionally(e -> p).join();
                });
            }
        }
    }

    /** The router as the deployer sees it: where traffic goes, and the split. */
    static final class Router implements TrafficControl {
        volatile Slot routed;
        volatile Integer port;
        volatile Slot canary;
        volatile int weight;
        final Map<Slot, SlotTraffic> counters = new EnumMap<>(Slot.class);

        @Override
        public synchronized void route(Slot slot, Integer p) {
            routed = slot;
            port = p;
            // as the daemon's router: nothing routed, or the canary's own slot routed, ends the split
            if (slot == null || canary == slot) {
                canary = null;
            }
        }

        @Override
        public synchronized void split(Slot c, Integer canaryPort, int w, Stickiness sticky, String rollout) {
            if (c != null && c == routed) {
                throw new IllegalStateException("The canary cannot run in slot " + c.id() + ", which serves the stable release");
            }
            canary = c;
            weight = c == null ? 0 : w;
        }

        @Override
        public synchronized SlotTraffic traffic(Slot slot) {
            return counters.getOrDefault(slot, SlotTraffic.NONE);
        }

        @Override
        public int inFlight(Slot slot) {
            return 0;
        }

        @Override
        public void maintenance(boolean on, String message) {
        }

        @Override
        public void pause(Duration max) {
        }

        @Override
        public void resume() {
        }
    }

    private record NoMigrations(Path dir) implements ReleaseMigrations {
        @Override
        public Migrator migrator(String release) {
            throw new IllegalStateException("migrations are skipped in these tests");
        }

        @Override
        public Backups backups(Migrator migrator) {
            throw new IllegalStateException("migrations are skipped in these tests");
        }

        @Override
        public boolean backupBeforeMigrate() {
            return false;
        }

        @Override
        public Path expectedEnvFile(String release) {
            return release.startsWith("needs-env") ? dir.resolve("needs.env") : null;
        }
    }
}
