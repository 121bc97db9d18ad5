package dev.switchback.migration.lint;

import dev.switchback.migration.ErrorCode;
import dev.switchback.migration.SwitchbackException;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** lint.* settings: severities per rule, disabled rules, the PostgreSQL version; every bad value reported at once. */
class LintConfigTest {

    @Test
    void changesSeveritiesAndDisablesRules() {
        LintConfig c = LintConfig.from(Map.of(LintSetting.DISABLE, "missing-lock-timeout, drop-index-blocking",
                LintSetting.ERROR, "unverified-statement", LintSetting.INFO, "drop-column", LintSetting.PG_VERSION, "15.4"));
        assertThat(c.severity(Rule.MISSING_LOCK_TIMEOUT)).isNull();
        assertThat(c.severity(Rule.DROP_INDEX_BLOCKING)).isNull();
        assertThat(c.severity(Rule.UNVERIFIED_STATEMENT)).isEqualTo(Severity.ERROR);
        assertThat(c.severity(Rule.DROP_COLUMN)).isEqualTo(Severity.INFO);
        assertThat(c.severity(Rule.CREATE_INDEX_BLOCKING)).isEqualTo(Severity.ERROR);
        assertThat(c.pgVersion(11)).isEqualTo(15);
        assertThat(LintConfig.DEFAULT.pgVersion(12)).isEqualTo(12);
        assertThat(LintConfig.DEFAULT.pgVersion(null)).isEqualTo(LintConfig.DEFAULT_PG_VERSION);
    }

    @Test
    void reportsEveryProblemTogether() {
        assertThatThrownBy(() -> LintConfig.from(Map.of(LintSetting.DISABLE, "drop-colum", LintSetting.WARNING, "drop-table",
                LintSetting.ERROR, "drop-table", LintSetting.PG_VERSION, "fifteen")))
                .isInstanceOfSatisfying(SwitchbackException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.CONFIG);
                    assertThat(e.getMessage()).contains("lint.disable: unknown rule 'drop-colum' (known: create-index-blocking,")
                            .contains("drop-table is also listed in lint.")
                            .contains("lint.pgVersion 'fifteen' is not a PostgreSQL major version");
                });
    }

    @Test
    void ruleIdsAreStable() {
        assertThat(Rule.ids()).isEqualTo("create-index-blocking, drop-index-blocking, concurrently-in-transaction, "
                + "table-rewrite-maintenance, add-column-rewrite, change-column-type, set-not-null, constraint-not-valid-missing, "
                + "validate-in-same-transaction, unique-constraint-blocking, exclusion-constraint, detach-partition-blocking, "
                + "unbatched-backfill, mysql-blocking-alter, missing-lock-timeout, drop-column, drop-table, rename-column, "
                + "rename-table, add-required-column, drop-default-on-required, enum-value-rename, transaction-control, "
                + "unverified-statement");
        assertThat(LintSetting.PG_VERSION.envName()).isEqualTo("SWITCHBACK_LINT_PG_VERSION");
    }
}
