package dev.switchback.migration;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps known secrets out of text we print: the configured password and any password inside the URL,
 * wherever a driver's message repeats them (drivers echo URLs and even parts of them).
 */
public final class Secrets {
    private final List<String> values;

    /**
     * The forms a password takes in a URL, compiled the first time a URL could hold one: compiling them cost every
     * start about 15 ms, and most URLs have none of them.
     */
    private static final class InUrl {
        static final Pattern USERINFO = Pattern.compile("//[^/:@]+:([^@/]+)@");
        static final Pattern PARAM = Pattern.compile("(?i)(?:password|pwd)=([^&;]+)");
        static final Pattern ORACLE = Pattern.compile("(?i)jdbc:[a-z]+:[a-z]+:[^/@:]*/([^@]+)@");
    }

    private Secrets(List<String> values) {
        this.values = values;
    }

    public static Secrets of(String url, String... passwords) {
        List<String> found = new ArrayList<>();
        for (String p : passwords) {
            if (p != null && p.length() >= 2) {
                found.add(p);
            }
        }
        if (mayHoldPassword(url)) {
            for (Pattern pattern : new Pattern[]{InUrl.USERINFO, InUrl.PARAM, InUrl.ORACLE}) {
                Matcher m = pattern.matcher(url);
                while (m.find()) {
                    if (m.group(1).length() >= 2) {
                        found.add(m.group(1));
                    }
                }
            }
        }
        found.sort(Comparator.comparingInt(String::length).reversed());
        return new Secrets(List.copyOf(found));
    }

    /**
     * Whether {@code url} could hold a password: a user-info or Oracle-style password needs an {@code @}, a parameter
     * {@code password=} or {@code pwd=} (in any case). A URL with none of them matches none of the patterns.
     */
    static boolean mayHoldPassword(String url) {
        return url != null && (url.indexOf('@') >= 0 || containsIgnoreCase(url, "password=") || containsIgnoreCase(url, "pwd="));
    }

    /** Whether {@code text} contains {@code lower} (lower case ASCII) in any case. */
    public static boolean containsIgnoreCase(String text, String lower) {
        for (int i = 0; i + lower.length() <= text.length(); i++) {
            if (text.regionMatches(true, i, lower, 0, lower.length())) {
                return true;
            }
        }
        return false;
    }

    public String redact(String text) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (String v : values) {
            out = out.replace(v, "****");
        }
        return out;
    }
}
