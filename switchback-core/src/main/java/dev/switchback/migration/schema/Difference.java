package dev.switchback.migration.schema;

import java.util.List;

/**
 * One object that is not the same in the migrations (the expected schema) and in the database.
 *
 * @param expected the object as the applied migrations make it, or null when they do not make it
 * @param actual   the object in the database, or null when it is not there
 * @param parts    for a table on one side only: its columns, constraints, indexes, triggers and policies there
 *                 (not differences of their own), so that SQL can create it whole
 */
public record Difference(SchemaObject expected, SchemaObject actual, List<SchemaObject> parts) {

    public Difference {
        parts = List.copyOf(parts);
    }

    public Difference(SchemaObject expected, SchemaObject actual) {
        this(expected, actual, List.of());
    }

    public enum Change {
        /** In the migrations, not in the database. */
        MISSING,
        /** In the database, not in the migrations. */
        EXTRA,
        /** In both, defined differently. */
        CHANGED;

        public String json() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public Change change() {
        return actual == null ? Change.MISSING : expected == null ? Change.EXTRA : Change.CHANGED;
    }

    public SchemaObject object() {
        return expected != null ? expected : actual;
    }

    /** {@code column flags.description: in the migrations (text NULL), not in the database}. */
    public String message() {
        return message("the migrations", "the database");
    }

    /** The message with each side named, e.g. two databases compared: {@code column t.c: in A (...), not in B}. */
    public String message(String expectedSide, String actualSide) {
        SchemaObject o = object();
        return switch (change()) {
            case MISSING -> o.label() + ": in " + expectedSide + " (" + o.shownDefinition() + "), not in " + actualSide;
            case EXTRA -> o.label() + ": in " + actualSide + " (" + o.shownDefinition() + "), not in " + expectedSide;
            case CHANGED -> o.kind().longText() ? o.label() + ": definition differs"
                    : o.label() + ": differs: in " + expectedSide + " " + expected.definition() + ", in " + actualSide + " " + actual.definition();
        };
    }
}
