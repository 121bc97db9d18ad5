package dev.switchback.deploy.notify;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** The body a webhook expects: Slack's {@code text}, Discord's {@code content}, or the event itself as JSON. */
public enum NotifyFormat {
    SLACK, DISCORD, JSON;

    private static final ObjectMapper MAPPER = new ObjectMapper();

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    static NotifyFormat find(String value) {
        for (NotifyFormat f : values()) {
            if (f.id().equals(String.valueOf(value).strip().toLowerCase(Locale.ROOT))) {
                return f;
            }
        }
        return null;
    }

    byte[] body(DeployEvent e) {
        Map<String, Object> out = new LinkedHashMap<>();
        switch (this) {
            case SLACK -> out.put("text", line(e));
            case DISCORD -> out.put("content", line(e));
            case JSON -> {
                out.put("event", e.type().id());
                out.put("release", e.release());
                out.put("slot", e.slot());
                out.put("message", e.message());
                out.put("details", e.details());
                out.put("at", e.at().toString());
            }
        }
        try {
            return MAPPER.writeValueAsBytes(out);
        } catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
            throw new IllegalStateException("Cannot write a notification: " + ex.getMessage(), ex);
        }
    }

    /** One line for a chat: what, which release and slot, the message, then the numbers. */
    static String line(DeployEvent e) {
        StringBuilder b = new StringBuilder("switchback ").append(e.type().id());
        if (e.release() != null) {
            b.append(" ").append(e.release());
        }
        if (e.slot() != null) {
            b.append(" (").append(e.slot()).append(")");
        }
        if (e.message() != null) {
            b.append(": ").append(e.message());
        }
        if (!e.details().isEmpty()) {
            b.append(" ").append(e.details());
        }
        return b.toString();
    }
}
