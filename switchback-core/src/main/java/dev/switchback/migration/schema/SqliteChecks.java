package dev.switchback.migration.schema;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The CHECK constraints of a SQLite table, read from its CREATE TABLE text (SQLite keeps them nowhere else): each
 * {@code CHECK (...)} outside strings, quoted names and comments, named by a {@code CONSTRAINT name} right before it or
 * else by its expression, whitespace collapsed.
 */
final class SqliteChecks {
    record Check(String name, String expression) {
    }

    private SqliteChecks() {
    }

    static List<Check> of(String createTable) {
        List<Check> found = new ArrayList<>();
        if (createTable == null) {
            return found;
        }
        String s = createTable;
        String previous = null;
        String beforePrevious = null;
        int i = 0;
        while (i < s.length()) {
            char ch = s.charAt(i);
            if (ch == '\'' || ch == '"' || ch == '`' || ch == '[') {
                int end = skipQuoted(s, i);
                String word = s.substring(i + 1, Math.max(i + 1, end - 1));
                beforePrevious = previous;
                previous = ch == '\'' ? null : word;
                i = end;
            } else if (ch == '-' && s.startsWith("--", i)) {
                int nl = s.indexOf('\n', i);
                i = nl < 0 ? s.length() : nl + 1;
            } else if (ch == '/' && s.startsWith("/*", i)) {
                int close = s.indexOf("*/", i + 2);
                i = close < 0 ? s.length() : close + 2;
            } else if (Character.isLetter(ch) || ch == '_') {
                int start = i;
                while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_' || s.charAt(i) == '$')) {
                    i++;
                }
                String word = s.substring(start, i);
                int open = i;
                while (open < s.length() && Character.isWhitespace(s.charAt(open))) {
                    open++;
                }
                if (word.toUpperCase(Locale.ROOT).equals("CHECK") && open < s.length() && s.charAt(open) == '(') {
                    int close = closing(s, open);
                    String expression = s.substring(open + 1, close - 1).strip().replaceAll("\\s+", " ");
                    boolean named = beforePrevious != null && beforePrevious.equalsIgnoreCase("CONSTRAINT");
                    found.add(new Check(named ? previous : "check (" + expression + ")", expression));
                    i = close;
                    previous = null;
                    beforePrevious = null;
                } else {
                    beforePrevious = previous;
                    previous = word;
                }
            } else {
                if (!Character.isWhitespace(ch)) {
                    beforePrevious = previous;
                    previous = String.valueOf(ch);
                }
                i++;
            }
        }
        return found;
    }

    /** The index just past the quoted text starting at {@code i} (a doubled quote inside stays inside). */
    private static int skipQuoted(String s, int i) {
        char close = s.charAt(i) == '[' ? ']' : s.charAt(i);
        int j = i + 1;
        while (j < s.length()) {
            if (s.charAt(j) == close) {
                if (close != ']' && j + 1 < s.length() && s.charAt(j + 1) == close) {
                    j += 2;
                    continue;
                }
                return j + 1;
            }
            j++;
        }
        return s.length();
    }

    /** The index just past the parenthesis closing the one at {@code open}. */
    private static int closing(String s, int open) {
        int depth = 0;
        int j = open;
        while (j < s.length()) {
            char ch = s.charAt(j);
            if (ch == '\'' || ch == '"' || ch == '`' || ch == '[') {
                j = skipQuoted(s, j);
                continue;
            }
            if (ch == '(') {
                depth++;
            } else if (ch == ')' && --depth == 0) {
                return j + 1;
            }
            j++;
        }
        return s.length();
    }
}
