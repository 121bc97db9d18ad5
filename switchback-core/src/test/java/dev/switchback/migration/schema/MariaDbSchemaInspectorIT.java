package dev.switchback.migration.schema;

import dev.switchback.migration.testing.TestDatabase;

import java.nio.file.Path;

class MariaDbSchemaInspectorIT extends SchemaInspectorContract {
    @Override
    TestDatabase newDatabase(Path tmp) {
        return TestDatabase.mariadb();
    }

    @Override
    String dialect() {
        return "mariadb/mysql";
    }
}
