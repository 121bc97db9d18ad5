package dev.switchback.migration.schema;

import dev.switchback.migration.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The inspector of every dialect, against the real server; each subclass only supplies the databases. */
abstract class SchemaInspectorContract {
    static final List<String> TABLES = List.of(
            "CREATE TABLE customers (id INTEGER PRIMARY KEY, email VARCHAR(100) NOT NULL UNIQUE)",
            "CREATE TABLE flags (id INTEGER PRIMARY KEY, name VARCHAR(50) NOT NULL, description VARCHAR(200), "
                    + "enabled INTEGER DEFAULT 0 NOT NULL, customer_id INTEGER, "
                    + "CONSTRAINT flags_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id) ON DELETE CASCADE, "
                    + "CONSTRAINT flags_id_positive CHECK (id > 0))");
    static final List<String> OTHERS = List.of(
            "CREATE INDEX flags_name_idx ON flags (name)",
            "CREATE VIEW flag_names AS SELECT name FROM flags");
    @TempDir
    Path tmp;
    TestDatabase a;
    TestDatabase b;

    abstract TestDatabase newDatabase(Path tmp);

    abstract String dialect();

    @BeforeEach
    void setUp() {
        a = newDatabase(tmp);
        b = newDatabase(tmp);
    }

    @AfterEach
    void tearDown() {
        a.close();
        b.close();
    }

    static void run(TestDatabase db, List<String> statements) throws SQLException {
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            for (String s : statements) {
                st.execute(s);
            }
        }
    }

    Schema inspect(TestDatabase db) throws SQLException {
        try (Connection c = db.connect()) {
            return SchemaInspector.forDialect(dialect()).inspect(c, Set.of("switchback_history"));
        }
    }

    void createBoth() throws SQLException {
        run(a, TABLES);
        run(a, OTHERS);
        // the same objects written in another order, with a Switchback table and rows that move counters
        run(b, List.of(TABLES.get(0), "CREATE TABLE switchback_history (installed_rank INTEGER PRIMARY KEY)"));
        run(b, List.of(TABLES.get(1), OTHERS.get(1), OTHERS.get(0),
                "INSERT INTO customers (id, email) VALUES (7, 'a@example.com')"));
    }

    @Test
    void equalSchemasWrittenInDifferentOrdersPrintIdentically() throws Exception {
        createBoth();
        Schema left = inspect(a);
        Schema right = inspect(b);
        assertThat(right.print()).isEqualTo(left.print());
        assertThat(right.hash()).isEqualTo(left.hash());
        assertThat(SchemaDiff.between(left, right)).isEmpty();
        assertThat(left.print()).contains("table customers", "table flags", "column flags.description", "column flags.enabled",
                "index flags_name_idx on flags", "view flag_names").doesNotContain("switchback_history");
        assertThat(left.objects()).extracting(SchemaObject::label).contains("column customers.email")
                .anySatisfy(label -> assertThat(label).startsWith("constraint flags."));
    }

    @Test
    void outOfBandChangesAreReportedByObject() throws Exception {
        createBoth();
        run(b, List.of("ALTER TABLE flags DROP COLUMN description", "CREATE INDEX customers_email_tmp ON customers (email)",
                "ALTER TABLE customers ADD COLUMN note VARCHAR(20)"));
        List<Difference> diff = SchemaDiff.between(inspect(a), inspect(b));
        assertThat(diff).extracting(Difference::message).anySatisfy(m -> assertThat(m)
                        .startsWith("column flags.description: in the migrations (").endsWith("), not in the database"))
                .anySatisfy(m -> assertThat(m).startsWith("index customers_email_tmp on customers: in the database ("))
                .anySatisfy(m -> assertThat(m).startsWith("column customers.note: in the database ("));
        assertThat(diff).extracting(Difference::change).containsOnly(Difference.Change.MISSING, Difference.Change.EXTRA);
    }

    @Test
    void resolutionSqlMakesEitherSideTheOther() throws Exception {
        createBoth();
        run(b, List.of("ALTER TABLE flags DROP COLUMN description", "CREATE INDEX customers_email_tmp ON customers (email)",
                "DROP INDEX flags_name_idx" + (dialect().equals("mariadb/mysql") ? " ON flags" : "")));
        List<Difference> diff = SchemaDiff.between(inspect(a), inspect(b));
        Resolution back = Resolution.toMigrations(diff);
        assertThat(back.cannot()).isEmpty();
        run(b, back.statements());
        assertThat(SchemaDiff.between(inspect(a), inspect(b))).isEmpty();

        // and the other way: the migrations' side made into what the database had become
        run(b, List.of("ALTER TABLE flags DROP COLUMN description"));
        Resolution capture = Resolution.toDatabase(SchemaDiff.between(inspect(a), inspect(b)));
        run(a, capture.statements());
        assertThat(SchemaDiff.between(inspect(a), inspect(b))).isEmpty();
    }

    @Test
    void aDroppedTableIsOneDifferenceNotOnePerColumn() throws Exception {
        createBoth();
        run(b, List.of("DROP VIEW flag_names", "DROP TABLE flags"));
        List<Difference> diff = SchemaDiff.between(inspect(a), inspect(b));
        assertThat(diff).extracting(d -> d.object().label()).containsExactlyInAnyOrder("table flags", "view flag_names");
        Resolution back = Resolution.toMigrations(diff);
        if (!dialect().equals("postgresql")) {
            // MariaDB and SQLite cannot create a table without columns, to add them one by one
            assertThat(back.cannot()).anySatisfy(m -> assertThat(m).startsWith("table flags: cannot be created"));
            return;
        }
        assertThat(back.cannot()).isEmpty();
        run(b, back.statements());
        assertThat(SchemaDiff.between(inspect(a), inspect(b))).isEmpty();
    }
}
