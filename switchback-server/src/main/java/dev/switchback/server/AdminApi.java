package dev.switchback.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchback.deploy.Deployer;
import dev.switchback.deploy.PerformRequest;
import dev.switchback.deploy.Slot;
import dev.switchback.deploy.rollout.RolloutRequest;
import dev.switchback.deploy.rollout.Strategy;
import dev.switchback.migration.ErrorCode;
import dev.switchback.migration.StatusReport;
import dev.switchback.migration.SwitchbackException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;

/**
 * The admin API (JSON): deployments, migrations, health, metrics. Every mutating call needs
 * {@code Authorization: Bearer <token>}; a wrong or missing token is a 401 and nothing is done.
 */
final class AdminApi {
    private static final Logger log = LoggerFactory.getLogger(AdminApi.class);
    static final ObjectMapper JSON = new ObjectMapper();
    private final Vertx vertx;
    private final Deployer deployer;
    private final Router router;
    private final Metrics metrics;
    private final byte[] token;
    private final Function<String, StatusReport> migrationStatus;
    private HttpServer server;

    AdminApi(Vertx vertx, Deployer deployer, Router router, Metrics metrics, String token,
             Function<String, StatusReport> migrationStatus) {
        this.vertx = vertx;
        this.deployer = deployer;
        this.router = router;
        this.metrics = metrics;
        this.token = token.getBytes(StandardCharsets.UTF_8);
        this.migrationStatus = migrationStatus;
    }

