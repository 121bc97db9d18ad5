package dev.switchback.migration;

import dev.switchback.migration.testing.TestDatabase;

import java.nio.file.Path;

class MariaDbImportIT extends ImportContract {
    @Override
    protected TestDatabase newDatabase(Path tmp) {
        return TestDatabase.mariadb();
    }
}
