package dev.switchback.migration.lint;

import dev.switchback.migration.SettingKey;

import java.util.List;

/** The {@code lint:} section of switchback.yml; env {@code SWITCHBACK_LINT_*}. */
public enum LintSetting implements SettingKey {
    PG_VERSION("lint.pgVersion", null, "PostgreSQL major version to judge against (default: the server's when connected, else "
            + LintConfig.DEFAULT_PG_VERSION + ")"),
    DISABLE("lint.disable", null, "rule ids that are not checked"),
    ERROR("lint.error", null, "rule ids reported as errors (lint exits 1, migrate refuses)"),
    WARNING("lint.warning", null, "rule ids reported as warnings"),
    INFO("lint.info", null, "rule ids reported for information only");

    private final String path;
    private final String defaultValue;
    private final String description;

    LintSetting(String path, String defaultValue, String description) {
        this.path = path;
        this.defaultValue = defaultValue;
        this.description = description;
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public String defaultValue() {
        return defaultValue;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public List<String> aliases() {
        return List.of();
    }

    @Override
    public boolean isSecret() {
        return false;
    }
}
