package dev.switchback.migration;

import dev.switchback.migration.testing.TestDatabase;

import java.nio.file.Path;

class MariaDbSchemaSnapshotIT extends SchemaSnapshotContract {
    @Override
    protected TestDatabase newDatabase(Path tmp) {
        return TestDatabase.mariadb();
    }

    @Override
    String dialectObjects() {
        return "CREATE TRIGGER orders_touch BEFORE UPDATE ON orders FOR EACH ROW SET NEW.total = NEW.total;\n"
                + "CREATE FUNCTION twice(n INT) RETURNS INT DETERMINISTIC RETURN n * 2;\n"
                + "CREATE EVENT orders_purge ON SCHEDULE EVERY 1 DAY DO DELETE FROM orders WHERE total < 0;\n";
    }

    @Override
    String dialectDown() {
        return "DROP EVENT orders_purge;\nDROP FUNCTION twice;\n";
    }
}
