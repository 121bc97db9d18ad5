package dev.switchback.migration;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A migration version: digit groups separated by {@code .} or {@code _}, compared numerically,
 * so {@code 1.10 > 1.9} and {@code 002} equals {@code 2}. Trailing zero groups do not count ({@code 1.0} equals {@code 1}).
 */
public final class Version implements Comparable<Version> {
    private static final Pattern SHAPE = Pattern.compile("\\d+([._]\\d+)*");
    private static final Pattern SEPARATOR = Pattern.compile("[._]");
    /** Version 0: "before every migration", the target of {@code rollback --to 0}. */
    public static final Version ZERO = new Version("0", List.of());

    private final String text;
    private final List<BigInteger> groups;

    private Version(String text, List<BigInteger> groups) {
        this.text = text;
        this.groups = groups;
    }

    public static boolean isValid(String text) {
        return text != null && SHAPE.matcher(text).matches();
    }

    public static Version parse(String text) {
        if (!isValid(text)) {
            throw new SwitchbackException(ErrorCode.CONFIG,
                    "Invalid version '" + text + "': use digit groups separated by '.' or '_', e.g. 1, 002, 1.10, 20240101120000");
        }
        List<BigInteger> groups = new ArrayList<>();
        for (String part : SEPARATOR.split(text)) {
            groups.add(new BigInteger(part));
        }
        while (!groups.isEmpty() && groups.get(groups.size() - 1).signum() == 0) {
            groups.remove(groups.size() - 1);
        }
        return new Version(text, List.copyOf(groups));
    }

    /** The version as written in the file name (or by the user). */
    @Override
    public String toString() {
        return text;
    }

    /** The canonical form: groups without leading zeros, joined by dots. */
    public String canonical() {
        if (groups.isEmpty()) {
            return "0";
        }
        StringBuilder sb = new StringBuilder();
        for (BigInteger g : groups) {
            if (sb.length() > 0) {
                sb.append('.');
            }
            sb.append(g);
        }
        return sb.toString();
    }

    @Override
    public int compareTo(Version other) {
        int n = Math.max(groups.size(), other.groups.size());
        for (int i = 0; i < n; i++) {
            BigInteger a = i < groups.size() ? groups.get(i) : BigInteger.ZERO;
            BigInteger b = i < other.groups.size() ? other.groups.get(i) : BigInteger.ZERO;
            int c = a.compareTo(b);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Version v && compareTo(v) == 0;
    }

    @Override
    public int hashCode() {
        return groups.hashCode();
    }
}
