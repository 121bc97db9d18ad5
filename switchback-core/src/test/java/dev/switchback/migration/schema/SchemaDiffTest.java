package dev.switchback.migration.schema;

import dev.switchback.migration.schema.SchemaObject.Kind;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class SchemaDiffTest {
    static final SchemaObject TABLE = new SchemaObject(Kind.TABLE, null, "orders", "table", "CREATE TABLE orders ()", "DROP TABLE orders");
    static final SchemaObject NOTE = new SchemaObject(Kind.COLUMN, "orders", "note", "text NULL",
            "ALTER TABLE orders ADD COLUMN note text", "ALTER TABLE orders DROP COLUMN note");
    static final SchemaObject FUNCTION = new SchemaObject(Kind.FUNCTION, null, "f()", "CREATE OR REPLACE FUNCTION f()\nbody 1",
            "CREATE OR REPLACE FUNCTION f()\nbody 1", "DROP FUNCTION f()");

    @Test
    void theOrderObjectsAreReadInDoesNotMatterAndOurTablesAreLeftOut() {
        SchemaObject history = SchemaObject.of(Kind.TABLE, null, "app.switchback_history", "table");
        SchemaObject historyKey = SchemaObject.of(Kind.CONSTRAINT, "app.switchback_history", "pk", "PRIMARY KEY (installed_rank)");
        Schema one = Schema.of(List.of(NOTE, TABLE, FUNCTION, history, historyKey), Set.of("app.switchback_history"));
        Schema two = Schema.of(List.of(FUNCTION, TABLE, NOTE), Set.of("switchback_history"));
        assertThat(one.print()).isEqualTo(two.print())
                .isEqualTo("table orders: table\ncolumn orders.note: text NULL\nfunction f(): sha256:" + SchemaObject.sha256(FUNCTION.definition()).substring(0, 16) + "\n");
        assertThat(one.hash()).isEqualTo(two.hash());
    }

    @Test
    void eachSideIsNamedAndAMissingTableStandsForItsColumns() {
        Schema expected = Schema.of(List.of(TABLE, NOTE), Set.of());
        Schema empty = Schema.of(List.of(), Set.of());
        List<Difference> diff = SchemaDiff.between(expected, empty);
        assertThat(diff).singleElement().satisfies(d -> {
            assertThat(d.message()).isEqualTo("table orders: in the migrations (table), not in the database");
            assertThat(d.parts()).containsExactly(NOTE);
        });
        assertThat(Resolution.toMigrations(diff).statements()).containsExactly("CREATE TABLE orders ();",
                "ALTER TABLE orders ADD COLUMN note text;");
        assertThat(Resolution.toDatabase(diff).statements()).containsExactly("DROP TABLE orders; -- deletes its data");
        assertThat(SchemaDiff.between(empty, expected).get(0).message("A", "B")).isEqualTo("table orders: in B (table), not in A");
    }

    @Test
    void aChangedColumnIsNamedNotGuessedAndAFunctionIsReplacedInPlace() {
        SchemaObject wider = new SchemaObject(Kind.COLUMN, "orders", "note", "varchar(200) NULL", "x", "y");
        SchemaObject body2 = new SchemaObject(Kind.FUNCTION, null, "f()", "CREATE OR REPLACE FUNCTION f()\nbody 2",
                "CREATE OR REPLACE FUNCTION f()\nbody 2", "DROP FUNCTION f()");
        List<Difference> diff = SchemaDiff.between(Schema.of(List.of(TABLE, NOTE, FUNCTION), Set.of()),
                Schema.of(List.of(TABLE, wider, body2), Set.of()));
        assertThat(diff).extracting(Difference::message).containsExactly(
                "column orders.note: differs: in the migrations text NULL, in the database varchar(200) NULL",
                "function f(): definition differs");
        Resolution back = Resolution.toMigrations(diff);
        assertThat(back.statements()).containsExactly("CREATE OR REPLACE FUNCTION f()\nbody 1;");
        assertThat(back.cannot()).singleElement().satisfies(m -> assertThat(m).startsWith("column orders.note: changing"));
    }
}
