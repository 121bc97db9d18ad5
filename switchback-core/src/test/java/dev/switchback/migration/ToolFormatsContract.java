package dev.switchback.migration;

import dev.switchback.migration.testing.OneDatabaseTest;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Migration files written the way goose, dbmate and sql-migrate document them, kept as they are: each is migrated,
 * rolled back and migrated again on the real server. Each subclass supplies the server.
 */
abstract class ToolFormatsContract extends OneDatabaseTest {
    Migrator migrator() {
        return Switchback.configure().url(db.url()).user(db.user()).password(db.password()).locations(dir.toString())
                .environment(Map.of()).lockTimeout(Duration.ofSeconds(30)).load();
    }

    void write(String name, String sql) throws IOException {
        Files.writeString(dir.resolve(name), sql);
    }

    /** Migrates, rolls everything back and migrates again, checking {@code table} each time. */
    void roundTrip(String table, int migrations) throws Exception {
        assertThat(migrator().migrate().applied()).hasSize(migrations);
        assertThat(db.tableExists(table)).as("after migrate").isTrue();
        assertThat(migrator().rollback(RollbackRequest.to("0")).plan()).hasSize(migrations);
        assertThat(db.tableExists(table)).as("after rollback").isFalse();
        assertThat(migrator().migrate().applied()).hasSize(migrations);
        assertThat(db.tableExists(table)).as("after migrating again").isTrue();
    }

    @Test
    void aDbmateFileRunsItsUpOnMigrateAndItsDownOnRollback() throws Exception {
        write("20240101120000_create_users.sql", """
                -- migrate:up
                create table users (
                  id integer,
                  name varchar(255),
                  email varchar(255) not null
                );

                -- migrate:down
                drop table users;
                """);
        roundTrip("users", 1);
        assertThat(migrator().verify().problems()).isEmpty();
    }

    @Test
    void aGooseFileWithAStatementBlockRunsEachDirection() throws Exception {
        write("20240101120000_create_post.sql", """
                -- +goose Up
                CREATE TABLE post (
                    id int NOT NULL,
                    title text,
                    body text,
                    PRIMARY KEY(id)
                );

                -- +goose Down
                DROP TABLE post;
                """);
        write("20240102120000_add_post_counter.sql", "-- +goose Up\n-- +goose StatementBegin\n" + routine() + "\n"
                + "-- +goose StatementEnd\n\n-- +goose Down\n-- +goose StatementBegin\n" + dropRoutine() + "\n-- +goose StatementEnd\n");
        roundTrip("post", 2);
    }

    @Test
    void anSqlMigrateFileRunsEachDirection() throws Exception {
        write("1_initial.sql", """
                -- +migrate Up
                CREATE TABLE people (id int);

                -- +migrate Down
                DROP TABLE people;
                """);
        roundTrip("people", 1);
    }

    @Test
    void aLiquibaseFormattedSqlFileRunsItsChangesetsAndRollsBackLastFirst() throws Exception {
        write("001_accounts.sql", """
                --liquibase formatted sql

                --changeset ana:1
                create table accounts (
                    id int primary key,
                    name varchar(255)
                );
                --rollback drop table accounts;

                --changeset ana:2
                insert into accounts (id, name) values (1, 'name 1');
                --rollback delete from accounts where id = 1;
                """);
        roundTrip("accounts", 1);
        assertThat(db.count("SELECT COUNT(*) FROM accounts")).isEqualTo(1);
    }

    /** A routine whose body holds semicolons, as each server writes it. */
    abstract String routine();

    abstract String dropRoutine();
}
