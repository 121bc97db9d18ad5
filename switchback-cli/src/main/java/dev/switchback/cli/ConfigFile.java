package dev.switchback.cli;

import dev.switchback.backup.BackupSetting;
import dev.switchback.deploy.DeploySetting;
import dev.switchback.migration.ErrorCode;
import dev.switchback.migration.Setting;
import dev.switchback.migration.SettingKey;
import dev.switchback.migration.SwitchbackException;
import dev.switchback.migration.lint.LintSetting;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * switchback.yml: parsed, {@code ${VAR}} and {@code ${VAR:-default}} expanded from the environment,
 * and turned into setting values. Unknown keys in the sections we own are errors, so a typo never goes unnoticed.
 */
final class ConfigFile {
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(:-([^}]*))?}");
    /** Sections whose keys are checked here, and the settings they hold. */
    private static final List<SettingKey> KNOWN = known();
    /** Sections later capabilities read; their keys are not checked yet. */
    private static final Set<String> OTHER_SECTIONS = Set.of();
    /** Variables the deployer expands for each release when they are not in the environment. */
    private static final Set<String> PER_RELEASE = Set.of("RELEASE", "PORT", "SLOT");

    private ConfigFile() {
    }

    /** The config to use: {@code -c FILE}, else SWITCHBACK_CONFIG, else ./switchback.yml when present, else none. */
    static Path locate(Path explicit, Map<String, String> env) {
        if (explicit != null) {
            if (!Files.isRegularFile(explicit)) {
                throw new SwitchbackException(ErrorCode.CONFIG, "Config file " + explicit + " does not exist");
            }
            return explicit.toAbsolutePath().normalize();
        }
        String fromEnv = env.get("SWITCHBACK_CONFIG");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return locate(Path.of(fromEnv), Map.of());
        }
        Path local = Path.of("switchback.yml");
        return Files.isRegularFile(local) ? local.toAbsolutePath().normalize() : null;
    }

    static Map<Setting, String> read(Path file, Map<String, String> env) {
        return select(Setting.class, values(file, env));
    }

    /** The values of one capability's settings. */
    static <K extends Enum<K> & SettingKey> Map<K, String> select(Class<K> type, Map<String, String> values) {
        Map<K, String> out = new EnumMap<>(type);
        for (K k : type.getEnumConstants()) {
            String v = values.get(k.path());
            if (v != null) {
                out.put(k, v);
            }
        }
        return out;
    }

    /** Every setting in the file by its path, expanded; unknown keys in known sections are errors. */
    static Map<String, String> values(Path file, Map<String, String> env) {
        Map<String, String> out = new java.util.HashMap<>();
        if (file == null) {
            return out;
        }
        Object root;
        try {
            root = new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(file));
        } catch (IOException e) {
            throw new SwitchbackException(ErrorCode.CONFIG, "Cannot read " + file + ": " + e.getMessage(), e);
        } catch (YAMLException e) {
            throw new SwitchbackException(ErrorCode.CONFIG, file + " is not valid YAML: " + e.getMessage(), e);
        }
        if (root == null) {
            return out;
        }
        if (!(root instanceof Map<?, ?> map)) {
            throw new SwitchbackException(ErrorCode.CONFIG, file + ": expected a mapping with sections such as database: and migrations:");
        }
        List<String> problems = new ArrayList<>();
        for (Map.Entry<?, ?> section : map.entrySet()) {
            String name = String.valueOf(section.getKey());
            if (OTHER_SECTIONS.contains(name)) {
                continue;
            }
            if (!List.of("database", "migrations", "backup", "deploy", "lint").contains(name)) {
                problems.add("unknown section '" + name + "' (known: database, migrations, backup, deploy, lint)");
                continue;
            }
            if (section.getValue() == null) {
                continue;
            }
            if (!(section.getValue() instanceof Map<?, ?> keys)) {
                problems.add("'" + name + "' must be a mapping");
                continue;
            }
            collect(name, name, keys, env, out, problems);
        }
        if (!problems.isEmpty()) {
            throw new SwitchbackException(ErrorCode.CONFIG, file + " has problems:\n  - " + String.join("\n  - ", problems));
        }
        return out;
    }

    /** Walks nested mappings (deploy.service.healthCheck.path) down to known settings. */
    private static void collect(String section, String prefix, Map<?, ?> keys, Map<String, String> env, Map<String, String> out,
                                List<String> problems) {
        for (Map.Entry<?, ?> entry : keys.entrySet()) {
            String path = prefix + "." + entry.getKey();
            SettingKey setting = KNOWN.stream().filter(k -> k.path().equalsIgnoreCase(path)).findFirst().orElse(null);
            if (setting == null && entry.getValue() instanceof Map<?, ?> nested
                    && KNOWN.stream().anyMatch(k -> k.path().toLowerCase().startsWith(path.toLowerCase() + "."))) {
                collect(section, path, nested, env, out, problems);
                continue;
            }
            if (setting == null) {
                problems.add("unknown key '" + path + "' (known: " + known(section) + ")");
                continue;
            }
            String value = scalar(setting, entry.getValue());
            if (value != null) {
                try {
                    out.put(setting.path(), expand(value, env));
                } catch (IllegalArgumentException e) {
                    problems.add(path + ": " + e.getMessage());
                }
            }
        }
    }

    /** Lists join with ',' (a command with '\n', its arguments may hold commas); mappings become KEY=VALUE lines. */
    private static String scalar(SettingKey setting, Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof List<?> list) {
            List<String> parts = new ArrayList<>();
            list.forEach(v -> parts.add(String.valueOf(v)));
            return String.join(setting.path().equals("deploy.service.command") ? "\n" : ",", parts);
        }
        if (value instanceof Map<?, ?> map) {
            List<String> lines = new ArrayList<>();
            map.forEach((k, v) -> lines.add(k + "=" + (v == null ? "" : v)));
            return String.join("\n", lines);
        }
        return String.valueOf(value);
    }

    /** Expands {@code ${VAR}} (an error when unset) and {@code ${VAR:-default}}. */
    static String expand(String value, Map<String, String> env) {
        Matcher m = VARIABLE.matcher(value);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String v = env.get(m.group(1));
            if (v == null && m.group(2) == null && PER_RELEASE.contains(m.group(1))) {
                // filled in per release by the deployer, e.g. migrations.locations: [releases/${RELEASE}/migrations]
                m.appendReplacement(sb, Matcher.quoteReplacement(m.group()));
                continue;
            }
            if (v == null || (v.isEmpty() && m.group(2) != null)) {
                if (m.group(2) == null) {
                    throw new IllegalArgumentException("${" + m.group(1) + "} is not set in the environment (write ${"
                            + m.group(1) + ":-default} for a default)");
                }
                v = m.group(3);
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(v));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    private static List<SettingKey> known() {
        List<SettingKey> keys = new ArrayList<>(List.of(Setting.values()));
        keys.addAll(List.of(BackupSetting.values()));
        keys.addAll(List.of(DeploySetting.values()));
        keys.addAll(List.of(LintSetting.values()));
        return List.copyOf(keys);
    }

    private static String known(String section) {
        List<String> keys = new ArrayList<>();
        for (SettingKey s : KNOWN) {
            if (s.path().startsWith(section + ".")) {
                keys.add(s.path().substring(section.length() + 1));
            }
        }
        return String.join(", ", keys);
    }
}
