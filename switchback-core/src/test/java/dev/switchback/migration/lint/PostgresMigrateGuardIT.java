package dev.switchback.migration.lint;

import dev.switchback.migration.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

class PostgresMigrateGuardIT extends MigrateGuardContract {
    @Override
    protected TestDatabase newDatabase(Path tmp) {
        return TestDatabase.postgres();
    }

    @Test
    void aColumnTheDatabaseDoesNotHaveMayBeDroppedIfExistsHere() throws Exception {
        aColumnTheDatabaseDoesNotHaveMayBeDroppedIfExists();
    }
}
