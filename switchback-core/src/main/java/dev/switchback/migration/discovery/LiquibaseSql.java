package dev.switchback.migration.discovery;

import dev.switchback.migration.ErrorCode;
import dev.switchback.migration.SwitchbackException;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Liquibase formatted SQL: a file opening with {@code --liquibase formatted sql}, its changesets under
 * {@code --changeset author:id} lines, each undone by its {@code --rollback} lines. The up is the file with those lines
 * kept as comments; the down is the changesets' rollbacks, last changeset first. When a changeset has no
 * rollback the file has no down (rollback refuses rather than undo part of it); {@code --rollback empty} or
 * {@code not required} undo nothing. {@code runInTransaction:false} on any changeset runs the file without a
 * transaction. Any other changeset attribute (contexts, labels, dbms, splitStatements, ...) would decide what runs
 * and how, which Switchback does not follow, so it is refused.
 *
 * @param down the rollbacks, or null
 */
record LiquibaseSql(String up, String down, boolean noTransaction) {
    private static final Pattern HEADER = Pattern.compile("(?i)--\\s*liquibase\\s+formatted\\s+sql\\s*");
    private static final Pattern CHANGESET = Pattern.compile("(?i)--\\s*changeset\\s+(\\S+)(.*)");
    private static final Pattern ROLLBACK = Pattern.compile("(?i)--\\s*rollback(?:\\s(.*))?");

    /** The file read as Liquibase formatted SQL, or null when it does not open with the header. */
    static LiquibaseSql parse(String script, String sql) {
        String[] lines = sql.split("\n", -1);
        int first = 0;
        while (first < lines.length && lines[first].isBlank()) {
            first++;
        }
        if (first == lines.length || !HEADER.matcher(lines[first].strip()).matches()) {
            return null;
        }
        List<String> problems = new ArrayList<>();
        List<StringBuilder> rollbacks = new ArrayList<>();
        boolean noTransaction = false;
        boolean complete = true;
        StringBuilder current = null;
        for (int i = first + 1; i < lines.length; i++) {
            String line = lines[i].strip();
            Matcher changeset = CHANGESET.matcher(line);
            Matcher rollback = ROLLBACK.matcher(line);
            if (changeset.matches()) {
                if (current != null && current.isEmpty()) {
                    complete = false;
                }
                current = new StringBuilder();
                rollbacks.add(current);
                for (String attribute : changeset.group(2).strip().split("\\s+")) {
                    String a = attribute.toLowerCase(Locale.ROOT);
                    if (a.isEmpty() || a.equals("runintransaction:true")) {
                        continue;
                    }
                    if (a.equals("runintransaction:false")) {
                        noTransaction = true;
                    } else {
                        problems.add(script + ":" + (i + 1) + ": changeset attribute '" + attribute + "' is not followed "
                                + "here (only runInTransaction is); remove it or keep this file with Liquibase");
                    }
                }
            } else if (rollback.matches()) {
                if (current == null) {
                    problems.add(script + ":" + (i + 1) + ": --rollback before the first --changeset");
                    continue;
                }
                String text = rollback.group(1) == null ? "" : rollback.group(1).strip();
                // "empty" and "not required" are how Liquibase says a changeset needs no undoing
                current.append(text.equalsIgnoreCase("empty") || text.equalsIgnoreCase("not required") ? "-- nothing to undo" : text)
                        .append('\n');
            }
        }
        if (current != null && current.isEmpty()) {
            complete = false;
        }
        if (rollbacks.isEmpty()) {
            problems.add(script + ": a Liquibase formatted SQL file without a --changeset line");
        }
        if (!problems.isEmpty()) {
            throw new SwitchbackException(ErrorCode.CONFIG, String.join("\n", problems));
        }
        String up = commented(lines);
        if (!complete) {
            return new LiquibaseSql(up, null, noTransaction);
        }
        Collections.reverse(rollbacks);
        StringBuilder down = new StringBuilder(noTransaction ? "-- switchback:no-transaction\n" : "");
        rollbacks.forEach(down::append);
        return new LiquibaseSql(up, down.toString(), noTransaction);
    }

    /**
     * The file with a space after the {@code --} of each Liquibase line: MySQL and MariaDB read {@code --changeset}
     * as SQL (their comments need {@code -- }), and Liquibase never sends those lines to the server.
     */
    private static String commented(String[] lines) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < lines.length; i++) {
            String l = lines[i].strip();
            boolean control = HEADER.matcher(l).matches() || CHANGESET.matcher(l).matches() || ROLLBACK.matcher(l).matches();
            b.append(control && !l.startsWith("-- ") ? "-- " + l.substring(2) : lines[i]);
            if (i < lines.length - 1) {
                b.append('\n');
            }
        }
        return b.toString();
    }
}
