package dev.switchback.migration;

import dev.switchback.migration.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class PostgresToolFormatsIT extends ToolFormatsContract {
    @Override
    protected TestDatabase newDatabase(Path tmp) {
        return TestDatabase.postgres();
    }

    @Override
    String routine() {
        return """
                CREATE OR REPLACE FUNCTION post_count() RETURNS bigint AS $$
                DECLARE n bigint;
                BEGIN
                  SELECT count(*) INTO n FROM post;
                  RETURN n;
                END;
                $$ LANGUAGE plpgsql;""";
    }

    @Override
    String dropRoutine() {
        return "DROP FUNCTION post_count();";
    }

    /** The Mattermost case: the 118th file builds an index concurrently, which no transaction may hold. */
    @Test
    void mattermostsNontransactionalFileRunsOutsideATransaction() throws Exception {
        write("000117_create_posts.up.sql", "CREATE TABLE posts (id int, channel_id int);\n");
        write("000117_create_posts.down.sql", "DROP TABLE posts;\n");
        write("000118_posts_channel_idx.up.sql", "-- morph:nontransactional\n"
                + "CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_posts_channel ON posts (channel_id);\n");
        write("000118_posts_channel_idx.down.sql", "-- morph:nontransactional\nDROP INDEX CONCURRENTLY IF EXISTS idx_posts_channel;\n");
        roundTrip("posts", 2);
        assertThat(db.count("SELECT COUNT(*) FROM pg_indexes WHERE indexname = 'idx_posts_channel'")).isEqualTo(1);
    }

    @Test
    void flywaysPerScriptConfRunsTheScriptOutsideATransaction() throws Exception {
        write("V1__create_orders.sql", "CREATE TABLE orders (id int, placed_at timestamp);\n");
        write("V2__orders_placed_idx.sql", "CREATE INDEX CONCURRENTLY orders_placed ON orders (placed_at);\n");
        write("V2__orders_placed_idx.sql.conf", "# Flyway per-script configuration\nexecuteInTransaction=false\n");
        assertThat(migrator().migrate().applied()).hasSize(2);
        assertThat(db.count("SELECT COUNT(*) FROM pg_indexes WHERE indexname = 'orders_placed'")).isEqualTo(1);
    }

    @Test
    void gooseAndDbmateNoTransactionFilesRunOutsideATransaction() throws Exception {
        write("00001_create_events.sql", "-- +goose Up\nCREATE TABLE events (id int, kind int);\n-- +goose Down\nDROP TABLE events;\n");
        write("00002_events_kind_idx.sql", """
                -- +goose NO TRANSACTION
                -- +goose Up
                CREATE INDEX CONCURRENTLY events_kind ON events (kind);

                -- +goose Down
                DROP INDEX CONCURRENTLY events_kind;
                """);
        write("00003_events_id_idx.sql", """
                -- migrate:up transaction:false
                CREATE INDEX CONCURRENTLY events_id ON events (id);

                -- migrate:down transaction:false
                DROP INDEX CONCURRENTLY events_id;
                """);
        roundTrip("events", 3);
        assertThat(db.count("SELECT COUNT(*) FROM pg_indexes WHERE indexname IN ('events_kind', 'events_id')")).isEqualTo(2);
    }
}
