package dev.switchback.migration.schema;

import dev.switchback.migration.testing.TestDatabase;

import java.nio.file.Path;

class SqliteSchemaInspectorIT extends SchemaInspectorContract {
    @Override
    TestDatabase newDatabase(Path tmp) {
        return TestDatabase.sqlite(tmp);
    }

    @Override
    String dialect() {
        return "sqlite";
    }
}
