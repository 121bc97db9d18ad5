package dev.switchback.migration.discovery;

import dev.switchback.migration.ErrorCode;
import dev.switchback.migration.SwitchbackException;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A file holding both directions under another tool's markers: goose's {@code -- +goose Up} / {@code -- +goose Down},
 * sql-migrate's {@code -- +migrate Up} / {@code -- +migrate Down} and dbmate's {@code -- migrate:up} /
 * {@code -- migrate:down}. Read whole, such a file would run its down right after its up, so it is cut in two: the up
 * is everything before the down marker, the down is the comment lines before the up marker (where goose's
 * {@code NO TRANSACTION} sits, so it holds for both) and everything from the down marker on. The marker lines stay in
 * their section, where {@link dev.switchback.migration.Directives} reads their options ({@code transaction:false}).
 *
 * @param down the down section, or null when it has no statement (rollback then refuses, as without a down file)
 */
record CombinedScript(String up, String down) {
    /**
     * Cuts {@code sql} at its markers, or returns null when it has none.
     *
     * @throws SwitchbackException (CONFIG) naming the file and line of a marker out of place
     */
    static CombinedScript split(String script, String sql) {
        String[] lines = sql.split("\n", -1);
        int up = -1;
        int down = -1;
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < lines.length; i++) {
            String marker = marker(lines[i]);
            if (marker == null) {
                continue;
            }
            if (marker.equals("up")) {
                if (up >= 0) {
                    problems.add(script + ":" + (i + 1) + ": a second up marker (the first is on line " + (up + 1) + ")");
                } else {
                    up = i;
                }
            } else if (down >= 0) {
                problems.add(script + ":" + (i + 1) + ": a second down marker (the first is on line " + (down + 1) + ")");
            } else {
                down = i;
            }
        }
        if (up < 0 && down < 0) {
            return null;
        }
        if (up < 0) {
            problems.add(script + ":" + (down + 1) + ": a down marker without an up marker before it; the whole file would run as the up");
        } else if (down >= 0 && down < up) {
            problems.add(script + ":" + (down + 1) + ": the down marker comes before the up marker (line " + (up + 1) + ")");
        }
        for (int i = 0; i < Math.max(up, 0); i++) {
            if (!isCommentOrBlank(lines[i])) {
                problems.add(script + ":" + (i + 1) + ": a statement before the up marker on line " + (up + 1)
                        + "; the tool that wrote this file would not run it either");
                break;
            }
        }
        if (!problems.isEmpty()) {
            throw new SwitchbackException(ErrorCode.CONFIG, String.join("\n", problems));
        }
        if (down < 0) {
            return new CombinedScript(sql, null);
        }
        String upText = String.join("\n", java.util.Arrays.asList(lines).subList(0, down)) + "\n";
        StringBuilder downText = new StringBuilder();
        for (int i = 0; i < up; i++) {
            downText.append(lines[i]).append('\n');
        }
        downText.append(String.join("\n", java.util.Arrays.asList(lines).subList(down, lines.length)));
        boolean empty = java.util.Arrays.asList(lines).subList(down, lines.length).stream().allMatch(CombinedScript::isCommentOrBlank);
        return new CombinedScript(upText, empty ? null : downText.toString());
    }

    /** "up" or "down" for a marker line of one of the tools, else null. */
    static String marker(String line) {
        String l = line.strip();
        if (!l.startsWith("--")) {
            return null;
        }
        String c = l.substring(2).strip().toLowerCase(Locale.ROOT);
        for (String tool : new String[]{"+goose ", "+migrate "}) {
            if (c.startsWith(tool)) {
                String word = c.substring(tool.length()).strip().split("\\s+")[0];
                return word.equals("up") || word.equals("down") ? word : null;
            }
        }
        if (c.equals("migrate:up") || c.startsWith("migrate:up ")) {
            return "up";
        }
        if (c.equals("migrate:down") || c.startsWith("migrate:down ")) {
            return "down";
        }
        return null;
    }

    private static boolean isCommentOrBlank(String line) {
        String l = line.strip();
        return l.isEmpty() || l.startsWith("--");
    }
}
