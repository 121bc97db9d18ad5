package dev.switchback.migration.schema;

import dev.switchback.migration.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SqliteSchemaInspectorIT extends SchemaInspectorContract {
    @Override
    TestDatabase newDatabase(Path tmp) {
        return TestDatabase.sqlite(tmp);
    }

    @Override
    String dialect() {
        return "sqlite";
    }

    static final List<String> EVERY_KIND = List.of(
            "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL DEFAULT '', "
                    + "len INTEGER GENERATED ALWAYS AS (length(body)) VIRTUAL, parent INTEGER REFERENCES notes (id) ON DELETE SET NULL, "
                    + "CONSTRAINT body_short CHECK (length(body) < 1000))",
            "CREATE TABLE tags (id INTEGER PRIMARY KEY, label TEXT CHECK (label <> ''))",
            "CREATE UNIQUE INDEX notes_body ON notes (body)",
            "CREATE TRIGGER notes_touch AFTER UPDATE ON notes BEGIN UPDATE notes SET body = trim(body) WHERE id = NEW.id; END",
            "CREATE VIEW note_lengths AS SELECT len FROM notes");

    @Test
    void everyKindOfObjectIsComparedAndItsChangeResolved() throws Exception {
        run(a, EVERY_KIND);
        run(b, EVERY_KIND);
        run(b, List.of("INSERT INTO notes (body) VALUES ('x')"));
        assertThat(inspect(b).print()).isEqualTo(inspect(a).print()).contains("column notes.len: INTEGER NULL GENERATED VIRTUAL",
                "column notes.body: TEXT NOT NULL DEFAULT ''", "constraint notes.foreign key (parent): REFERENCES notes (id) ON UPDATE NO ACTION ON DELETE SET NULL",
                "index notes_body on notes: CREATE UNIQUE INDEX notes_body ON notes (body)", "trigger notes_touch on notes", "view note_lengths",
                "constraint notes.body_short: CHECK (length(body) < 1000)", "constraint tags.check (label <> ''): CHECK (label <> '')");

        // a check changed by rebuilding the table (SQLite's only way) is a check missing and another one extra
        run(b, List.of("CREATE TABLE tags_new (id INTEGER PRIMARY KEY, label TEXT CHECK (length(label) > 0))",
                "INSERT INTO tags_new SELECT * FROM tags", "DROP TABLE tags", "ALTER TABLE tags_new RENAME TO tags"));
        assertThat(SchemaDiff.between(inspect(a), inspect(b))).extracting(d -> d.object().label() + " " + d.change().json())
                .containsExactlyInAnyOrder("constraint tags.check (label <> '') missing", "constraint tags.check (length(label) > 0) extra");
        run(b, List.of("CREATE TABLE tags_old (id INTEGER PRIMARY KEY, label TEXT CHECK (label <> ''))",
                "INSERT INTO tags_old SELECT * FROM tags", "DROP TABLE tags", "ALTER TABLE tags_old RENAME TO tags"));

        run(b, List.of("DROP TRIGGER notes_touch", "DROP INDEX notes_body", "DROP VIEW note_lengths",
                "CREATE VIEW note_lengths AS SELECT len, body FROM notes"));
        List<Difference> diff = SchemaDiff.between(inspect(a), inspect(b));
        assertThat(diff).extracting(d -> d.object().label() + " " + d.change().json()).containsExactlyInAnyOrder(
                "trigger notes_touch on notes missing", "index notes_body on notes missing", "view note_lengths changed");
        Resolution back = Resolution.toMigrations(diff);
        assertThat(back.cannot()).isEmpty();
        run(b, back.statements().stream().map(s -> s.replaceAll(";$", "")).toList());
        assertThat(SchemaDiff.between(inspect(a), inspect(b))).isEmpty();
    }
}
