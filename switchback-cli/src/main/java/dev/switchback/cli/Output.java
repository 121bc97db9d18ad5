package dev.switchback.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import dev.switchback.migration.ErrorCode;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;

/** Results on stdout: human text, or JSON with --json. Logs never come here. */
final class Output {
    private final PrintStream out;
    private final boolean json;

    Output(PrintStream out, boolean json) {
        this.out = out;
        this.json = json;
    }

    boolean json() {
        return json;
    }

    void json(Object value) {
        try {
            out.println(Json.MAPPER.writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write JSON: " + e.getMessage(), e);
        }
    }

    /** A failed command under --json: {@code {"error": {"code": <exit code>, "type": <ErrorCode>, "message": ...}}}. */
    void error(int exitCode, ErrorCode type, String message) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", exitCode);
        error.put("type", type.name());
        error.put("message", message);
        json(Map.of("error", error));
    }

    void line(String text) {
        out.println(text);
    }

    void line(String format, Object... args) {
        out.println(String.format(format, args));
    }

    /** Built on first use: a command printing text never loads the JSON library (about 400 classes). */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper()
                .enable(SerializationFeature.INDENT_OUTPUT)
                .setSerializationInclusion(JsonInclude.Include.ALWAYS);
    }
}
