package dev.switchback.migration;

import dev.switchback.migration.testing.TestDatabase;

import java.nio.file.Path;

class SqliteSchemaSnapshotIT extends SchemaSnapshotContract {
    @Override
    protected TestDatabase newDatabase(Path tmp) {
        return TestDatabase.sqlite(tmp);
    }

    @Override
    String dialectObjects() {
        return "CREATE TRIGGER orders_touch AFTER UPDATE ON orders BEGIN UPDATE orders SET total = total WHERE id = NEW.id; END;\n";
    }

    @Override
    String dialectDown() {
        return "";
    }
}
