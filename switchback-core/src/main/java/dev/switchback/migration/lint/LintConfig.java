package dev.switchback.migration.lint;

import dev.switchback.migration.ErrorCode;
import dev.switchback.migration.SwitchbackException;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The lint settings, validated once: severity overrides per rule ({@code null} severity: disabled) and the
 * PostgreSQL version to judge against.
 *
 * @param severities rules whose severity the configuration changed; a null value disables the rule
 * @param pgVersion  the PostgreSQL major version, or null to use the server's (or {@link #DEFAULT_PG_VERSION})
 */
public record LintConfig(Map<Rule, Severity> severities, Integer pgVersion) {
    /** Assumed without a connection or a setting: the oldest PostgreSQL still supported upstream when this was written. */
    public static final int DEFAULT_PG_VERSION = 14;
    public static final LintConfig DEFAULT = new LintConfig(Map.of(), null);

    public LintConfig {
        EnumMap<Rule, Severity> copy = new EnumMap<>(Rule.class);
        copy.putAll(severities);
        severities = java.util.Collections.unmodifiableMap(copy);
    }

    /** Parses resolved setting values, reporting every bad value at once. */
    public static LintConfig from(Map<LintSetting, String> values) {
        List<String> problems = new ArrayList<>();
        Map<Rule, Severity> severities = new EnumMap<>(Rule.class);
        Map<Rule, LintSetting> setBy = new EnumMap<>(Rule.class);
        for (LintSetting s : new LintSetting[]{LintSetting.DISABLE, LintSetting.ERROR, LintSetting.WARNING, LintSetting.INFO}) {
            String v = values.get(s);
            if (v == null || v.isBlank()) {
                continue;
            }
            for (String id : v.split("[,\\s]+")) {
                if (id.isEmpty()) {
                    continue;
                }
                Rule rule = Rule.byId(id);
                if (rule == null) {
                    problems.add(s.path() + ": unknown rule '" + id + "' (known: " + Rule.ids() + ")");
                } else if (setBy.containsKey(rule)) {
                    problems.add(s.path() + ": " + id + " is also listed in " + setBy.get(rule).path() + "; name each rule once");
                } else {
                    setBy.put(rule, s);
                    severities.put(rule, severityOf(s));
                }
            }
        }
        Integer pgVersion = null;
        String v = values.get(LintSetting.PG_VERSION);
        if (v != null && !v.isBlank()) {
            try {
                // "15", "15.4" and "9.6" all name a major version the way the server reports it
                String major = v.strip().matches("9\\.\\d+.*") ? "9" : v.strip().replaceFirst("\\..*", "");
                pgVersion = Integer.parseInt(major);
                if (pgVersion < 9 || pgVersion > 99) {
                    problems.add("lint.pgVersion '" + v + "' is not a PostgreSQL major version (e.g. 15)");
                }
            } catch (NumberFormatException e) {
                problems.add("lint.pgVersion '" + v + "' is not a PostgreSQL major version (e.g. 15)");
            }
        }
        if (!problems.isEmpty()) {
            throw new SwitchbackException(ErrorCode.CONFIG, "Invalid lint configuration:\n  - " + String.join("\n  - ", problems));
        }
        return new LintConfig(severities, pgVersion);
    }

    private static Severity severityOf(LintSetting s) {
        return switch (s) {
            case ERROR -> Severity.ERROR;
            case WARNING -> Severity.WARNING;
            case INFO -> Severity.INFO;
            default -> null;
        };
    }

    /** The rule's severity here, or null when it is disabled. */
    public Severity severity(Rule rule) {
        return severities.containsKey(rule) ? severities.get(rule) : rule.defaultSeverity();
    }

    /** The configured version, else the server's, else the default. */
    public int pgVersion(Integer server) {
        return pgVersion != null ? pgVersion : server != null ? server : DEFAULT_PG_VERSION;
    }
}
