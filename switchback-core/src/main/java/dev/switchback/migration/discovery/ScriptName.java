package dev.switchback.migration.discovery;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What a migration file's name says: its version, description and direction. */
record ScriptName(String version, String description, boolean down) {
    private static final String VERSION = "(\\d+(?:[._]\\d+)*)";
    private static final Pattern FLYWAY = Pattern.compile("([VU])" + VERSION + "__(.+)\\.sql");
    private static final Pattern UP_DOWN = Pattern.compile(VERSION + "_(.+)\\.(up|down)\\.sql");
    private static final Pattern PLAIN = Pattern.compile(VERSION + "_(.+)\\.sql");

    static final String ACCEPTED = "V<version>__<description>.sql, U<version>__<description>.sql, "
            + "<version>_<description>.up.sql, <version>_<description>.down.sql, <version>_<description>.sql";

    /** Parses a file name, or returns null when it follows none of the accepted patterns. */
    static ScriptName parse(String fileName) {
        Matcher m = FLYWAY.matcher(fileName);
        if (m.matches()) {
            return new ScriptName(m.group(2), describe(m.group(3)), m.group(1).equals("U"));
        }
        m = UP_DOWN.matcher(fileName);
        if (m.matches()) {
            return new ScriptName(m.group(1), describe(m.group(2)), m.group(3).equals("down"));
        }
        m = PLAIN.matcher(fileName);
        if (m.matches()) {
            return new ScriptName(m.group(1), describe(m.group(2)), false);
        }
        return null;
    }

    private static String describe(String raw) {
        return raw.replace('_', ' ').strip();
    }
}
