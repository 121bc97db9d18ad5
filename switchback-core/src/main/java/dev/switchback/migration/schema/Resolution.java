package dev.switchback.migration.schema;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * SQL that turns one side of a drift into the other, for what can be said safely (a missing or extra column, index,
 * constraint, view, trigger, function, type, policy); everything else is named in {@link #cannot()}.
 *
 * @param statements the SQL, drops first (in reverse dependency order) and then creates
 * @param cannot     the differences it does not resolve, with what to do instead
 */
public record Resolution(List<String> statements, List<String> cannot) {

    /** SQL that brings the database back to the schema the migrations produce. */
    public static Resolution toMigrations(List<Difference> differences) {
        return of(differences, true);
    }

    /** SQL that makes the migrations' schema into the database's: the up of a migration that records the drift as intended. */
    public static Resolution toDatabase(List<Difference> differences) {
        return of(differences, false);
    }

    /** A sequence owned by a column (identity, serial) that SQL does not create or drop apart from it. */
    private static boolean goesWithItsColumn(SchemaObject from, SchemaObject to) {
        SchemaObject o = from != null ? from : to;
        return o.kind() == SchemaObject.Kind.SEQUENCE && o.table() != null
                && (from != null && from.drop() == null || to != null && to.create() == null);
    }

    private static Resolution of(List<Difference> differences, boolean toMigrations) {
        List<Difference> sorted = new ArrayList<>(differences);
        sorted.sort(Comparator.comparing(d -> d.object().kind().ordinal()));
        List<String> drops = new ArrayList<>();
        List<String> creates = new ArrayList<>();
        List<String> cannot = new ArrayList<>();
        for (Difference d : sorted) {
            SchemaObject from = toMigrations ? d.actual() : d.expected();
            SchemaObject to = toMigrations ? d.expected() : d.actual();
            if (goesWithItsColumn(from, to)) {
                continue;
            }
            if (d.change() == Difference.Change.CHANGED && d.object().kind() == SchemaObject.Kind.COLUMN) {
                cannot.add(d.object().label() + ": changing a column's type, nullability or default may rewrite or refuse its "
                        + "rows; write the ALTER TABLE by hand");
                continue;
            }
            if (from != null && from.drop() == null || to != null && to.create() == null) {
                cannot.add(d.object().label() + ": " + (to != null && to.create() == null
                        ? "cannot be created from the catalog alone; copy its definition from the migration that made it"
                        : "is removed with the object it belongs to"));
                continue;
            }
            // CREATE OR REPLACE (a function) replaces in place: dropping first would break what depends on it
            if (from != null && !(to != null && to.create().startsWith("CREATE OR REPLACE"))) {
                drops.add(0, from.drop() + ";" + (from.kind() == SchemaObject.Kind.TABLE || from.kind() == SchemaObject.Kind.COLUMN
                        ? " -- deletes its data" : ""));
            }
            if (to != null) {
                creates.add(to.create() + ";");
                // a table created whole: its columns, keys and indexes after it (a part that cannot be said is named)
                for (SchemaObject part : d.parts().stream().sorted(Comparator.comparing(o -> o.kind().ordinal())).toList()) {
                    if (goesWithItsColumn(null, part)) {
                        continue;
                    }
                    if (part.create() == null) {
                        cannot.add(part.label() + ": cannot be created from the catalog alone; copy its definition from the "
                                + "migration that made it");
                    } else {
                        creates.add(part.create() + ";");
                    }
                }
            }
        }
        List<String> statements = new ArrayList<>(drops);
        statements.addAll(creates);
        return new Resolution(List.copyOf(statements), List.copyOf(cannot));
    }

    /** The statements one a line, then what they do not do as {@code -- not done:} comments: a migration file's body. */
    public String script() {
        StringBuilder b = new StringBuilder();
        statements.forEach(s -> b.append(s).append('\n'));
        cannot.forEach(c -> b.append("-- not done: ").append(c.replace("\n", " ")).append('\n'));
        return b.toString();
    }
}
