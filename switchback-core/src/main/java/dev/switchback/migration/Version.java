package dev.switchback.migration;

import java.util.ArrayList;
import java.util.List;

/**
 * A migration version: digit groups separated by {@code .} or {@code _}, compared numerically,
 * so {@code 1.10 > 1.9} and {@code 002} equals {@code 2}. Trailing zero groups do not count ({@code 1.0} equals {@code 1}).
 */
public final class Version implements Comparable<Version> {
    private static final String[] NONE = new String[0];
    /** Version 0: "before every migration", the target of {@code rollback --to 0}. */
    public static final Version ZERO = new Version("0", NONE);

    private final String text;
    /**
     * The digit groups without leading zeros ("0" stays "0"), trailing zero groups dropped. Two such groups compare
     * as numbers by length first, then digit by digit, so no group needs converting to a number whatever its size.
     */
    private final String[] groups;
    private final int hash;

    private Version(String text, String[] groups) {
        this.text = text;
        this.groups = groups;
        this.hash = java.util.Arrays.hashCode(groups);
    }

    public static boolean isValid(String text) {
        if (text == null || text.isEmpty()) {
            return false;
        }
        boolean digitExpected = true;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= '0' && c <= '9') {
                digitExpected = false;
            } else if ((c == '.' || c == '_') && !digitExpected) {
                digitExpected = true;
            } else {
                return false;
            }
        }
        return !digitExpected;
    }

    public static Version parse(String text) {
        if (!isValid(text)) {
            throw new SwitchbackException(ErrorCode.CONFIG,
                    "Invalid version '" + text + "': use digit groups separated by '.' or '_', e.g. 1, 002, 1.10, 20240101120000");
        }
        List<String> groups = new ArrayList<>(4);
        int start = 0;
        for (int i = 0; i <= text.length(); i++) {
            if (i == text.length() || text.charAt(i) == '.' || text.charAt(i) == '_') {
                int first = start;
                while (first < i - 1 && text.charAt(first) == '0') {
                    first++;
                }
                groups.add(text.substring(first, i));
                start = i + 1;
            }
        }
        int n = groups.size();
        while (n > 0 && groups.get(n - 1).equals("0")) {
            n--;
        }
        return new Version(text, n == 0 ? NONE : groups.subList(0, n).toArray(NONE));
    }

    /** The version as written in the file name (or by the user). */
    @Override
    public String toString() {
        return text;
    }

    /** The canonical form: groups without leading zeros, joined by dots. */
    public String canonical() {
        return groups.length == 0 ? "0" : String.join(".", groups);
    }

    @Override
    public int compareTo(Version other) {
        int n = Math.max(groups.length, other.groups.length);
        for (int i = 0; i < n; i++) {
            String a = i < groups.length ? groups[i] : "0";
            String b = i < other.groups.length ? other.groups[i] : "0";
            int c = a.length() != b.length() ? Integer.compare(a.length(), b.length()) : a.compareTo(b);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    @Override
    public boolean equals(Object o) {
        return this == o || o instanceof Version v && hash == v.hash && java.util.Arrays.equals(groups, v.groups);
    }

    @Override
    public int hashCode() {
        return hash;
    }
}
