package dev.switchback.backup;

import dev.switchback.migration.testing.TestDatabase;

import java.nio.file.Files;
import java.nio.file.Path;

class SqliteBackupIT extends BackupContract {
    @Override
    TestDatabase newDatabase(Path tmp) {
        return TestDatabase.sqlite(tmp);
    }

    @Override
    void dropDatabase(String name) throws Exception {
        Files.deleteIfExists(tmp.resolve(name));
    }
}
