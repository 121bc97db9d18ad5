package dev.switchback.migration.lint;

import dev.switchback.migration.SettingKey;


/** The {@code lint:} section of switchback.yml; env {@code SWITCHBACK_LINT_*}. */
public enum LintSetting implements SettingKey {
    PG_VERSION(Spec.of("lint.pgVersion", null, "PostgreSQL major version to judge against (default: the server's when connected, else "
            + LintConfig.DEFAULT_PG_VERSION + ")")),
    DISABLE(Spec.of("lint.disable", null, "rule ids that are not checked")),
    ERROR(Spec.of("lint.error", null, "rule ids reported as errors (lint exits 1, migrate refuses)")),
    WARNING(Spec.of("lint.warning", null, "rule ids reported as warnings")),
    INFO(Spec.of("lint.info", null, "rule ids reported for information only"));

    private final Spec spec;

    LintSetting(Spec spec) {
        this.spec = spec;
    }

    @Override
    public Spec spec() {
        return spec;
    }
}
