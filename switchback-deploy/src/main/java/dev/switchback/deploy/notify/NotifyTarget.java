package dev.switchback.deploy.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * One {@code deploy.notify} entry: where to POST, which events, in which format. The URL is a secret (a Slack or
 * Discord webhook URL is its own credential): {@link #toString()}, logs and snapshots show {@link #maskedUrl()} only.
 *
 * @param events the events sent; all of them when the entry names none
 */
public record NotifyTarget(URI url, Set<DeployEventType> events, NotifyFormat format) {
    public NotifyTarget {
        events = events.isEmpty() ? EnumSet.allOf(DeployEventType.class) : EnumSet.copyOf(events);
    }

    public boolean wants(DeployEventType type) {
        return events.contains(type);
    }

    /** Scheme, host and port only: {@code https://hooks.slack.com/****}. */
    public String maskedUrl() {
        return mask(url);
    }

    static String mask(URI u) {
        return u.getScheme() + "://" + u.getHost() + (u.getPort() < 0 ? "" : ":" + u.getPort()) + "/****";
    }

    @Override
    public String toString() {
        return "NotifyTarget[url=" + maskedUrl() + ", events=" + events + ", format=" + format.id() + "]";
    }

    /**
     * {@code deploy.notify} as the config file gives it: a JSON list of {@code {url, events, format}} (the YAML list is
     * handed over as JSON). Problems never quote a URL, only its masked form.
     */
    public static List<NotifyTarget> parse(String json, List<String> problems) {
        List<NotifyTarget> out = new ArrayList<>();
        if (json == null || json.isBlank()) {
            return out;
        }
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(json);
        } catch (java.io.IOException e) {
            problems.add("deploy.notify must be a list of {url, events, format}");
            return out;
        }
        if (!root.isArray()) {
            problems.add("deploy.notify must be a list of {url, events, format}");
            return out;
        }
        int i = 0;
        for (JsonNode n : root) {
            String at = "deploy.notify[" + i++ + "]";
            URI url = null;
            try {
                url = URI.create(n.path("url").asText(""));
                if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme()) || url.getHost() == null) {
                    problems.add(at + ".url must be an http or https URL");
                    url = null;
                }
            } catch (IllegalArgumentException e) {
                problems.add(at + ".url must be an http or https URL");
            }
            NotifyFormat format = NotifyFormat.find(n.path("format").asText("json"));
            if (format == null) {
                problems.add(at + ".format must be slack, discord or json, was '" + n.path("format").asText() + "'");
            }
            Set<DeployEventType> events = EnumSet.noneOf(DeployEventType.class);
            for (JsonNode e : n.path("events")) {
                DeployEventType t = DeployEventType.find(e.asText());
                if (t == null) {
                    problems.add(at + ".events: '" + e.asText() + "' is not an event (known: "
                            + String.join(", ", EnumSet.allOf(DeployEventType.class).stream().map(DeployEventType::id).toList()) + ")");
                } else {
                    events.add(t);
                }
            }
            if (url != null && format != null) {
                out.add(new NotifyTarget(url, events, format));
            }
        }
        return out;
    }
}
