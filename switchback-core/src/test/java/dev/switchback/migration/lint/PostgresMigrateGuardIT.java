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

    /** Names are judged unqualified: dropping one of two same-named tables leaves the other live. */
    @Test
    void droppingOneOfTwoSameNamedTablesLeavesTheOtherLive() throws Exception {
        write("001_orders.sql", "CREATE SCHEMA archive;\nCREATE TABLE orders (id INTEGER PRIMARY KEY);\n"
                + "CREATE TABLE archive.orders (id INTEGER PRIMARY KEY);\n");
        config().load().migrate();
        write("002_drop_archive.sql", "-- switchback:ignore drop-table the archive is gone from every release\n"
                + "DROP TABLE archive.orders;\n");
        write("003_drop.sql", "DROP TABLE orders;\n");
        assertRefused("003_drop.sql:1: drop-table", "orders");
    }
}
