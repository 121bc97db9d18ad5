package dev.switchback.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchback.deploy.DeployConfig;
import dev.switchback.migration.ErrorCode;
import dev.switchback.migration.SwitchbackException;
import dev.switchback.server.AdminToken;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** The upgrade commands' line to the daemon's admin API. */
final class AdminClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final DeployConfig config;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    AdminClient(DeployConfig config) {
        this.config = config;
    }

    /** The configuration this invocation resolved (flags, environment, file). */
    DeployConfig config() {
        return config;
    }

    JsonNode get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    /** A read that needs the admin token (a release's log). */
    JsonNode getAuthorized(String path) {
        return send(HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + token()).GET());
    }

    private String token() {
        String token = AdminToken.read(config.stateDir(), System.getenv("SWITCHBACK_ADMIN_TOKEN"));
        if (token == null) {
            throw new SwitchbackException(ErrorCode.CONFIG, "No admin token: set SWITCHBACK_ADMIN_TOKEN, or start `switchback serve` "
                    + "once so it writes " + config.stateDir().resolve("admin.token"));
        }
        return token;
    }

    JsonNode post(String path, Map<String, Object> body) {
        String token = token();
        try {
            return send(HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body))));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private URI uri(String path) {
        return URI.create("http://" + config.adminHost() + ":" + config.adminPort() + path);
    }

    private JsonNode send(HttpRequest.Builder request) {
        try {
            HttpResponse<byte[]> r = http.send(request.timeout(Duration.ofHours(1)).build(), HttpResponse.BodyHandlers.ofByteArray());
            JsonNode body = r.body().length == 0 ? JSON.createObjectNode() : JSON.readTree(r.body());
            if (r.statusCode() / 100 != 2) {
                int code = body.path("code").asInt(1);
                ErrorCode ec = ErrorCode.FAILED;
                for (ErrorCode c : ErrorCode.values()) {
                    if (c.exitCode() == code) {
                        ec = c;
                    }
                }
                throw new SwitchbackException(ec, body.path("error").asText("the daemon answered " + r.statusCode()));
            }
            return body;
        } catch (ConnectException e) {
            throw new SwitchbackException(ErrorCode.FAILED, "The daemon is not running at " + config.adminHost() + ":" + config.adminPort()
                    + ": start it with `switchback serve` (same config)");
        } catch (IOException e) {
            throw new SwitchbackException(ErrorCode.FAILED, "Talking to the daemon at " + config.adminHost() + ":" + config.adminPort()
                    + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SwitchbackException(ErrorCode.FAILED, "Interrupted while waiting for the daemon");
        }
    }
}
