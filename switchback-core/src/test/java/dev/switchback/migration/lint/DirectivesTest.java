package dev.switchback.migration.lint;

import dev.switchback.migration.Directives;
import dev.switchback.migration.ErrorCode;
import dev.switchback.migration.SwitchbackException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The directives lint adds: phase=contract and ignore with a required reason; unknown ones stay errors. */
class DirectivesTest {

    @Test
    void readsPhaseAndIgnoresFromTheLeadingComments() {
        Directives d = Directives.parse("005_drop.sql", """
                -- Drop the column nobody reads since v41.
                -- switchback:phase=contract
                -- switchback:ignore drop-column release v41 stopped reading it
                --   switchback:IGNORE unverified-statement   the DO block only creates a role
                ALTER TABLE customers DROP COLUMN legacy_flag;
                -- switchback:ignore drop-table not leading, so not a file directive
                """);
        assertThat(d.contract()).isTrue();
        assertThat(d.phase()).isEqualTo("contract");
        assertThat(d.noTransaction()).isFalse();
        assertThat(d.ignores()).containsExactly(
                new Directives.Ignore("drop-column", "release v41 stopped reading it", 3),
                new Directives.Ignore("unverified-statement", "the DO block only creates a role", 4));
    }

    @Test
    void defaultsToTheExpandPhase() {
        assertThat(Directives.parse("a.sql", "-- switchback:no-transaction\nSELECT 1;").phase()).isEqualTo("expand");
        assertThat(Directives.parse("a.sql", "-- switchback:phase=expand\nSELECT 1;").contract()).isFalse();
        assertThat(Directives.NONE.ignores()).isEmpty();
    }

    @Test
    void anIgnoreWithoutAReasonIsAnErrorNamingFileAndLine() {
        assertThatThrownBy(() -> Directives.parse("007_idx.sql", "-- switchback:no-transaction\n-- switchback:ignore create-index-blocking\nSELECT 1;"))
                .isInstanceOfSatisfying(SwitchbackException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.CONFIG);
                    assertThat(e.getMessage()).contains("007_idx.sql:2: 'switchback:ignore create-index-blocking' gives no reason")
                            .contains("-- switchback:ignore create-index-blocking <why this is safe here>");
                });
        assertThatThrownBy(() -> Directives.parse("a.sql", "-- switchback:ignore\nSELECT 1;"))
                .hasMessageContaining("a.sql:1: 'switchback:ignore' names no rule");
    }

    @Test
    void unknownDirectivesAndPhasesStayErrors() {
        assertThatThrownBy(() -> Directives.parse("a.sql", "-- switchback:phase=cleanup\n-- switchback:ignored x y\nSELECT 1;"))
                .isInstanceOfSatisfying(SwitchbackException.class, e -> assertThat(e.getMessage())
                        .contains("a.sql:1: unknown phase 'cleanup' (known: expand, contract)")
                        .contains("a.sql:2: unknown directive 'switchback:ignored x y'")
                        .contains("-- switchback:ignore <rule> <reason>"));
    }
}
