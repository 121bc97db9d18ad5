package dev.switchback.migration.discovery;

import dev.switchback.migration.Directives;
import dev.switchback.migration.SwitchbackException;
import dev.switchback.migration.sql.SqlFlavor;
import dev.switchback.migration.sql.SqlSplitter;
import dev.switchback.migration.sql.SqlStatement;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Other tools' files with both directions in one file, and their directives, read without running anything. */
class CombinedScriptTest {
    @Test
    void aDbmateFileIsCutAtItsDownMarker() {
        CombinedScript s = CombinedScript.split("20240101_users.sql", """
                -- migrate:up
                create table users (id integer);

                -- migrate:down
                drop table users;
                """);
        assertThat(s.up()).contains("create table users").doesNotContain("drop table");
        assertThat(s.down()).startsWith("-- migrate:down").contains("drop table users").doesNotContain("create table");
    }

    @Test
    void gooseKeepsItsFileLevelNoTransactionForBothDirections() {
        CombinedScript s = CombinedScript.split("00002_idx.sql", """
                -- +goose NO TRANSACTION
                -- +goose Up
                CREATE INDEX CONCURRENTLY users_email ON users (email);

                -- +goose Down
                DROP INDEX CONCURRENTLY users_email;
                """);
        assertThat(Directives.parse("up", s.up()).noTransaction()).isTrue();
        assertThat(Directives.parse("down", s.down()).noTransaction()).isTrue();
        assertThat(s.down()).doesNotContain("CREATE INDEX");
    }

    @Test
    void anEmptyDownSectionIsNoDownAndAFileWithoutMarkersIsNotCut() {
        assertThat(CombinedScript.split("x.sql", "-- +goose Up\nSELECT 1;\n-- +goose Down\n-- nothing to undo\n").down()).isNull();
        assertThat(CombinedScript.split("x.sql", "-- +goose Up\nSELECT 1;\n").down()).isNull();
        assertThat(CombinedScript.split("x.sql", "-- migrate the users\nSELECT 1;\n")).isNull();
    }

    @Test
    void markersOutOfPlaceAreRefusedWithTheirLine() {
        assertThatThrownBy(() -> CombinedScript.split("a.sql", "CREATE TABLE t (id INT);\n-- migrate:down\nDROP TABLE t;\n"))
                .isInstanceOf(SwitchbackException.class).hasMessageContaining("a.sql:2: a down marker without an up marker");
        assertThatThrownBy(() -> CombinedScript.split("b.sql", "-- +goose Down\nDROP TABLE t;\n-- +goose Up\nCREATE TABLE t (id INT);\n"))
                .hasMessageContaining("b.sql:1: the down marker comes before the up marker (line 3)");
        assertThatThrownBy(() -> CombinedScript.split("c.sql", "SELECT 1;\n-- +goose Up\nSELECT 2;\n"))
                .hasMessageContaining("c.sql:1: a statement before the up marker");
        assertThatThrownBy(() -> CombinedScript.split("d.sql", "-- migrate:up\n-- migrate:down\n-- migrate:down\n"))
                .hasMessageContaining("d.sql:3: a second down marker");
    }

    @Test
    void otherToolsNoTransactionDirectivesAreHonoured() {
        assertThat(Directives.parse("m.sql", "-- morph:nontransactional\nCREATE INDEX CONCURRENTLY i ON t (c);\n").noTransaction()).isTrue();
        assertThat(Directives.parse("d.sql", "-- migrate:up transaction:false\nSELECT 1;\n").noTransaction()).isTrue();
        assertThat(Directives.parse("d.sql", "-- migrate:up\nSELECT 1;\n").noTransaction()).isFalse();
        assertThat(Directives.parse("s.sql", "-- +migrate Up notransaction\nSELECT 1;\n").noTransaction()).isTrue();
        assertThat(Directives.parse("g.sql", "-- +goose NO TRANSACTION\nSELECT 1;\n").noTransaction()).isTrue();
    }

    @Test
    void liquibaseFormattedSqlRollsBackLastChangesetFirstAndOnlyWhenEveryOneHasARollback() {
        LiquibaseSql full = LiquibaseSql.parse("l.sql", """
                --liquibase formatted sql
                --changeset ana:1
                create table t (id int);
                --rollback drop table t;
                --changeset ana:2 runInTransaction:false
                create index concurrently t_id on t (id);
                --rollback drop index concurrently t_id;
                """);
        assertThat(full.down()).isEqualTo("-- switchback:no-transaction\ndrop index concurrently t_id;\ndrop table t;\n");
        assertThat(full.noTransaction()).isTrue();
        assertThat(LiquibaseSql.parse("l.sql", "--liquibase formatted sql\n--changeset a:1\nselect 1;\n").down()).isNull();
        assertThat(LiquibaseSql.parse("l.sql", "-- plain\nselect 1;\n")).isNull();
        assertThatThrownBy(() -> LiquibaseSql.parse("l.sql", "--liquibase formatted sql\n--changeset a:1 context:test\nselect 1;\n"))
                .isInstanceOf(SwitchbackException.class).hasMessageContaining("l.sql:2: changeset attribute 'context:test' is not followed");
    }

    @Test
    void aStatementBeginEndBlockIsOneStatement() {
        List<SqlStatement> statements = SqlSplitter.split("""
                -- +goose Up
                -- +goose StatementBegin
                INSERT INTO t VALUES (1);
                INSERT INTO t VALUES (2);
                -- +goose StatementEnd
                SELECT 3;
                """, SqlFlavor.POSTGRES);
        assertThat(statements).extracting(SqlStatement::sql)
                .containsExactly("INSERT INTO t VALUES (1);\nINSERT INTO t VALUES (2)", "SELECT 3");
    }
}
