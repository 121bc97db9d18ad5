package dev.switchback.migration;

import dev.switchback.migration.testing.TestDatabase;

import java.nio.file.Path;

class PostgresImportIT extends ImportContract {
    @Override
    protected TestDatabase newDatabase(Path tmp) {
        return TestDatabase.postgres();
    }
}