    Future<HttpServer> listen(String host, int port) {
        server = vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(port).setReuseAddress(true));
        return server.requestHandler(this::handle).listen();
    }

    Future<Void> close() {
        return server == null ? Future.succeededFuture() : server.close();
    }

    private void handle(HttpServerRequest req) {
        String path = req.path();
        if (req.method() == HttpMethod.GET) {
            if (path.equals("/api/deployments/logs") && !authorized(req)) {
                // a release's log may hold what the release printed of its secrets
                json(req, 401, Map.of("error", "missing or wrong token: release logs need Authorization: Bearer <token>", "code",
                        ErrorCode.CONFIG.exitCode()));
                return;
            }
            switch (path) {
                case "/health" -> json(req, 200, Map.of("status", "up"));
                case "/health/ready" -> blocking(req, () -> {
                    boolean ready = deployer.activeHealthy();
                    return new Reply(ready ? 200 : 503, Map.of("status", ready ? "ready" : "not ready", "release",
                            String.valueOf(deployer.activeRelease())));
                });
                case "/metrics" -> req.response().putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
                        .end(metrics.scrape());
                case "/api/deployments/status" -> blocking(req, () -> new Reply(200, withRollout(deployer.status())));
                case "/api/deployments/rollout" -> json(req, 200, withRollout(Map.of()));
                case "/api/deployments/logs" -> blocking(req, () -> new Reply(200, ReleaseLogs.read(deployer, req)));
                case "/api/deployments/traffic" -> blocking(req, () -> new Reply(200, ReleaseLogs.traffic(deployer, router)));
                case "/api/migrations/status" -> blocking(req, () -> new Reply(200, migrationStatus.apply(release())));
                case "/api/migrations/health" -> blocking(req, this::migrationHealth);
                default -> json(req, 404, Map.of("error", "no such endpoint: GET " + path));
            }
            return;
        }
        if (req.method() != HttpMethod.POST || !path.startsWith("/api/deployments/")) {
            json(req, 404, Map.of("error", "no such endpoint: " + req.method() + " " + path));
            return;
        }
        if (!authorized(req)) {
            log.warn("Refused {} {} from {}: missing or wrong admin token", req.method(), path, req.remoteAddress());
            json(req, 401, Map.of("error", "missing or wrong token: send Authorization: Bearer <token> (SWITCHBACK_ADMIN_TOKEN or "
                    + ".switchback/admin.token)", "code", ErrorCode.CONFIG.exitCode()));
            return;
        }
        req.body().onSuccess(body -> {
            JsonNode in;
            try {
                in = parse(body);
            } catch (SwitchbackException e) {
                json(req, 400, Map.of("error", e.getMessage(), "code", ErrorCode.CONFIG.exitCode()));
                return;
            }
            String action = path.substring("/api/deployments/".length());
            blocking(req, () -> new Reply(200, post(action, in)));
        }).onFailure(e -> json(req, 400, Map.of("error", "cannot read the request body: " + e.getMessage())));
    }

    private Object post(String action, JsonNode in) {
        return switch (action) {
            case "perform" -> withRollout(deployer.perform(new PerformRequest(text(in, "release"), bool(in, "autoSwitch"), bool(in, "autoCleanup"),
                    millis(in, "healthTimeoutMs"), millis(in, "healthIntervalMs"), in.path("skipHealth").asBoolean(false),
                    in.path("skipMigrations").asBoolean(false), in.path("noBackup").asBoolean(false),
                    in.path("allowUnsafe").asBoolean(false)), new RolloutRequest(in.hasNonNull("strategy")
                    ? Strategy.parse(text(in, "strategy")) : null, millis(in, "stepDurationMs"))));
            case "promote" -> deployer.rollouts().promote(in.path("full").asBoolean(false));
            case "abort" -> deployer.rollouts().abort();
            case "switch" -> deployer.switchTo(Slot.parse(text(in, "slot")), in.path("skipHealth").asBoolean(false));
            case "rollback" -> deployer.rollback(text(in, "schema"), in.path("yes").asBoolean(false));
            case "cleanup" -> {
                deployer.cleanup(Slot.parse(text(in, "slot")));
                yield Map.of("cleaned", text(in, "slot"));
            }
            case "maintenance" -> {
                boolean on = in.path("on").asBoolean(false);
                deployer.maintenance(on, text(in, "message"));
                yield Map.of("maintenance", on);
            }
            case "pause" -> {
                Duration max = Duration.ofMillis(in.hasNonNull("maxMs") ? in.get("maxMs").asLong() : 30_000);
                router.pause(max);
                yield Map.of("paused", true, "maxMs", max.toMillis());
            }
            case "resume" -> {
                router.resume();
                yield Map.of("paused", false);
            }
            default -> throw new SwitchbackException(ErrorCode.CONFIG, "no such deployment action: " + action);
        };
    }

    /** A reply with the latest rollout beside it ({@code "rollout": null} before the first). */
    private ObjectNode withRollout(Object reply) {
        ObjectNode out = JSON.valueToTree(reply);
        JsonNode rollout = JSON.valueToTree(deployer.rollouts().current());
        if (rollout instanceof ObjectNode o) {
            // what the daemon keeps to resume after a restart, not for reading
            o.remove(List.of("baseline", "errorEvidence", "latencyEvidence"));
        }
        out.set("rollout", rollout);
        return out;
    }

    private Reply migrationHealth() {
        StatusReport s = migrationStatus.apply(release());
        List<String> reasons = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        // after a code rollback the database is legitimately ahead of the serving release: not a health problem
        s.problems().forEach(p -> (p.type().equals("missing_file") ? notes : reasons).add(p.type() + ": " + p.message()));
        if (s.lock() != null) {
            reasons.add("migration lock held by " + s.lock().holder() + " since " + s.lock().since());
        }
        if (s.schema() != null && Boolean.TRUE.equals(s.schema().drift())) {
            reasons.add("schema_drift: the live schema differs from the one migrated (switchback drift shows how)");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", reasons.isEmpty() ? "ok" : "unhealthy");
        body.put("current", s.current());
        body.put("pending", s.pending().size());
        body.put("reasons", reasons);
        body.put("notes", notes);
        return new Reply(reasons.isEmpty() ? 200 : 503, body);
    }

    private String release() {
        String r = deployer.activeRelease();
        if (r == null) {
            throw new SwitchbackException(ErrorCode.CONFIG, "No release is active yet: migration status needs one (perform first)");
        }
        return r;
    }

    private record Reply(int status, Object body) {
    }

    /** Runs deployer work off the event loop; maps failures to a status and the CLI's exit code. */
    private void blocking(HttpServerRequest req, Callable<Reply> work) {
        vertx.executeBlocking(work, false).onComplete(ar -> {
            if (ar.succeeded()) {
                json(req, ar.result().status(), ar.result().body());
                return;
            }
            Throwable e = ar.cause();
            ErrorCode code = e instanceof SwitchbackException se ? se.code() : ErrorCode.FAILED;
            int status = switch (code) {
                case CONFIG -> 400;
                case LOCK_TIMEOUT, UNSAFE -> 409;
                case VERIFICATION -> 422;
                default -> 500;
            };
            if (!(e instanceof SwitchbackException)) {
                log.error("Admin request {} {} failed", req.method(), req.path(), e);
            }
            json(req, status, Map.of("error", String.valueOf(e.getMessage()), "code", code.exitCode()));
        });
    }

    private boolean authorized(HttpServerRequest req) {
        String h = req.getHeader("Authorization");
        if (h == null || !h.startsWith("Bearer ")) {
            return false;
        }
        return MessageDigest.isEqual(token, h.substring(7).strip().getBytes(StandardCharsets.UTF_8));
    }

    private static JsonNode parse(Buffer body) {
        try {
            return body.length() == 0 ? JSON.createObjectNode() : JSON.readTree(body.getBytes());
        } catch (java.io.IOException e) {
            throw new SwitchbackException(ErrorCode.CONFIG, "the request body is not JSON: " + e.getMessage());
        }
    }

    private static String text(JsonNode n, String field) {
        return n.hasNonNull(field) ? n.get(field).asText() : null;
    }

    private static Duration millis(JsonNode n, String field) {
        if (!n.hasNonNull(field)) {
            return null;
        }
        if (!n.get(field).canConvertToLong() || n.get(field).asLong() <= 0) {
            throw new SwitchbackException(ErrorCode.CONFIG, field + " must be a positive number of milliseconds, was " + n.get(field));
        }
        return Duration.ofMillis(n.get(field).asLong());
    }

    private static Boolean bool(JsonNode n, String field) {
        return n.hasNonNull(field) ? n.get(field).asBoolean() : null;
    }

    private static void json(HttpServerRequest req, int status, Object body) {
        try {
            req.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                    .end(Buffer.buffer(JSON.writeValueAsBytes(body)));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            req.response().setStatusCode(500).end("{\"error\":\"cannot write JSON\"}");
        }
    }

    static ObjectNode object() {
        return JSON.createObjectNode();
    }
}
