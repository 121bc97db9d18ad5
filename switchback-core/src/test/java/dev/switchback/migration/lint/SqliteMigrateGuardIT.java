package dev.switchback.migration.lint;

import dev.switchback.migration.testing.TestDatabase;

import java.nio.file.Path;

class SqliteMigrateGuardIT extends MigrateGuardContract {
    @Override
    protected TestDatabase newDatabase(Path tmp) {
        return TestDatabase.sqlite(tmp);
    }
}
