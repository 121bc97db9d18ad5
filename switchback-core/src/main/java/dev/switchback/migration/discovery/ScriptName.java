package dev.switchback.migration.discovery;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a migration file's name says: its version, description and direction. The accepted shapes, tried in this
 * order, are the regular expressions {@code ([VU])(V)__(.+)\.sql}, {@code (V)_(.+)\.(up|down)\.sql} and
 * {@code (V)_(.+)\.sql} with {@code V = \d+(?:[._]\d+)*} and {@code .} any character but a line terminator; they are
 * matched by hand because a start-up check parses thousands of names (ScriptNameTest holds the expressions and checks
 * the two agree). A name whose last part before {@code .sql} is {@code up} or {@code down} in another case
 * ({@code 002_x.DOWN.sql}) matches none: read as a plain up migration, a down script would run forward.
 */
record ScriptName(String version, String description, boolean down) {
    static final String ACCEPTED = "V<version>__<description>.sql, U<version>__<description>.sql, "
            + "<version>_<description>.up.sql, <version>_<description>.down.sql, <version>_<description>.sql";

    /** Parses a file name, or returns null when it follows none of the accepted patterns. */
    static ScriptName parse(String fileName) {
        if (!fileName.endsWith(".sql") || fileName.length() < 5) {
            return null;
        }
        int end = fileName.length() - 4;
        String direction = fileName.substring(fileName.lastIndexOf('.', end - 1) + 1, end);
        if ((direction.equalsIgnoreCase("up") || direction.equalsIgnoreCase("down")) && !direction.equals("up")
                && !direction.equals("down")) {
            return null;
        }
        char first = fileName.charAt(0);
        if (first == 'V' || first == 'U') {
            // a shorter version ends before "[._]digit", never before "__": only the longest one can be followed by it
            int v = versionEnd(fileName, 1);
            if (v > 1 && fileName.startsWith("__", v) && description(fileName, v + 2, end)) {
                return new ScriptName(fileName.substring(1, v), describe(fileName.substring(v + 2, end)), first == 'U');
            }
            return null;
        }
        if (!digit(fileName, 0)) {
            return null;
        }
        boolean up = fileName.endsWith(".up.sql");
        if (up || fileName.endsWith(".down.sql")) {
            ScriptName s = versioned(fileName, fileName.length() - (up ? 7 : 9), !up);
            if (s != null) {
                return s;
            }
        }
        return versioned(fileName, end, false);
    }

    /**
     * The name a file was probably meant to have, when it matches a pattern except for the case of its extension,
     * its direction or its V/U prefix ({@code V2__x.SQL}, {@code 002_x.Up.sql}, {@code v2__x.sql}); else null.
     */
    static String meant(String fileName) {
        int dot = fileName.lastIndexOf('.');
        if (dot < 1 || !fileName.substring(dot).equalsIgnoreCase(".sql")) {
            return null;
        }
        String name = fileName.substring(0, dot);
        int last = name.lastIndexOf('.');
        if (last >= 0 && (name.substring(last + 1).equalsIgnoreCase("up") || name.substring(last + 1).equalsIgnoreCase("down"))) {
            name = name.substring(0, last + 1) + name.substring(last + 1).toLowerCase(java.util.Locale.ROOT);
        }
        if (name.startsWith("v") || name.startsWith("u")) {
            name = Character.toUpperCase(name.charAt(0)) + name.substring(1);
        }
        String meant = name + ".sql";
        return !meant.equals(fileName) && parse(meant) != null ? meant : null;
    }

    /** {@code (V)_(.+)} up to {@code end}, taking the longest version that leaves a description, as the expression does. */
    private static ScriptName versioned(String f, int end, boolean down) {
        java.util.List<Integer> ends = new java.util.ArrayList<>(2);
        int i = 0;
        while (true) {
            while (digit(f, i)) {
                i++;
            }
            ends.add(i);
            if (i + 1 < f.length() && (f.charAt(i) == '.' || f.charAt(i) == '_') && digit(f, i + 1)) {
                i++;
            } else {
                break;
            }
        }
        for (int k = ends.size() - 1; k >= 0; k--) {
            int v = ends.get(k);
            if (v < f.length() && f.charAt(v) == '_' && description(f, v + 1, end)) {
                return new ScriptName(f.substring(0, v), describe(f.substring(v + 1, end)), down);
            }
        }
        return null;
    }

    /** Where the longest version starting at {@code from} ends ({@code from} when there is no digit there). */
    private static int versionEnd(String f, int from) {
        int i = from;
        if (!digit(f, i)) {
            return from;
        }
        while (true) {
            while (digit(f, i)) {
                i++;
            }
            if (i + 1 < f.length() && (f.charAt(i) == '.' || f.charAt(i) == '_') && digit(f, i + 1)) {
                i++;
            } else {
                return i;
            }
        }
    }

    /** {@code .+} between from and end: at least one character, none a line terminator. */
    private static boolean description(String f, int from, int end) {
        if (from >= end) {
            return false;
        }
        for (int i = from; i < end; i++) {
            char c = f.charAt(i);
            if (c == '\n' || c == '\r' || c == '\u0085' || c == '\u2028' || c == '\u2029') {
                return false;
            }
        }
        return true;
    }

    private static boolean digit(String f, int i) {
        return i < f.length() && f.charAt(i) >= '0' && f.charAt(i) <= '9';
    }

    private static String describe(String raw) {
        return raw.replace('_', ' ').strip();
    }
}
