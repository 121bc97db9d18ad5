package dev.switchback.migration.lint;

import dev.switchback.migration.AppliedStep;
import dev.switchback.migration.ErrorCode;
import dev.switchback.migration.Switchback;
import dev.switchback.migration.SwitchbackException;
import dev.switchback.migration.testing.OneDatabaseTest;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * migrate's lint guard judges a destructive statement against what exists: in the live database, or created by an
 * earlier pending migration. Each subclass only supplies the database.
 */
abstract class MigrateGuardContract extends OneDatabaseTest {
    Switchback.Builder config() {
        return Switchback.configure().url(db.url()).user(db.user()).password(db.password()).baseDir(dir).locations(".")
                .environment(Map.of());
    }

    void write(String name, String sql) throws IOException {
        Files.writeString(dir.resolve(name), sql);
    }

    void assertRefused(String... expected) {
        assertThatThrownBy(() -> config().load().migrate()).isInstanceOfSatisfying(SwitchbackException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.UNSAFE);
            assertThat(e.getMessage()).contains(expected);
        });
    }

    @Test
    void aFreshDatabaseIsNotRefusedForDroppingWhatIsNotThere() throws Exception {
        write("001_start.sql", "DROP TABLE IF EXISTS legacy_table;\nCREATE TABLE orders (id INTEGER PRIMARY KEY, note VARCHAR(100));\n");
        assertThat(config().load().migrate().applied()).extracting(AppliedStep::version).containsExactly("001");
        assertThat(db.tableExists("orders")).isTrue();
    }

    @Test
    void droppingALiveTableIsStillRefused() throws Exception {
        write("001_legacy.sql", "CREATE TABLE legacy_table (id INTEGER PRIMARY KEY);\n");
        config().load().migrate();
        write("002_drop.sql", "DROP TABLE IF EXISTS legacy_table;\n");
        assertRefused("002_drop.sql:1: drop-table", "legacy_table");
        assertThat(db.tableExists("legacy_table")).isTrue();
    }

    @Test
    void aLiveTableRenamedEarlierInTheRunIsStillLiveUnderItsNewName() throws Exception {
        write("001_orders.sql", "CREATE TABLE orders (id INTEGER PRIMARY KEY);\n");
        config().load().migrate();
        write("002_rename.sql", "-- switchback:ignore rename-table the serving release reads purchases already\n"
                + "ALTER TABLE orders RENAME TO purchases;\n");
        write("003_drop.sql", "DROP TABLE purchases;\n");
        assertRefused("003_drop.sql:1: drop-table", "purchases");
    }

    @Test
    void aColumnAddedEarlierInTheRunMayBeDropped() throws Exception {
        write("001_orders.sql", "CREATE TABLE orders (id INTEGER PRIMARY KEY, note VARCHAR(100));\n");
        config().load().migrate();
        write("002_add.sql", "ALTER TABLE orders ADD COLUMN scratch INTEGER;\n");
        write("003_drop.sql", "ALTER TABLE orders DROP COLUMN scratch;\n");
        assertThat(config().load().migrate().applied()).extracting(AppliedStep::version).containsExactly("002", "003");
    }

    @Test
    void droppingALiveColumnIsStillRefused() throws Exception {
        write("001_orders.sql", "CREATE TABLE orders (id INTEGER PRIMARY KEY, note VARCHAR(100));\n");
        config().load().migrate();
        write("002_drop.sql", "ALTER TABLE orders DROP COLUMN note;\n");
        assertRefused("002_drop.sql:1: drop-column", "note");
    }

    /** For the databases with DROP COLUMN IF EXISTS (not SQLite). */
    void aColumnTheDatabaseDoesNotHaveMayBeDroppedIfExists() throws Exception {
        write("001_orders.sql", "CREATE TABLE orders (id INTEGER PRIMARY KEY);\n");
        config().load().migrate();
        write("002_drop.sql", "ALTER TABLE orders DROP COLUMN IF EXISTS legacy;\n");
        assertThat(config().load().migrate().applied()).extracting(AppliedStep::version).containsExactly("002");
    }
}
