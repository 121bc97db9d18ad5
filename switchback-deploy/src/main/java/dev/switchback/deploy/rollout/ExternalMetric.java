package dev.switchback.deploy.rollout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.OptionalDouble;

/**
 * {@code deploy.analysis.prometheus}: a metric the router cannot see (a worker's error counter), asked of a Prometheus
 * server with {@code {{release}}} and {@code {{slot}}} replaced by the canary's. Above {@code max} the canary fails;
 * an empty answer (or no answer) is "not yet", never a pass.
 */
public record ExternalMetric(String url, String query, double max) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /**
     * The metric is the query with its max, asked of the server at url; without a query and a max there is none (a url
     * alone names the Prometheus server that deploy.runtime kubernetes reads the canary's counters from). One line per
     * problem.
     */
    static ExternalMetric parse(String url, String query, String max, List<String> problems) {
        if (query == null && max == null) {
            return null;
        }
        if (url == null || !(url.startsWith("http://") || url.startsWith("https://"))) {
            problems.add("deploy.analysis.prometheus.url must be the Prometheus server's http(s):// address, was '" + url + "'");
        }
        if (query == null || query.isBlank()) {
            problems.add("deploy.analysis.prometheus.query is missing: a PromQL query, e.g. sum(rate(worker_errors_total{release=\"{{release}}\"}[1m]))");
        }
        double m = 0;
        try {
            m = Double.parseDouble(String.valueOf(max).strip());
        } catch (NumberFormatException e) {
            problems.add("deploy.analysis.prometheus.max '" + max + "' is not a number (the canary fails above it)");
        }
        return new ExternalMetric(url == null ? "" : url.replaceAll("/+$", ""), query, m);
    }

    /** The query's value for the canary (the largest if several series answer); empty when nothing answered. */
    OptionalDouble ask(String release, String slot) {
        String q = query.replace("{{release}}", release).replace("{{slot}}", slot);
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url + "/api/v1/query?query="
                    + URLEncoder.encode(q, StandardCharsets.UTF_8))).timeout(Duration.ofSeconds(3)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                return OptionalDouble.empty();
            }
            double best = Double.NaN;
            for (JsonNode series : JSON.readTree(r.body()).path("data").path("result")) {
                double v = Double.parseDouble(series.path("value").path(1).asText("NaN"));
                if (!Double.isNaN(v) && (Double.isNaN(best) || v > best)) {
                    best = v;
                }
            }
            return Double.isNaN(best) ? OptionalDouble.empty() : OptionalDouble.of(best);
        } catch (java.io.IOException | RuntimeException e) {
            return OptionalDouble.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return OptionalDouble.empty();
        }
    }
}
