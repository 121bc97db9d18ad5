package dev.switchback.migration.lint;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Column type names normalised so that spellings compare ({@code character varying(20)} is {@code varchar(20)}), and
 * PostgreSQL's rule for which type changes skip the table rewrite: binary-coercible changes whose length or
 * precision check cannot fail for existing values.
 */
final class ColumnTypes {
    private static final Pattern SHAPE = Pattern.compile("([a-z_ ]+?)\\s*(?:\\(\\s*(\\d+)\\s*(?:,\\s*(\\d+)\\s*)?\\))?\\s*(\\[\\])?");
    private static final Set<String> SERIAL = Set.of("serial", "bigserial", "smallserial", "serial2", "serial4", "serial8");

    private ColumnTypes() {
    }

    /** Spellings of the same type, longest first; matched at the start of the normalised text. */
    private static final String[][] ALIASES = {
            {"national character varying", "varchar"}, {"character varying", "varchar"}, {"char varying", "varchar"},
            {"timestamp with time zone", "timestamptz"}, {"timestamp without time zone", "timestamp"},
            {"time with time zone", "timetz"}, {"time without time zone", "time"}, {"double precision", "float8"},
            {"bit varying", "varbit"}, {"pg_catalog.", ""}, {"nvarchar", "varchar"}, {"decimal", "numeric"}};

    /** Lower case, single spaces, standard names for the common aliases (no regex: lint runs this for every column). */
    static String normalise(String written) {
        StringBuilder sb = new StringBuilder(written.length());
        for (int i = 0; i < written.length(); i++) {
            char c = Character.toLowerCase(written.charAt(i));
            boolean punct = c == '(' || c == ')' || c == ',' || c == '[' || c == ']';
            if (Character.isWhitespace(c)) {
                if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ' ' && !isPunct(sb.charAt(sb.length() - 1))) {
                    sb.append(' ');
                }
            } else {
                if (punct && sb.length() > 0 && sb.charAt(sb.length() - 1) == ' ') {
                    sb.setLength(sb.length() - 1);
                }
                sb.append(c);
            }
        }
        String t = sb.toString().strip();
        for (String[] alias : ALIASES) {
            if (t.startsWith(alias[0])) {
                t = alias[1] + t.substring(alias[0].length());
            }
        }
        if (t.equals("character") || t.startsWith("character(")) {
            t = "char" + t.substring(9);
        } else if (t.startsWith("bpchar")) {
            t = "char" + t.substring(6);
        }
        return switch (t) {
            case "int", "int4" -> "integer";
            case "int8" -> "bigint";
            case "int2" -> "smallint";
            case "bool" -> "boolean";
            case "float4" -> "real";
            default -> t;
        };
    }

    private static boolean isPunct(char c) {
        return c == '(' || c == ')' || c == ',' || c == '[' || c == ']';
    }

    static boolean isSerial(String normalised) {
        return SERIAL.contains(normalised);
    }

    /**
     * Whether changing a column from {@code from} to {@code to} leaves the table as it is: TRUE for the changes PostgreSQL
     * makes without a rewrite (varchar(n) to varchar(m >= n) or text, numeric(p, s) to numeric(q >= p, s), ...),
     * FALSE for the others, null when the current type is unknown.
     */
    static Boolean keepsTable(String from, String to) {
        if (from == null || from.isEmpty()) {
            return null;
        }
        if (from.equals(to)) {
            return true;
        }
        Matcher a = SHAPE.matcher(from);
        Matcher b = SHAPE.matcher(to);
        if (!a.matches() || !b.matches() || a.group(4) != null || b.group(4) != null) {
            return false;
        }
        String fromBase = a.group(1).strip();
        String toBase = b.group(1).strip();
        Integer fromLen = a.group(2) == null ? null : Integer.valueOf(a.group(2));
        Integer toLen = b.group(2) == null ? null : Integer.valueOf(b.group(2));
        if (fromBase.equals("varchar") || fromBase.equals("text")) {
            if (toBase.equals("text")) {
                return true;
            }
            // a longer limit (or none) cannot fail for existing values, so PostgreSQL skips the rewrite
            return toBase.equals("varchar") && (toLen == null || fromLen != null && toLen >= fromLen);
        }
        if (fromBase.equals("numeric") && toBase.equals("numeric")) {
            return toLen == null || fromLen != null && toLen >= fromLen && same(a.group(3), b.group(3));
        }
        if (fromBase.equals("varbit") && toBase.equals("varbit")) {
            return toLen == null || fromLen != null && toLen >= fromLen;
        }
        if (Set.of("timestamp", "timestamptz", "time", "interval").contains(fromBase) && fromBase.equals(toBase)) {
            return toLen == null || fromLen != null && toLen >= fromLen;
        }
        return fromBase.equals("cidr") && toBase.equals("inet");
    }

    private static boolean same(String scaleA, String scaleB) {
        return (scaleA == null ? "0" : scaleA).equals(scaleB == null ? "0" : scaleB);
    }
}
