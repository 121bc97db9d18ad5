package dev.switchback.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchback.deploy.Slot;
import dev.switchback.deploy.SlotTraffic;
import dev.switchback.migration.ErrorCode;
import dev.switchback.migration.SwitchbackException;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A slot's counters from Prometheus (instant queries over its HTTP API), in the shape the router's counters have, so
 * the same judge reads them. A query that answers nothing (the metric is missing, or no pod of the slot was scraped
 * yet) is "not yet": {@link #read} is empty and the caller keeps what it saw last, so the judge sees no new requests
 * and can only wait, never pass.
 */
final class PrometheusCounters {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final KubernetesConfig config;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    PrometheusCounters(KubernetesConfig config) {
        this.config = config;
    }

    Optional<SlotTraffic> read(Slot slot) {
        Optional<Double> requests = scalar(expand(config.requestsQuery(), slot));
        if (requests.isEmpty()) {
            return Optional.empty();
        }
        // no 5xx series yet is the usual "none": a counter with a status label appears with the first error
        double errors = scalar(expand(config.errorsQuery(), slot)).orElse(0.0);
        long[] counts = new long[SlotTraffic.BUCKETS];
        String latency = config.latencyQuery();
        if (latency == null || latency.isBlank()) {
            // latency not judged: every request in the fastest bucket, the same on both sides
            counts[0] = Math.round(requests.get());
        } else {
            JsonNode result = query(expand(latency, slot));
            if (result.isEmpty()) {
                return Optional.empty();
            }
            TreeMap<Double, Double> cumulative = new TreeMap<>();
            for (JsonNode series : result) {
                String le = series.path("metric").path("le").asText("+Inf");
                cumulative.put(le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le), value(series));
            }
            double below = 0;
            for (var e : cumulative.entrySet()) {
                int bucket = e.getKey().isInfinite() ? SlotTraffic.BUCKETS - 1 : SlotTraffic.bucket((long) (e.getKey() * 1e9));
                counts[bucket] += Math.max(0, Math.round(e.getValue() - below));
                below = Math.max(below, e.getValue());
            }
        }
        return Optional.of(new SlotTraffic(Math.round(requests.get()), Math.round(errors), counts));
    }

    private String expand(String query, Slot slot) {
        return query.replace("${NAMESPACE}", String.valueOf(config.namespace())).replace("${DEPLOYMENT}", config.deployment(slot))
                .replace("${SLOT}", slot.id()).replace("${NAME}", config.name());
    }

    private Optional<Double> scalar(String q) {
        JsonNode result = query(q);
        return result.isEmpty() ? Optional.empty() : Optional.of(value(result.get(0)));
    }

    private static double value(JsonNode series) {
        String v = series.path("value").path(1).asText("NaN");
        double d = Double.parseDouble(v);
        return Double.isNaN(d) ? 0 : d;
    }

    private JsonNode query(String q) {
        URI uri = URI.create(config.prometheus() + "/api/v1/query?query=" + URLEncoder.encode(q, StandardCharsets.UTF_8));
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode body = JSON.readTree(r.body());
            if (r.statusCode() != 200 || !"success".equals(body.path("status").asText())) {
                throw new SwitchbackException(ErrorCode.FAILED, "Prometheus " + config.prometheus() + " answered " + r.statusCode()
                        + " to " + q + ": " + body.path("error").asText(r.body()));
            }
            return body.path("data").path("result");
        } catch (IOException e) {
            throw new SwitchbackException(ErrorCode.FAILED, "Prometheus " + config.prometheus() + " is unreachable: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SwitchbackException(ErrorCode.FAILED, "interrupted while asking Prometheus", e);
        }
    }
}
