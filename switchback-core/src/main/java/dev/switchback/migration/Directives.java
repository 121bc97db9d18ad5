package dev.switchback.migration;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code -- switchback:...} lines in a script's leading comments.
 *
 * @param noTransaction run the script outside a transaction (needed for CREATE INDEX CONCURRENTLY)
 */
public record Directives(boolean noTransaction) {
    public static final Directives NONE = new Directives(false);
    private static final String PREFIX = "switchback:";

    /**
     * Reads the directives from the comment lines before the first statement.
     *
     * @throws SwitchbackException naming the script and line of an unknown directive
     */
    public static Directives parse(String script, String text) {
        boolean noTransaction = false;
        List<String> unknown = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty()) {
                continue;
            }
            if (!line.startsWith("--")) {
                break;
            }
            String comment = line.substring(2).strip();
            if (!comment.toLowerCase(Locale.ROOT).startsWith(PREFIX)) {
                continue;
            }
            String directive = comment.substring(PREFIX.length()).strip();
            if (directive.equalsIgnoreCase("no-transaction")) {
                noTransaction = true;
            } else {
                unknown.add(script + ":" + (i + 1) + ": unknown directive 'switchback:" + directive + "'");
            }
        }
        if (!unknown.isEmpty()) {
            throw new SwitchbackException(ErrorCode.CONFIG, String.join("\n", unknown)
                    + "\nKnown directives: -- switchback:no-transaction");
        }
        return new Directives(noTransaction);
    }
}
