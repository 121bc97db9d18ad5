package dev.switchback.deploy;

import dev.switchback.migration.ErrorCode;
import dev.switchback.migration.SwitchbackException;
import dev.switchback.migration.dialect.Dialects;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The keys a release expects (its {@code .env.example}, or the file {@code deploy.service.envFile} names) against the
 * environment the daemon starts it with: the daemon's own, {@code deploy.service.env} over it, and PORT, RELEASE and
 * SWITCHBACK_SLOT, which the daemon sets itself.
 *
 * @param file             the file the expected keys come from, or null when the release has none (nothing expected)
 * @param missing          expected keys the environment does not set: the release would start without them
 * @param noLongerExpected keys {@code deploy.service.env} sets that the release no longer lists
 * @param changed          expected keys whose example value differs from the one given, by key: {example, given}, masked
 */
public record ReleaseEnvironment(String release, Path file, List<String> missing, List<String> noLongerExpected,
                                 Map<String, List<String>> changed) {
    private static final Pattern SECRET_NAME = Pattern.compile("(?i).*(password|secret|token|key).*");
    private static final Set<String> SET_BY_THE_DAEMON = Set.of("PORT", "RELEASE", "SWITCHBACK_SLOT");

    /** The release name, refused (CONFIG) when it could name a path outside the releases. */
    public static String checkName(String release) {
        return ReleaseNames.check(release);
    }

    public static ReleaseEnvironment of(String release, Path file, Map<String, String> serviceEnv, Map<String, String> processEnv) {
        if (file == null) {
            return new ReleaseEnvironment(release, null, List.of(), List.of(), Map.of());
        }
        Map<String, String> expected = read(file);
        Map<String, String> given = new HashMap<>(processEnv);
        given.putAll(serviceEnv);
        List<String> missing = new ArrayList<>();
        Map<String, List<String>> changed = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : expected.entrySet()) {
            String key = e.getKey();
            if (SET_BY_THE_DAEMON.contains(key)) {
                continue;
            }
            String value = given.get(key);
            if (value == null) {
                missing.add(key);
            } else if (!e.getValue().isEmpty() && !e.getValue().equals(value)) {
                changed.put(key, List.of(mask(key, e.getValue()), mask(key, value)));
            }
        }
        List<String> gone = new ArrayList<>(new TreeSet<>(serviceEnv.keySet()));
        gone.removeIf(k -> expected.containsKey(k) || SET_BY_THE_DAEMON.contains(k));
        return new ReleaseEnvironment(release, file, List.copyOf(missing), List.copyOf(gone), changed);
    }

    /**
     * Refuses (CONFIG, exit 2) a release whose expected keys are missing, naming them; to be called before anything of
     * the release is started or migrated.
     */
    public static void refuseMissing(String release, Path file, Map<String, String> serviceEnv, Map<String, String> processEnv) {
        ReleaseEnvironment env = of(release, file, serviceEnv, processEnv);
        if (!env.missing().isEmpty()) {
            throw new SwitchbackException(ErrorCode.CONFIG, "Perform refused; nothing was started or migrated: release " + release
                    + " expects " + String.join(", ", env.missing()) + " (listed in " + file + "), which the environment it would "
                    + "start with does not set. Set them under deploy.service.env or in the daemon's environment; "
                    + "'switchback config diff --release " + release + "' shows the whole comparison.");
        }
    }

    /** KEY=value lines; {@code export}, comments, blank lines and quotes around values as a shell or dotenv reads them. */
    static Map<String, String> read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new SwitchbackException(ErrorCode.CONFIG, "Cannot read the release's expected keys from " + file + ": " + e.getMessage(), e);
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (String raw : lines) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("export ")) {
                line = line.substring(7).strip();
            }
            int eq = line.indexOf('=');
            String key = (eq < 0 ? line : line.substring(0, eq)).strip();
            String value = eq < 0 ? "" : line.substring(eq + 1).strip();
            if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"") || value.startsWith("'") && value.endsWith("'"))) {
                value = value.substring(1, value.length() - 1);
            } else if (value.contains(" #")) {
                value = value.substring(0, value.indexOf(" #")).strip();
            }
            if (key.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                out.put(key, value);
            }
        }
        return out;
    }

    private static String mask(String key, String value) {
        return SECRET_NAME.matcher(key).matches() ? "****" : Dialects.mask(value);
    }
}
