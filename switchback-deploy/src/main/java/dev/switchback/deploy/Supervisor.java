package dev.switchback.deploy;

import dev.switchback.migration.ErrorCode;
import dev.switchback.migration.SwitchbackException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs releases as local processes. Each runs in a process group of its own (so stopping it stops its
 * children) and writes straight to a log file, not through a pipe, so it outlives a daemon crash.
 */
public final class Supervisor {
    private static final Logger log = LoggerFactory.getLogger(Supervisor.class);
    private final DeployConfig config;
    private final Path logDir;
    // children of this daemon: waited on so they do not linger as zombies once they exit
    private final Map<Long, Process> children = new HashMap<>();
    /** Told of each child's exit (pid, exit code) the moment it happens: the liveness watch reacts without polling. */
    private volatile java.util.function.BiConsumer<Long, Integer> exitListener = (pid, code) -> { };

    public Supervisor(DeployConfig config) {
        this.config = config;
        this.logDir = config.stateDir().resolve("logs");
    }

    public SlotState start(Slot slot, String release) {
        ReleaseNames.check(release);
        if (config.command().isEmpty()) {
            throw new SwitchbackException(ErrorCode.CONFIG, "deploy.service.command is not set: say how to start a release, e.g. "
                    + "[java, -jar, releases/${RELEASE}/app.jar]");
        }
        int port = freePort();
        List<String> cmd = new ArrayList<>();
        if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
            cmd.add("/usr/bin/setsid");
        }
        for (String part : config.command()) {
            cmd.add(part.replace("${RELEASE}", release).replace("${PORT}", String.valueOf(port)).replace("${SLOT}", slot.id()));
        }
        try {
            Files.createDirectories(logDir);
            Path logFile = logDir.resolve(slot.id() + "-" + release.replaceAll("[^A-Za-z0-9._-]", "_") + ".log");
            Files.writeString(logFile, "--- " + Instant.now() + " starting " + release + " in " + slot.id() + " on port " + port + "\n",
                    StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(config.workingDirectory().toFile())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            pb.environment().putAll(config.env());
            pb.environment().put("PORT", String.valueOf(port));
            pb.environment().put("RELEASE", release);
            pb.environment().put("SWITCHBACK_SLOT", slot.id());
            pb.environment().put("SWITCHBACK_INSTANCE", "0");
            Process p = pb.start();
            synchronized (children) {
                children.put(p.pid(), p);
            }
            p.onExit().thenRun(() -> {
                synchronized (children) {
                    children.remove(p.pid());
                }
                exitListener.accept(p.pid(), p.exitValue());
            });
            log.info("Started {} in {} (pid {}, port {}), log {}", release, slot.id(), p.pid(), port, logFile);
            return new SlotState(release, SlotStatus.STARTING, p.pid(), ReleaseProcess.of(p.pid()).startTime(), port,
                    Instant.now().toString(), logFile.toString());
        } catch (IOException e) {
            throw new SwitchbackException(ErrorCode.FAILED, "Cannot start " + release + " (" + String.join(" ", cmd) + "): "
                    + e.getMessage(), e);
        }
    }

    void onExit(java.util.function.BiConsumer<Long, Integer> listener) {
        this.exitListener = listener;
    }

    /**
     * SIGTERM to the whole process group, SIGKILL after stopTimeout; also when the leader has exited and left children
     * behind. Nothing is signalled when the recorded pid now belongs to another program.
     */
    public void stop(SlotState s) {
        ReleaseProcess p = s.process();
        if (p == null || !p.anyAlive()) {
            return;
        }
        p.signal("TERM");
        long deadline = System.nanoTime() + config.stopTimeout().toNanos();
        while (p.anyAlive() && System.nanoTime() < deadline) {
            sleep(50);
        }
        if (p.anyAlive()) {
            log.warn("{} (pid {}) did not stop within {}; killing its process group", s.release(), p.pid(), config.stopTimeout());
            p.signal("KILL");
            long killDeadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (p.anyAlive() && System.nanoTime() < killDeadline) {
                sleep(20);
            }
        }
        log.info("Stopped {} (pid {})", s.release(), p.pid());
    }

    /** The last lines a release wrote, for messages about a release that failed. */
    public static String tail(String logFile, int lines) {
        if (logFile == null) {
            return "";
        }
        try {
            List<String> all = Files.readAllLines(Path.of(logFile), StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new SwitchbackException(ErrorCode.FAILED, "No free port on 127.0.0.1: " + e.getMessage(), e);
        }
    }

    public static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
