package dev.switchback.migration.schema;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A schema in canonical form: every object sorted by kind, table and name, without what changes on its own (OIDs,
 * counters, dates) and without Switchback's own tables. Two equal schemas print identically.
 */
public final class Schema {
    private final Map<String, SchemaObject> objects;

    private Schema(Map<String, SchemaObject> objects) {
        this.objects = objects;
    }

    /** The objects, sorted; those on (or named) one of {@code excludedTables} (compared case-insensitively, last part) left out. */
    public static Schema of(Collection<SchemaObject> read, Set<String> excludedTables) {
        Set<String> excluded = excludedTables.stream().map(Schema::lastPart).collect(Collectors.toSet());
        // each key made once: thousands of objects sorted by keys built on every comparison cost more than reading them
        java.util.TreeMap<String, SchemaObject> byKey = new java.util.TreeMap<>();
        for (SchemaObject o : read) {
            if (excluded.contains(lastPart(o.table())) || o.kind() == SchemaObject.Kind.TABLE && excluded.contains(lastPart(o.name()))) {
                continue;
            }
            byKey.put(o.key(), o);
        }
        return new Schema(Collections.unmodifiableMap(new LinkedHashMap<>(byKey)));
    }

    private static String lastPart(String name) {
        if (name == null) {
            return "";
        }
        return name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
    }

    public Collection<SchemaObject> objects() {
        return objects.values();
    }

    SchemaObject get(String key) {
        return objects.get(key);
    }

    Set<String> keys() {
        return objects.keySet();
    }

    /** One line per object, {@code kind name: definition}; identical for equal schemas. */
    public String print() {
        StringBuilder sb = new StringBuilder();
        for (SchemaObject o : objects.values()) {
            sb.append(o.label()).append(": ").append(o.shownDefinition().replace('\n', ' ')).append('\n');
        }
        return sb.toString();
    }

    /** A hash of {@link #print()} with full definitions, for telling two schemas apart in one word. */
    public String hash() {
        StringBuilder sb = new StringBuilder();
        for (SchemaObject o : objects.values()) {
            sb.append(o.key()).append('\u0001').append(o.definition()).append('\u0002');
        }
        return SchemaObject.sha256(sb.toString());
    }

    @Override
    public String toString() {
        return print();
    }
}
