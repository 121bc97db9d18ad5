package dev.switchback.migration.schema;

import dev.switchback.migration.testing.TestDatabase;

import java.nio.file.Path;

class PostgresSchemaInspectorIT extends SchemaInspectorContract {
    @Override
    TestDatabase newDatabase(Path tmp) {
        return TestDatabase.postgres();
    }

    @Override
    String dialect() {
        return "postgresql";
    }
}
