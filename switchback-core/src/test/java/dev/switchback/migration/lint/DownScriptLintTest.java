package dev.switchback.migration.lint;

import dev.switchback.migration.Directives;
import dev.switchback.migration.ErrorCode;
import dev.switchback.migration.Migration;
import dev.switchback.migration.SwitchbackException;
import dev.switchback.migration.Version;
import dev.switchback.migration.discovery.Checksum;
import dev.switchback.migration.sql.SqlFlavor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

/** Down scripts run in production during a rollback: lint reads them with their own directives, and names them. */
class DownScriptLintTest {
    static final String UP = "-- switchback:no-transaction\nCREATE INDEX CONCURRENTLY orders_placed_idx ON orders (placed_at);\n";

    static Migration withDown(String up, String down) {
        return new Migration(Version.parse("2"), "index", "db/002_index.up.sql", up, "db/002_index.down.sql", down,
                Directives.parse("db/002_index.up.sql", up), Checksum.of(up));
    }

    static LintReport lint(Migration m) {
        return new Linter(LintConfig.DEFAULT, SqlFlavor.POSTGRES, 15, true).lint(List.of(LintOutputTest.BASE), List.of(m));
    }

    @Test
    void aDownIsCheckedWithItsOwnDirectivesAndItsFindingsNameTheDownFile() {
        // the up's no-transaction does not carry over: this down would fail in a rollback
        assertThat(lint(withDown(UP, "DROP INDEX CONCURRENTLY orders_placed_idx;\n")).findings())
                .extracting(Finding::file, Finding::rule, Finding::line, Finding::severity)
                .containsExactly(tuple("db/002_index.down.sql", "concurrently-in-transaction", 1, Severity.ERROR));
        assertThat(lint(withDown(UP, "-- switchback:no-transaction\nDROP INDEX CONCURRENTLY orders_placed_idx;\n")).findings()).isEmpty();
        // a blocking statement in a down blocks production as well
        assertThat(lint(withDown(UP, "DROP INDEX orders_placed_idx;\n")).findings())
                .extracting(Finding::file, Finding::rule).containsExactly(tuple("db/002_index.down.sql", "drop-index-blocking"));
        // undoing an expand is a contract: the release a rollback returns to never used the column
        Migration column = new Migration(Version.parse("2"), "state", "db/002_state.up.sql", "ALTER TABLE orders ADD COLUMN state text;\n",
                "db/002_state.down.sql", "ALTER TABLE orders DROP COLUMN state;\n", Directives.NONE, null);
        assertThat(lint(column).findings()).extracting(Finding::file, Finding::rule, Finding::severity)
                .containsExactly(tuple("db/002_state.down.sql", "drop-column", Severity.INFO));
        assertThat(lint(column).findings().get(0).message()).endsWith("(expected in a down script: the release it returns to "
                + "never needed what it undoes)");
        // an ignore directive in the down covers the down
        assertThat(lint(withDown(UP, "-- switchback:ignore drop-index-blocking orders is small\nDROP INDEX orders_placed_idx;\n"))
                .findings()).extracting(Finding::file, Finding::ignored).containsExactly(tuple("db/002_index.down.sql", "orders is small"));
    }

    @Test
    void anUnterminatedConstructIsAnErrorNamingTheFileAndLine() {
        for (SqlFlavor flavor : SqlFlavor.values()) {
            String up = "CREATE TABLE kept (id INT);\n/* never closed\nCREATE TABLE swallowed (id INT);\n";
            Migration m = new Migration(Version.parse("3"), "open", "db/003_open.sql", up, null, null, Directives.NONE, Checksum.of(up));
            assertThatThrownBy(() -> new Linter(LintConfig.DEFAULT, flavor, 15, true).lint(List.of(), List.of(m)))
                    .as(flavor.name()).isInstanceOfSatisfying(SwitchbackException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.CONFIG);
                        assertThat(e.getMessage()).startsWith("db/003_open.sql:2: unterminated /* comment");
                    });
        }
        Migration down = withDown(UP, "DROP INDEX orders_placed_idx; 'open\n");
        assertThatThrownBy(() -> lint(down)).hasMessageStartingWith("db/002_index.down.sql:1: unterminated string");
    }
}
