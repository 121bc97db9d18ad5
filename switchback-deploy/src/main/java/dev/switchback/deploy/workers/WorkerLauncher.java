package dev.switchback.deploy.workers;

import dev.switchback.deploy.DeployConfig;
import dev.switchback.deploy.ReleaseProcess;
import dev.switchback.deploy.Slot;
import dev.switchback.deploy.Supervisor;
import dev.switchback.migration.ErrorCode;
import dev.switchback.migration.SwitchbackException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Starts and stops one worker instance the way the web process is run: a process group of its own (setsid), output
 * straight to a log file so it outlives the daemon, SIGTERM to the group and SIGKILL after the worker's stopTimeout.
 */
final class WorkerLauncher {
    private static final Logger log = LoggerFactory.getLogger(WorkerLauncher.class);
    private final DeployConfig config;

    WorkerLauncher(DeployConfig config) {
        this.config = config;
    }

    /** The environment a worker (and its health command) runs with: the service env, its own, then what the daemon sets. */
    Map<String, String> env(WorkerSettings w, Slot slot, String release, int instance, Integer port) {
        Map<String, String> env = new HashMap<>(config.env());
        env.putAll(w.env());
        env.put("PORT", String.valueOf(port));
        env.put("RELEASE", release);
        env.put("SWITCHBACK_SLOT", slot.id());
        env.put("SWITCHBACK_INSTANCE", String.valueOf(instance));
        env.put("SWITCHBACK_WORKER", w.name());
        return env;
    }

    WorkerProcess start(WorkerSettings w, Slot slot, String release, int instance, int restarts) {
        int port = Supervisor.freePort();
        List<String> cmd = new ArrayList<>();
        if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
            cmd.add("/usr/bin/setsid");
        }
        for (String part : w.command()) {
            cmd.add(part.replace("${RELEASE}", release).replace("${PORT}", String.valueOf(port)).replace("${SLOT}", slot.id())
                    .replace("${INSTANCE}", String.valueOf(instance)));
        }
        Path logDir = config.stateDir().resolve("logs");
        Path logFile = logDir.resolve(slot.id() + "-" + release.replaceAll("[^A-Za-z0-9._-]", "_") + "-" + w.name() + "-" + instance + ".log");
        try {
            Files.createDirectories(logDir);
            Files.writeString(logFile, "--- " + Instant.now() + " starting worker " + w.name() + "#" + instance + " of " + release
                    + " in " + slot.id() + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(config.workingDirectory().toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            pb.environment().putAll(env(w, slot, release, instance, port));
            Process p = pb.start();
            log.info("Started worker {}#{} of {} in {} (pid {}), log {}", w.name(), instance, release, slot.id(), p.pid(), logFile);
            return new WorkerProcess(w.name(), instance, release, p.pid(), ReleaseProcess.of(p.pid()).startTime(), port,
                    Instant.now().toString(), logFile.toString(), restarts);
        } catch (IOException e) {
            throw new SwitchbackException(ErrorCode.FAILED, "Cannot start worker " + w.name() + " of " + release + " ("
                    + String.join(" ", cmd) + "): " + e.getMessage(), e);
        }
    }

    /** SIGTERM to every group first, then waits for each up to its worker's stopTimeout, then SIGKILL. */
    void stop(List<WorkerProcess> processes, Map<String, Duration> stopTimeouts) {
        List<WorkerProcess> alive = processes.stream().filter(p -> p.process() != null && p.process().anyAlive()).toList();
        alive.forEach(p -> p.process().signal("TERM"));
        for (WorkerProcess p : alive) {
            long deadline = System.nanoTime() + stopTimeouts.getOrDefault(p.name(), Duration.ofSeconds(10)).toNanos();
            while (p.process().anyAlive() && System.nanoTime() < deadline) {
                Supervisor.sleep(50);
            }
            if (p.process().anyAlive()) {
                log.warn("Worker {}#{} of {} (pid {}) did not stop in time; killing its process group", p.name(), p.instance(),
                        p.release(), p.pid());
                p.process().signal("KILL");
                long killDeadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
                while (p.process().anyAlive() && System.nanoTime() < killDeadline) {
                    Supervisor.sleep(20);
                }
            }
            log.info("Stopped worker {}#{} of {} (pid {})", p.name(), p.instance(), p.release(), p.pid());
        }
    }

}
