package dev.switchback.migration;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code -- switchback:...} lines in a script's leading comments.
 *
 * @param noTransaction run the script outside a transaction (needed for CREATE INDEX CONCURRENTLY)
 * @param contract      {@code phase=contract}: the contract step of expand/contract, run once the previous
 *                      release is gone, so breaking it is expected
 * @param ignores       {@code ignore <rule> <reason>} lines: lint findings of that rule in this script are accepted
 */
public record Directives(boolean noTransaction, boolean contract, List<Ignore> ignores) {
    public static final Directives NONE = new Directives(false);
    private static final String PREFIX = "switchback:";
    private static final String KNOWN = "-- switchback:no-transaction, -- switchback:phase=expand|contract, "
            + "-- switchback:ignore <rule> <reason>";
    private static final Pattern PHASE = Pattern.compile("(?i)phase\\s*=\\s*(\\S+)");
    private static final Pattern IGNORE = Pattern.compile("(?i)ignore(?:\\s+(\\S+))?(?:\\s+(.*))?");
    private static final Pattern RULE_ID = Pattern.compile("[a-z][a-z0-9-]*");

    /**
     * An accepted lint finding: the rule id, why it is acceptable (shown in every report), and the 1-based line
     * of the directive.
     */
    public record Ignore(String rule, String reason, int line) {
    }

    public Directives {
        ignores = List.copyOf(ignores);
    }

    public Directives(boolean noTransaction) {
        this(noTransaction, false, List.of());
    }

    /** {@code contract} or {@code expand} (the default: every other migration must keep the previous release working). */
    public String phase() {
        return contract ? "contract" : "expand";
    }

    /**
     * Reads the directives from the comment lines before the first statement.
     *
     * @throws SwitchbackException naming the script and line of an unknown or malformed directive
     */
    public static Directives parse(String script, String text) {
        boolean noTransaction = false;
        boolean contract = false;
        List<Ignore> ignores = new ArrayList<>();
        List<String> problems = new ArrayList<>();
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
            if (isForeignNoTransaction(comment)) {
                noTransaction = true;
                continue;
            }
            if (!comment.toLowerCase(Locale.ROOT).startsWith(PREFIX)) {
                continue;
            }
            String directive = comment.substring(PREFIX.length()).strip();
            String where = script + ":" + (i + 1) + ": ";
            Matcher phase = PHASE.matcher(directive);
            if (directive.equalsIgnoreCase("no-transaction")) {
                noTransaction = true;
            } else if (phase.matches()) {
                String value = phase.group(1).toLowerCase(Locale.ROOT);
                if (value.equals("contract") || value.equals("expand")) {
                    contract = value.equals("contract");
                } else {
                    problems.add(where + "unknown phase '" + phase.group(1) + "' (known: expand, contract)");
                }
            } else if (isIgnore(directive)) {
                try {
                    ignores.add(ignore(directive, i + 1));
                } catch (IllegalArgumentException e) {
                    problems.add(where + e.getMessage());
                }
            } else {
                problems.add(where + "unknown directive 'switchback:" + directive + "'");
            }
        }
        if (!problems.isEmpty()) {
            throw new SwitchbackException(ErrorCode.CONFIG, String.join("\n", problems) + "\nKnown directives: " + KNOWN);
        }
        return new Directives(noTransaction, contract, ignores);
    }

    /**
     * Whether a comment is another tool's way of saying {@code no-transaction}, honoured so that files keep their
     * tool's form: Mattermost's {@code morph:nontransactional}, goose's {@code +goose NO TRANSACTION}, sql-migrate's
     * {@code +migrate Up notransaction} and dbmate's {@code migrate:up transaction:false} (also on its down marker).
     */
    static boolean isForeignNoTransaction(String comment) {
        String c = comment.toLowerCase(Locale.ROOT).replaceAll("\\s+", " ");
        if (c.equals("morph:nontransactional") || c.equals("+goose no transaction")) {
            return true;
        }
        if (c.startsWith("+migrate up ") || c.startsWith("+migrate down ")) {
            return List.of(c.split(" ")).contains("notransaction");
        }
        if (c.startsWith("migrate:up ") || c.startsWith("migrate:down ")) {
            return List.of(c.split(" ")).contains("transaction:false");
        }
        return false;
    }

    /** Whether the text after {@code switchback:} is an ignore directive (well-formed or not). */
    public static boolean isIgnore(String directive) {
        return directive.regionMatches(true, 0, "ignore", 0, 6)
                && (directive.length() == 6 || Character.isWhitespace(directive.charAt(6)));
    }

    /**
     * Parses {@code ignore <rule> <reason>}; the reason is required so that every report can say why.
     *
     * @throws IllegalArgumentException saying what is missing
     */
    public static Ignore ignore(String directive, int line) {
        Matcher m = IGNORE.matcher(directive.strip());
        if (!m.matches() || m.group(1) == null) {
            throw new IllegalArgumentException("'switchback:" + directive.strip() + "' names no rule; write "
                    + "-- switchback:ignore <rule> <reason>");
        }
        String rule = m.group(1).toLowerCase(Locale.ROOT);
        if (!RULE_ID.matcher(rule).matches()) {
            throw new IllegalArgumentException("'" + m.group(1) + "' is not a rule id (e.g. create-index-blocking)");
        }
        String reason = m.group(2) == null ? "" : m.group(2).strip();
        if (reason.isEmpty()) {
            throw new IllegalArgumentException("'switchback:ignore " + rule + "' gives no reason; write "
                    + "-- switchback:ignore " + rule + " <why this is safe here>");
        }
        return new Ignore(rule, reason, line);
    }
}
