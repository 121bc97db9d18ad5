package dev.switchback.cli;

import dev.switchback.cli.Cli.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The URLs services already have: postgres:// and mysql:// in --url or DATABASE_URL, against the real servers. */
@Execution(ExecutionMode.CONCURRENT)
class ServiceUrlCliIT {
    @TempDir
    Path tmp;

    private void migrations() throws IOException {
        Files.createDirectories(tmp.resolve("migrations"));
        Files.writeString(tmp.resolve("migrations/001_create_items.sql"), "CREATE TABLE items (id INTEGER);\n");
    }

    /** PostgreSQL here trusts local connections, so any password is accepted: what matters is that it never shows. */
    @Test
    void aPostgresUrlWithCredentialsMigratesAndItsPasswordIsNeverShown() throws IOException {
        migrations();
        try (TestDb db = TestDb.postgres()) {
            String url = db.url().replace("jdbc:postgresql://", "postgres://postgres:Sekr3tPw@") + "?sslmode=disable";
            Result r = Cli.run(tmp, "--url", url, "migrate");
            assertThat(r.exit()).as(r.describe()).isEqualTo(0);
            assertThat(db.tables()).contains("items");
            Result status = Cli.run(tmp, "--url", url, "--json", "status");
            assertThat(status.exit()).as(status.describe()).isEqualTo(0);
            assertThat(status.all()).as(status.describe()).contains("jdbc:postgresql://").doesNotContain("Sekr3tPw");
        }
        Result missing = Cli.run(tmp, Map.of("SWITCHBACK_MIGRATIONS_MAX_RETRIES", "0"), "--url",
                "postgres://postgres:Sekr3tPw@127.0.0.1:5432/sb_no_such_database", "migrate");
        assertThat(missing.exit()).as(missing.describe()).isEqualTo(1);
        assertThat(missing.all()).as(missing.describe()).doesNotContain("Sekr3tPw");
    }

    @Test
    void databaseUrlFromTheEnvironmentIsUsedWhenNoUrlIsConfigured() throws IOException {
        migrations();
        try (TestDb db = TestDb.mariadb()) {
            String url = db.url().replace("jdbc:mariadb://", "mysql://root@");
            Result r = Cli.run(tmp, Map.of("DATABASE_URL", url), "migrate");
            assertThat(r.exit()).as(r.describe()).isEqualTo(0);
            assertThat(r.out()).containsPattern("Database: jdbc:mysql://127.0.0.1:3306/\\w+ \\(from DATABASE_URL\\)");
            assertThat(db.tables()).contains("items");
            assertThat(tmp.resolve("switchback.db")).doesNotExist();
            // status says where the URL came from, whichever wins
            assertThat(Cli.run(tmp, Map.of("DATABASE_URL", url), "status").out()).contains("(from DATABASE_URL)");
            assertThat(Cli.run(tmp, Map.of("DATABASE_URL", "postgres://nobody@127.0.0.1:1/none"), "--url", url, "status").out())
                    .contains("(from --url)");
            Files.writeString(tmp.resolve("switchback.yml"), "database:\n  url: " + url + "\n");
            assertThat(Cli.run(tmp, Map.of("DATABASE_URL", "postgres://nobody@127.0.0.1:1/none"), "status").out())
                    .contains("(from switchback.yml)");
        }
    }
}
