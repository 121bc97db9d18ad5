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
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * switchback.yml: parsed, {@code ${VAR}} and {@code ${VAR:-default}} expanded from the environment,
 * and turned into setting values. Unknown keys in the sections we own are errors, and so are keys given twice, so a
 * typo never goes unnoticed.
 */
final class ConfigFile {
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
            return existing(explicit, "");
        }
        String fromEnv = env.get("SWITCHBACK_CONFIG");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return existing(Path.of(fromEnv), " (SWITCHBACK_CONFIG)");
        }
        Path local = Path.of("switchback.yml");
        return Files.isRegularFile(local) ? local.toAbsolutePath().normalize() : null;
    }

    private static Path existing(Path file, String from) {
        if (Files.isDirectory(file)) {
            throw new SwitchbackException(ErrorCode.CONFIG, "Config file " + file + from + " is a directory; name the YAML file, e.g. "
                    + file.resolve("switchback.yml"));
        }
        if (!Files.isRegularFile(file)) {
            throw new SwitchbackException(ErrorCode.CONFIG, "Config file " + file + from + " does not exist");
        }
        return file.toAbsolutePath().normalize();
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
        Map<String, String> out = new HashMap<>();
        if (file == null) {
            return out;
        }
        Object root = YamlText.load(file);
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
            if (!List.of("database", "migrations", "backup", "deploy", "lint", "drift").contains(name)) {
                problems.add("unknown section '" + name + "' (known: database, migrations, backup, deploy, lint, drift)");
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

    /** The parser, in a class of its own: without a config file, not one class of SnakeYAML is loaded. */
    private static final class YamlText {
        static Object load(Path file) {
            try {
                String text = Files.readString(file);
                List<String> twice = new ArrayList<>();
                keysGivenTwice("", new Yaml(new SafeConstructor(new LoaderOptions())).compose(new StringReader(text)), twice);
                if (!twice.isEmpty()) {
                    throw new SwitchbackException(ErrorCode.CONFIG, file + " has problems:\n  - " + String.join("\n  - ", twice));
                }
                return new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
            } catch (IOException e) {
                throw new SwitchbackException(ErrorCode.CONFIG, "Cannot read " + file + ": " + e.getMessage(), e);
            } catch (YAMLException e) {
                throw new SwitchbackException(ErrorCode.CONFIG, file + " is not valid YAML: " + e.getMessage(), e);
            }
        }
    }

    /**
     * Keys given twice in one mapping (compared as settings are, ignoring case): YAML would keep the last silently, so
     * the one a reader sees first may not be the one in force.
     */
    private static void keysGivenTwice(String prefix, Node node, List<String> problems) {
        if (node instanceof MappingNode mapping) {
            Map<String, Integer> lines = new HashMap<>();
            for (NodeTuple entry : mapping.getValue()) {
                String key = entry.getKeyNode() instanceof ScalarNode k ? k.getValue() : "?";
                String path = prefix.isEmpty() ? key : prefix + "." + key;
                int line = entry.getKeyNode().getStartMark().getLine() + 1;
                Integer first = lines.putIfAbsent(path.toLowerCase(Locale.ROOT), line);
                if (first != null) {
                    problems.add("'" + path + "' is given twice, at lines " + first + " and " + line + "; keep one");
                }
                keysGivenTwice(path, entry.getValueNode(), problems);
            }
        } else if (node instanceof SequenceNode sequence) {
            sequence.getValue().forEach(n -> keysGivenTwice(prefix, n, problems));
        }
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
        // a list of mappings (deploy.notify) or a mapping of mappings (deploy.workers) is handed over as JSON
        if (value instanceof List<?> list && list.stream().anyMatch(v -> v instanceof Map<?, ?>)
                || value instanceof Map<?, ?> map && map.values().stream().anyMatch(v -> v instanceof Map<?, ?>)) {
            try {
                return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(value);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
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

    /**
     * Expands {@code ${VAR}} (an error when unset) and {@code ${VAR:-default}}, where the default may itself hold
     * variables: {@code ${A:-${B:-x}}}. A default is expanded only when it is used; values from the environment never are.
     */
    static String expand(String value, Map<String, String> env) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        int start;
        while ((start = value.indexOf("${", i)) >= 0) {
            Reference ref = Reference.at(value, start);
            if (ref == null) {
                // not a variable (e.g. "${ not a var"): the text stays as written
                out.append(value, i, start + 2);
                i = start + 2;
                continue;
            }
            out.append(value, i, start).append(ref.value(value, env));
            i = ref.end();
        }
        return out.append(value, i, value.length()).toString();
    }

    /** {@code ${NAME}} or {@code ${NAME:-default}} in a value: the name, the default's span (or -1) and the end. */
    private record Reference(String name, int defaultStart, int defaultEnd, int end) {
        private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

        /** The reference starting at {@code start} ("${"), or null when there is none there. */
        static Reference at(String text, int start) {
            Matcher m = NAME.matcher(text).region(start + 2, text.length());
            if (!m.lookingAt()) {
                return null;
            }
            int j = m.end();
            if (text.startsWith("}", j)) {
                return new Reference(m.group(), -1, -1, j + 1);
            }
            if (!text.startsWith(":-", j)) {
                return null;
            }
            int depth = 0;
            for (int k = j + 2; k < text.length(); k++) {
                if (text.startsWith("${", k)) {
                    depth++;
                    k++;
                } else if (text.charAt(k) == '}') {
                    if (depth == 0) {
                        return new Reference(m.group(), j + 2, k, k + 1);
                    }
                    depth--;
                }
            }
            return null;
        }

        String value(String text, Map<String, String> env) {
            String v = env.get(name);
            boolean hasDefault = defaultStart >= 0;
            if (v == null && !hasDefault && PER_RELEASE.contains(name)) {
                // filled in per release by the deployer, e.g. migrations.locations: [releases/${RELEASE}/migrations]
                return "${" + name + "}";
            }
            if (v != null && !(v.isEmpty() && hasDefault)) {
                return v;
            }
            if (!hasDefault) {
                throw new IllegalArgumentException("${" + name + "} is not set in the environment (write ${" + name
                        + ":-default} for a default)");
            }
            return expand(text.substring(defaultStart, defaultEnd), env);
        }
    }

    private static List<SettingKey> known() {
        List<SettingKey> keys = new ArrayList<>(List.of(Setting.values()));
        keys.addAll(List.of(BackupSetting.values()));
        keys.addAll(List.of(DeploySetting.values()));
        keys.addAll(List.of(dev.switchback.kubernetes.KubernetesSetting.values()));
        keys.addAll(List.of(LintSetting.values()));
        keys.addAll(List.of(dev.switchback.migration.DriftSetting.values()));
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
