package dev.switchback.migration.testing;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A contract test run once per dialect: each test gets a fresh database and an empty migrations folder. */
public abstract class OneDatabaseTest {
    @TempDir
    protected Path tmp;
    protected Path dir;
    protected TestDatabase db;

    /** The dialect's database, made fresh for one test (SQLite: a file in {@code tmp}). */
    protected abstract TestDatabase newDatabase(Path tmp);

    @BeforeEach
    void openDatabase() throws IOException {
        db = newDatabase(tmp);
        dir = Files.createDirectories(tmp.resolve("migrations"));
    }

    @AfterEach
    void closeDatabase() {
        db.close();
    }
}
