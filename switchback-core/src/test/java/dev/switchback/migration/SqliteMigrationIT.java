package dev.switchback.migration;

import dev.switchback.migration.testing.TestDatabase;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class SqliteMigrationIT extends MigrationContract {
    @Override
    protected TestDatabase newDatabase(Path tmp) {
        return TestDatabase.sqlite(tmp);
    }

    @Test
    void historyFingerprintShowsEveryPlannedColumnHere() throws Exception {
        historyFingerprintShowsEveryPlannedColumn();
    }

    @Test
    void triggerBodiesAreOneStatement() throws Exception {
        write("001_trigger.sql", "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT, changes INTEGER DEFAULT 0);\n"
                + "CREATE TRIGGER items_touch AFTER UPDATE OF name ON items BEGIN\n"
                + "  UPDATE items SET changes = changes + 1 WHERE id = NEW.id;\n"
                + "  UPDATE items SET name = CASE WHEN NEW.name = '' THEN 'x;y' ELSE NEW.name END WHERE id = NEW.id AND NEW.name = '';\n"
                + "END;\nINSERT INTO items (id, name) VALUES (1, 'a');\nUPDATE items SET name = '' WHERE id = 1;\n");
        migrator().migrate();
        assertThat(db.count("SELECT changes FROM items WHERE id = 1")).isEqualTo(1);
        assertThat(db.count("SELECT COUNT(*) FROM items WHERE name = 'x;y'")).isEqualTo(1);
    }
}
