package dev.switchback.migration;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Merges setting values by precedence: flag over environment over file (or code) over default. */
public final class Settings {
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)?");
    private static final Pattern PERCENT = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*%");

    private Settings() {
    }

    /**
     * @param file  values from switchback.yml or from the application's code
     * @param env   the process environment
     * @param flags values from command-line flags
     */
    public static Map<Setting, String> resolve(Map<Setting, String> file, Map<String, String> env, Map<Setting, String> flags) {
        Map<Setting, String> out = resolve(Setting.class, file, env, flags);
        // the convention of Heroku, Rails, Django and the seeds, used only when no URL is configured anywhere
        String serviceUrl = env.get(SERVICE_URL);
        if (serviceUrl != null && !serviceUrl.isBlank() && !file.containsKey(Setting.DATABASE_URL)
                && !flags.containsKey(Setting.DATABASE_URL) && !fromEnvironment(Setting.class, env).containsKey(Setting.DATABASE_URL)) {
            out.put(Setting.DATABASE_URL, serviceUrl.strip());
        }
        return out;
    }

    /**
     * Where {@link #resolve(Map, Map, Map)} takes the database URL from, in its order: {@code --url}, the environment
     * variable that set it ({@code SWITCHBACK_DATABASE_URL} or an alias), {@code fileName} (the config file or the
     * application's code), {@code DATABASE_URL}, or the default.
     */
    public static String urlSource(Map<Setting, String> file, Map<String, String> env, Map<Setting, String> flags, String fileName) {
        if (flags.containsKey(Setting.DATABASE_URL)) {
            return "--url";
        }
        for (String alias : Setting.DATABASE_URL.aliases()) {
            String v = env.get(alias);
            if (v != null && !v.isBlank()) {
                return alias;
            }
        }
        if (file.containsKey(Setting.DATABASE_URL)) {
            return fileName;
        }
        String serviceUrl = env.get(SERVICE_URL);
        return serviceUrl != null && !serviceUrl.isBlank() ? SERVICE_URL : "the default";
    }

    /** The environment variable services keep their database URL in; see {@link DatabaseUrl}. */
    public static final String SERVICE_URL = "DATABASE_URL";

    /** The same for any capability's settings enum. */
    public static <K extends Enum<K> & SettingKey> Map<K, String> resolve(Class<K> type, Map<K, String> file,
                                                                        Map<String, String> env, Map<K, String> flags) {
        Map<K, String> out = new EnumMap<>(type);
        for (K s : type.getEnumConstants()) {
            if (s.defaultValue() != null) {
                out.put(s, s.defaultValue());
            }
        }
        out.putAll(file);
        out.putAll(fromEnvironment(type, env));
        out.putAll(flags);
        return out;
    }

    /** The settings the environment sets, through SWITCHBACK_* names and the runbooks' aliases. */
    public static <K extends Enum<K> & SettingKey> Map<K, String> fromEnvironment(Class<K> type, Map<String, String> env) {
        Map<K, String> out = new EnumMap<>(type);
        for (K s : type.getEnumConstants()) {
            for (String alias : s.aliases()) {
                String v = env.get(alias);
                String meant = v == null || v.isBlank() ? null : fromAlias(alias, v.strip());
                if (meant != null) {
                    out.put(s, meant);
                }
            }
            String v = env.get(s.envName());
            if (v == null) {
                v = env.get("SWITCHBACK_" + s.path().replace('.', '_').toUpperCase(Locale.ROOT));
            }
            // an empty variable counts as unset, as ${VAR:-default} treats it
            if (v != null && !v.isEmpty()) {
                out.put(s, v);
            }
        }
        return out;
    }

    /**
     * A duration such as {@code 500ms}, {@code 5s}, {@code 2m}, {@code 1h}; a bare number means seconds. The one parser
     * of durations: every setting and flag that takes one reads it here.
     *
     * @throws SwitchbackException (CONFIG) naming the setting and the bad value
     */
    public static Duration duration(String name, String value) {
        Matcher m = value == null ? null : DURATION.matcher(value.strip().toLowerCase(Locale.ROOT));
        if (m == null || !m.matches()) {
            throw new SwitchbackException(ErrorCode.CONFIG, name + " '" + value
                    + "' is not a duration; use e.g. 500ms, 5s, 2m (a bare number means seconds)");
        }
        try {
            long n = Long.parseLong(m.group(1));
            Duration d = switch (m.group(2) == null ? "s" : m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofSeconds(n);
            };
            d.toMillis(); // every user of a duration counts in milliseconds
            return d;
        } catch (NumberFormatException | ArithmeticException e) {
            throw new SwitchbackException(ErrorCode.CONFIG, name + " '" + value + "' is too long: a duration must fit in "
                    + Long.MAX_VALUE + " ms (about 292 million years); use e.g. 24h");
        }
    }

    /** The same, for validation that reports every problem at once: a bad value is added to {@code problems}. */
    public static Duration duration(String name, String value, List<String> problems) {
        try {
            return duration(name, value);
        } catch (SwitchbackException e) {
            problems.add(e.getMessage());
            return Duration.ZERO;
        }
    }

    /**
     * A share such as {@code 1%} or {@code 0.5%}, as a fraction (0.01, 0.005). The sign is required: a bare {@code 1}
     * could mean 1% or all of them.
     *
     * @param problems a bad value is added here, naming the setting, and 0 returned
     */
    public static double percent(String name, String value, List<String> problems) {
        Matcher m = value == null ? null : PERCENT.matcher(value.strip());
        if (m == null || !m.matches() || Double.parseDouble(m.group(1)) > 100) {
            problems.add(name + " '" + value + "' is not a percentage from 0% to 100%; use e.g. 1% or 0.5%");
            return 0;
        }
        return Double.parseDouble(m.group(1)) / 100;
    }

    private static String fromAlias(String alias, String value) {
        return switch (alias) {
            // the runbooks give these in milliseconds
            case "MIGRATION_LOCK_TIMEOUT", "MIGRATION_CACHE_TTL" -> value.matches("\\d+") ? value + "ms" : value;
            // AUTO_MIGRATE=false means skip
            case "AUTO_MIGRATE" -> switch (value.toLowerCase(Locale.ROOT)) {
                case "false", "0", "no", "off" -> "true";
                case "true", "1", "yes", "on" -> "false";
                default -> "invalid AUTO_MIGRATE value '" + value + "'";
            };
            // a bypass only ever turns skipping on: EMERGENCY_BYPASS=false leaves the other switches as they are
            case "EMERGENCY_BYPASS" -> switch (value.toLowerCase(Locale.ROOT)) {
                case "true", "1", "yes", "on" -> "true";
                case "false", "0", "no", "off" -> null;
                default -> "invalid EMERGENCY_BYPASS value '" + value + "'";
            };
            default -> value;
        };
    }
}
