package dev.switchback.migration.schema;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * A schema as stored in {@code switchback_schema}: every object with the SQL that creates and drops it (so drift can
 * say how to put a missing object back), gzip-compressed and Base64-encoded into a text column every dialect has.
 */
public final class SchemaText {
    private SchemaText() {
    }

    public static String encode(Schema schema) {
        StringBuilder b = new StringBuilder(schema.objects().size() * 160);
        for (SchemaObject o : schema.objects()) {
            b.append(o.kind().name()).append(';');
            field(b, o.table());
            field(b, o.name());
            field(b, o.definition());
            field(b, o.create());
            field(b, o.drop());
            b.append('\n');
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(b.toString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Base64.getEncoder().encodeToString(bytes.toByteArray());
    }

    /** The schema {@link #encode} wrote; an unreadable text throws IllegalArgumentException. */
    public static Schema decode(String encoded) {
        String text;
        try (GZIPInputStream gz = new GZIPInputStream(new ByteArrayInputStream(Base64.getDecoder().decode(encoded)))) {
            text = new String(gz.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("not a stored schema: " + e.getMessage(), e);
        }
        List<SchemaObject> objects = new ArrayList<>();
        int[] at = {0};
        while (at[0] < text.length()) {
            int semi = text.indexOf(';', at[0]);
            SchemaObject.Kind kind = SchemaObject.Kind.valueOf(text.substring(at[0], semi));
            at[0] = semi + 1;
            String table = read(text, at);
            String name = read(text, at);
            String definition = read(text, at);
            String create = read(text, at);
            String drop = read(text, at);
            if (text.charAt(at[0]) != '\n') {
                throw new IllegalArgumentException("not a stored schema: no line end at " + at[0]);
            }
            at[0]++;
            objects.add(new SchemaObject(kind, table, name, definition, create, drop));
        }
        return Schema.of(objects, Set.of());
    }

    /** A length-prefixed field, {@code -;} for null. */
    private static void field(StringBuilder b, String s) {
        if (s == null) {
            b.append("-;");
        } else {
            b.append(s.length()).append(':').append(s).append(';');
        }
    }

    private static String read(String text, int[] at) {
        if (text.charAt(at[0]) == '-') {
            at[0] += 2;
            return null;
        }
        int colon = text.indexOf(':', at[0]);
        int length = Integer.parseInt(text.substring(at[0], colon));
        String s = text.substring(colon + 1, colon + 1 + length);
        at[0] = colon + 1 + length + 1;
        return s;
    }
}
