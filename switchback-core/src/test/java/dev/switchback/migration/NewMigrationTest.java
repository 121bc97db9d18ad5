package dev.switchback.migration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class NewMigrationTest {
    @TempDir
    Path dir;

    @Test
    void nextVersionKeepsWidthAndTimestamps() {
        assertThat(NewMigration.next("002")).isEqualTo("003");
        assertThat(NewMigration.next("009")).isEqualTo("010");
        assertThat(NewMigration.next("1.9")).isEqualTo("1.10");
        assertThat(NewMigration.next("1_2")).isEqualTo("1_3");
        assertThat(NewMigration.next("20200101000000")).hasSize(14).isGreaterThan("20200101000000");
    }

    @Test
    void createsUpAndDownInTheProjectsStyle() throws Exception {
        Migrator m = Switchback.configure().url("jdbc:sqlite:" + dir.resolve("x.db")).locations(dir.toString())
                .environment(Map.of()).load();
        List<Path> first = m.newMigration("Create users!", null);
        assertThat(first).extracting(p -> p.getFileName().toString())
                .containsExactly("001_create_users.up.sql", "001_create_users.down.sql");
        Files.writeString(dir.resolve("V7__flyway_style.sql"), "SELECT 1;");
        List<Path> next = m.newMigration("add orders", null);
        assertThat(next).extracting(p -> p.getFileName().toString()).containsExactly("V8__add_orders.sql", "U8__add_orders.sql");
        assertThat(m.migrations()).hasSize(3);
    }
}
