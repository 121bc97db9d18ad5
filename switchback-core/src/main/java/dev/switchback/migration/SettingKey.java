package dev.switchback.migration;

import java.util.List;
import java.util.Locale;

/**
 * One setting: its path in switchback.yml, its default, its description and the environment names
 * that set it. Each capability lists its settings in an enum implementing this with a {@link Spec} each.
 */
public interface SettingKey {

    /** What a setting is; the enums hold one per constant. */
    record Spec(String path, String defaultValue, String description, List<String> aliases, boolean secret) {
        public Spec {
            aliases = List.copyOf(aliases);
        }

        public static Spec of(String path, String defaultValue, String description, String... aliases) {
            return new Spec(path, defaultValue, description, List.of(aliases), false);
        }

        public Spec masked() {
            return new Spec(path, defaultValue, description, aliases, true);
        }
    }

    Spec spec();

    default String path() {
        return spec().path();
    }

    default String defaultValue() {
        return spec().defaultValue();
    }

    default String description() {
        return spec().description();
    }

    /** Other environment names accepted for this setting (the runbooks' names). */
    default List<String> aliases() {
        return spec().aliases();
    }

    /** Whether the value must never be printed. */
    default boolean isSecret() {
        return spec().secret();
    }

    /** {@code SWITCHBACK_} + the path in upper snake case: {@code migrations.lockTimeout} is {@code SWITCHBACK_MIGRATIONS_LOCK_TIMEOUT}. */
    default String envName() {
        return envName(path());
    }

    /**
     * {@code SWITCHBACK_} + {@code path} in upper snake case: a dot becomes {@code _}, and so does the step from a lower
     * case letter or digit to a capital (spelled out: a regular expression compiled for each of the settings read at
     * every start cost a start-up about 6 ms).
     */
    static String envName(String path) {
        StringBuilder b = new StringBuilder("SWITCHBACK_".length() + path.length() + 8).append("SWITCHBACK_");
        char previous = 0;
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c >= 'A' && c <= 'Z' && ((previous >= 'a' && previous <= 'z') || (previous >= '0' && previous <= '9'))) {
                b.append('_');
            }
            b.append(c == '.' ? '_' : Character.toUpperCase(c));
            previous = c;
        }
        return b.toString();
    }
}
