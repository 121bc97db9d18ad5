package dev.switchback.deploy.workers;

import dev.switchback.deploy.Supervisor;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Judges worker instances by their {@code healthCheck}: a command's exit code, an HTTP path on their PORT, or "still running". */
final class WorkerGate {
    private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(5);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** @param reason null when healthy */
    record Result(boolean healthy, String reason) {
    }

    /** One check now: "ok", or what it saw ("exit 1", "503", "connection refused", "running 0.4 s of 2 s", "exited"). */
    String check(WorkerSettings w, WorkerProcess p, Map<String, String> env, java.nio.file.Path workingDirectory) {
        if (!p.running()) {
            return "exited";
        }
        return switch (w.health().kind()) {
            case NONE -> {
                long ran = Duration.between(Instant.parse(p.started()), Instant.now()).toMillis();
                yield ran >= w.startPeriod().toMillis() ? "ok" : "running " + ran + " ms of " + w.startPeriod().toMillis() + " ms";
            }
            case HTTP -> http(p.port(), w.health().path());
            case COMMAND -> command(w.health().command(), env, workingDirectory);
        };
    }

    /**
     * Waits until every instance passes one check, or one exits, or the timeout passes.
     *
     * @param envs each instance's environment, in the order of {@code processes}
     */
    Result await(List<WorkerSettings> settings, List<WorkerProcess> processes, List<Map<String, String>> envs,
                 java.nio.file.Path workingDirectory, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Integer> pending = new ArrayList<>();
        for (int i = 0; i < processes.size(); i++) {
            pending.add(i);
        }
        String last = "";
        while (true) {
            for (var it = pending.iterator(); it.hasNext(); ) {
                int i = it.next();
                WorkerProcess p = processes.get(i);
                WorkerSettings w = settings.stream().filter(s -> s.name().equals(p.name())).findFirst().orElseThrow();
                String seen = check(w, p, envs.get(i), workingDirectory);
                if (seen.equals("ok")) {
                    it.remove();
                } else if (seen.equals("exited")) {
                    return new Result(false, "worker " + p.key() + " of " + p.release() + " exited before becoming healthy; last lines of "
                            + p.log() + ":\n" + Supervisor.tail(p.log(), 15));
                } else {
                    last = "worker " + p.key() + " (healthCheck " + w.health().describe() + "): last check " + seen;
                }
            }
            if (pending.isEmpty()) {
                return new Result(true, null);
            }
            if (System.nanoTime() > deadline) {
                return new Result(false, "worker(s) did not become healthy within " + timeout.toSeconds() + " s; " + last);
            }
            Supervisor.sleep(200);
        }
    }

    private String http(Integer port, String path) {
        try {
            HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.discarding());
            return r.statusCode() / 100 == 2 ? "ok" : String.valueOf(r.statusCode());
        } catch (IOException e) {
            return e.getClass().getSimpleName().replace("Exception", "").toLowerCase();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    private static String command(List<String> argv, Map<String, String> env, java.nio.file.Path workingDirectory) {
        try {
            ProcessBuilder pb = new ProcessBuilder(argv).directory(workingDirectory.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD);
            pb.environment().putAll(env);
            Process p = pb.start();
            if (!p.waitFor(CHECK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                return "timed out after " + CHECK_TIMEOUT.toSeconds() + " s";
            }
            return p.exitValue() == 0 ? "ok" : "exit " + p.exitValue();
        } catch (IOException e) {
            return "cannot run: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }
}
