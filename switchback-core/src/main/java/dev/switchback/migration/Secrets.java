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
    private static final Pattern USERINFO = Pattern.compile("//[^/:@]+:([^@/]+)@");
    private static final Pattern PARAM = Pattern.compile("(?i)(?:password|pwd)=([^&;]+)");
    private static final Pattern ORACLE = Pattern.compile("(?i)jdbc:[a-z]+:[a-z]+:[^/@:]*/([^@]+)@");
    private final List<String> values;

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
        if (url != null) {
            for (Pattern pattern : new Pattern[]{USERINFO, PARAM, ORACLE}) {
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
