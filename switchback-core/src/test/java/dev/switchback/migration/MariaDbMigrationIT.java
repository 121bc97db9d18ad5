package dev.switchback.migration;

import dev.switchback.migration.testing.TestDatabase;

import java.nio.file.Path;

class MariaDbMigrationIT extends MigrationContract {
    @Override
    TestDatabase newDatabase(Path tmp) {
        return TestDatabase.mariadb();
    }
}
