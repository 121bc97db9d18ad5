package dev.switchback.migration.schema;

import dev.switchback.migration.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PostgresSchemaInspectorIT extends SchemaInspectorContract {
    @Override
    TestDatabase newDatabase(Path tmp) {
        return TestDatabase.postgres();
    }

    @Override
    String dialect() {
        return "postgresql";
    }

    static final List<String> EVERY_KIND = List.of(
            "CREATE TYPE mood AS ENUM ('sad', 'ok')",
            "CREATE DOMAIN positive AS integer CHECK (VALUE > 0)",
            "CREATE SEQUENCE tickets START 100",
            "CREATE TABLE notes (id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY, body text COLLATE \"C\", m mood, "
                    + "n positive, len integer GENERATED ALWAYS AS (length(body)) STORED)",
            "ALTER TABLE notes ENABLE ROW LEVEL SECURITY",
            "CREATE POLICY notes_all ON notes USING (len < 100)",
            "CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$",
            "CREATE TRIGGER notes_touch BEFORE UPDATE ON notes FOR EACH ROW EXECUTE FUNCTION touch()",
            "CREATE MATERIALIZED VIEW note_lengths AS SELECT len FROM notes",
            "COMMENT ON COLUMN notes.body IS 'what was said'");

    /**
     * The fingerprint counts each catalog's xmins per transaction; its text is still that of the list of every row's
     * xmin in order, which snapshots taken before were stored with (their fingerprint must still match).
     */
    @Test
    void theCatalogFingerprintIsTheOneSpelledOutRowByRow() throws Exception {
        run(a, EVERY_KIND);
        run(a, List.of("CREATE TABLE more (id integer PRIMARY KEY, a text, b text)", "CREATE INDEX more_a ON more (a)"));
        StringBuilder rowByRow = new StringBuilder("SELECT md5(current_setting('server_version_num') || '|' || current_setting('search_path')");
        for (String catalog : List.of("pg_namespace", "pg_class", "pg_attribute", "pg_attrdef", "pg_constraint", "pg_index",
                "pg_rewrite", "pg_sequence", "pg_type", "pg_enum", "pg_extension", "pg_proc", "pg_trigger", "pg_policy",
                "pg_description", "pg_collation", "pg_inherits", "pg_depend")) {
            rowByRow.append(" || '|").append(catalog).append("' || (SELECT count(*) || ':' || coalesce(md5(string_agg(xmin::text, ',' ")
                    .append("ORDER BY xmin::text::bigint)), '') FROM ").append(catalog).append(')');
        }
        rowByRow.append(" || '|' || (SELECT coalesce(md5(string_agg(indexrelid || ':' || indisvalid || indisready || indislive, ',' ")
                .append("ORDER BY indexrelid)), '') FROM pg_index)");
        rowByRow.append(" || '|' || (SELECT coalesce(md5(string_agg(oid || ':' || rolname, ',' ORDER BY oid)), '') FROM pg_roles))");
        try (java.sql.Connection c = a.connect(); java.sql.Statement st = c.createStatement();
             java.sql.ResultSet rs = st.executeQuery(rowByRow.toString())) {
            assertThat(rs.next()).isTrue();
            String fingerprint = SchemaInspector.forDialect("postgresql").catalogFingerprint(c);
            assertThat(fingerprint).hasSize(32).isEqualTo(rs.getString(1));
        }
    }

    @Test
    void everyKindOfObjectIsComparedAndItsChangeResolved() throws Exception {
        run(a, EVERY_KIND);
        run(b, EVERY_KIND);
        run(b, List.of("INSERT INTO notes (body) VALUES ('x')", "SELECT nextval('tickets')"));
        assertThat(inspect(b).print()).isEqualTo(inspect(a).print()).contains("type mood: enum ('sad', 'ok')",
                "sequence tickets: AS bigint INCREMENT 1", "policy notes_all on notes", "trigger notes_touch on notes",
                "function touch()", "view note_lengths", "column notes.body: text COLLATE \"C\" NULL COMMENT 'what was said'",
                "column notes.id: integer NOT NULL GENERATED ALWAYS AS IDENTITY", "GENERATED ALWAYS AS (length(body)) STORED");

        run(b, List.of("DROP POLICY notes_all ON notes", "DROP TRIGGER notes_touch ON notes", "DROP SEQUENCE tickets",
                "CREATE OR REPLACE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.body := 'x'; RETURN NEW; END $$",
                "DROP MATERIALIZED VIEW note_lengths", "CREATE MATERIALIZED VIEW note_lengths AS SELECT len, body FROM notes"));
        List<Difference> diff = SchemaDiff.between(inspect(a), inspect(b));
        assertThat(diff).extracting(d -> d.object().label() + " " + d.change().json()).containsExactlyInAnyOrder(
                "sequence tickets missing", "view note_lengths changed", "function touch() changed",
                "trigger notes_touch on notes missing", "policy notes_all on notes missing");
        Resolution back = Resolution.toMigrations(diff);
        // a function is replaced in place: dropping it would take its trigger along
        assertThat(back.statements()).noneMatch(s -> s.startsWith("DROP FUNCTION"));
        assertThat(back.cannot()).isEmpty();
        run(b, back.statements());
        assertThat(SchemaDiff.between(inspect(a), inspect(b))).isEmpty();

        // a table with an identity, a serial, a generated column, a key and a trigger, dropped and made again from the catalog
        run(a, List.of("CREATE TABLE tallies (id serial PRIMARY KEY, n integer NOT NULL CHECK (n >= 0), note_id integer "
                + "REFERENCES notes (id), twice integer GENERATED ALWAYS AS (n * 2) STORED)", "CREATE INDEX tallies_n ON tallies (n)"));
        run(b, List.of("DROP TABLE notes CASCADE"));
        List<Difference> gone = SchemaDiff.between(inspect(a), inspect(b));
        assertThat(gone).extracting(d -> d.object().label()).contains("table notes", "table tallies");
        Resolution whole = Resolution.toMigrations(gone);
        assertThat(whole.cannot()).isEmpty();
        run(b, whole.statements());
        assertThat(SchemaDiff.between(inspect(a), inspect(b))).isEmpty();
    }
}
