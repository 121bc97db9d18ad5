package dev.switchback.migration.schema;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** The objects that differ between two schemas; a table missing on one side stands for its columns, keys and indexes. */
public final class SchemaDiff {
    private SchemaDiff() {
    }

    public static List<Difference> between(Schema expected, Schema actual) {
        Set<String> keys = new TreeSet<>(expected.keys());
        keys.addAll(actual.keys());
        List<Difference> all = new ArrayList<>();
        Set<String> tablesOnOneSide = new HashSet<>();
        for (String key : keys) {
            SchemaObject e = expected.get(key);
            SchemaObject a = actual.get(key);
            if (e != null && a != null && e.sameAs(a)) {
                continue;
            }
            if ((e == null || a == null) && (e != null ? e : a).kind() == SchemaObject.Kind.TABLE) {
                tablesOnOneSide.add((e != null ? e : a).name());
            }
            all.add(new Difference(e, a));
        }
        List<Difference> out = new ArrayList<>();
        for (Difference d : all) {
            if (d.object().table() != null && d.object().kind() != SchemaObject.Kind.TABLE
                    && tablesOnOneSide.contains(d.object().table()) && d.change() != Difference.Change.CHANGED) {
                continue;
            }
            if (d.object().kind() == SchemaObject.Kind.TABLE && d.change() != Difference.Change.CHANGED) {
                String table = d.object().name();
                out.add(new Difference(d.expected(), d.actual(), all.stream().map(Difference::object)
                        .filter(o -> table.equals(o.table()) && o.kind() != SchemaObject.Kind.TABLE).toList()));
            } else {
                out.add(d);
            }
        }
        return out;
    }
}
