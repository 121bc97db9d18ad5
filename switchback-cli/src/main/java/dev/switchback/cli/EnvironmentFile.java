package dev.switchback.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.switchback.migration.AppliedMigration;
import dev.switchback.migration.EnvironmentExport;
import dev.switchback.migration.ErrorCode;
import dev.switchback.migration.SwitchbackException;
import dev.switchback.migration.schema.Schema;
import dev.switchback.migration.schema.SchemaObject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The file {@code compare --export} writes and {@code compare --with} reads: one environment's history rows and its
 * canonical schema as JSON ({@value #FORMAT}). It holds no data and no secrets: the URL is masked, and no stored SQL of
 * the history is in it (checksums stand for it).
 */
final class EnvironmentFile {
    static final String FORMAT = "switchback-environment/1";

    private EnvironmentFile() {
    }

    static void write(Path file, EnvironmentExport e) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("format", FORMAT);
        root.put("database", e.database());
        root.put("dialect", e.dialect());
        root.put("exportedAt", Instant.now().toString());
        List<Map<String, Object>> history = new ArrayList<>();
        for (AppliedMigration m : e.history()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("rank", m.rank());
            row.put("version", m.version());
            row.put("description", m.description());
            row.put("type", m.type());
            row.put("script", m.script());
            row.put("checksum", m.checksum());
            row.put("state", m.state());
            row.put("hasDown", m.hasDown());
            history.add(row);
        }
        root.put("history", history);
        List<Map<String, Object>> schema = new ArrayList<>();
        for (SchemaObject o : e.schema().objects()) {
            Map<String, Object> obj = new LinkedHashMap<>();
            obj.put("kind", o.kind().label());
            obj.put("table", o.table());
            obj.put("name", o.name());
            obj.put("definition", o.definition());
            obj.put("create", o.create());
            obj.put("drop", o.drop());
            schema.add(obj);
        }
        root.put("schema", schema);
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), root);
        } catch (IOException ex) {
            throw new SwitchbackException(ErrorCode.FAILED, "Cannot write " + file + ": " + ex.getMessage(), ex);
        }
    }

    static EnvironmentExport read(Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(file.toFile());
        } catch (IOException ex) {
            throw new SwitchbackException(ErrorCode.CONFIG, "Cannot read " + file + " as an environment export: " + ex.getMessage()
                    + ". Write one with 'switchback compare --export FILE' on the other environment.", ex);
        }
        if (root == null || !FORMAT.equals(root.path("format").asText())) {
            throw new SwitchbackException(ErrorCode.CONFIG, file + " is not an environment export (format " + FORMAT + "); write one "
                    + "with 'switchback compare --export FILE' (the output of drift --json or compare --json describes differences, "
                    + "not an environment)");
        }
        List<AppliedMigration> history = new ArrayList<>();
        for (JsonNode r : root.path("history")) {
            history.add(new AppliedMigration(r.path("rank").asInt(), text(r, "version"), text(r, "description"), text(r, "type"),
                    text(r, "script"), text(r, "checksum"), null, null, 0, text(r, "state"), 0, null, r.path("hasDown").asBoolean()));
        }
        List<SchemaObject> objects = new ArrayList<>();
        for (JsonNode o : root.path("schema")) {
            SchemaObject.Kind kind;
            try {
                kind = SchemaObject.Kind.valueOf(o.path("kind").asText().toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException ex) {
                throw new SwitchbackException(ErrorCode.CONFIG, file + ": unknown kind of object '" + o.path("kind").asText() + "'");
            }
            objects.add(new SchemaObject(kind, text(o, "table"), text(o, "name"), text(o, "definition"), text(o, "create"), text(o, "drop")));
        }
        return new EnvironmentExport(text(root, "database") + " (" + file.getFileName() + ")", text(root, "dialect"), history,
                Schema.of(objects, Set.of()));
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
