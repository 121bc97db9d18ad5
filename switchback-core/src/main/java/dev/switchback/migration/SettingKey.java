package dev.switchback.migration;

import java.util.List;
import java.util.Locale;

/**
 * One setting: its path in switchback.yml, its default, its description and the environment names
 * that set it. Each capability lists its settings in an enum implementing this.
 */
public interface SettingKey {
    String path();

    String defaultValue();

    String description();

    /** Other environment names accepted for this setting (the runbooks' names). */
    List<String> aliases();

    /** Whether the value must never be printed. */
    boolean isSecret();

    /** {@code SWITCHBACK_} + the path in upper snake case: {@code migrations.lockTimeout} is {@code SWITCHBACK_MIGRATIONS_LOCK_TIMEOUT}. */
    default String envName() {
        return "SWITCHBACK_" + path().replace('.', '_').replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
    }
}
