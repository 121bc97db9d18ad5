package dev.switchback.migration.sql;

import dev.switchback.migration.ErrorCode;
import dev.switchback.migration.SwitchbackException;
import dev.switchback.migration.sql.SqlToken.Type;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Splits a script into tokens for one {@link SqlFlavor}. Lossless: the token texts concatenated are the
 * input. An unterminated string, quoted name, comment or dollar quote is an error naming its line: it would
 * swallow the rest of the script, and a database that accepts the truncated statement (an unclosed comment at
 * the end is no error to PostgreSQL) would record the migration as applied without the statements after it.
 *
 * <p>PostgreSQL strings follow {@code standard_conforming_strings = on} (the default since 9.1):
 * backslashes only escape inside {@code E'...'}.
 */
public final class SqlLexer {

    private final String in;
    private final SqlFlavor flavor;
    private final String source;
    private final List<SqlToken> tokens = new ArrayList<>();
    private int pos;
    private int line = 1;
    private String delimiter = ";";

    private SqlLexer(String in, SqlFlavor flavor, String source) {
        this.in = Objects.requireNonNull(in, "script");
        this.flavor = Objects.requireNonNull(flavor, "flavor");
        this.source = source;
    }

    /**
     * Every token of {@code script}, in order.
     *
     * @throws SwitchbackException (CONFIG) naming the line where an unterminated construct opens
     */
    public static List<SqlToken> tokenize(String script, SqlFlavor flavor) {
        return tokenize(script, flavor, null);
    }

    /**
     * Every token of {@code script}, in order.
     *
     * @param source the script's name for messages (a path or classpath: name), or null
     * @throws SwitchbackException (CONFIG) naming the file and line where an unterminated construct opens
     */
    public static List<SqlToken> tokenize(String script, SqlFlavor flavor, String source) {
        return new SqlLexer(script, flavor, source).run();
    }

    private List<SqlToken> run() {
        while (pos < in.length()) {
            int start = pos;
            Type type = scan();
            if (pos <= start) {
                pos = start + 1; // every branch advances; this only guards against a future slip
            }
            pos = Math.min(pos, in.length());
            tokens.add(new SqlToken(type, in.substring(start, pos), start, line));
            countLines(start, pos);
        }
        return List.copyOf(tokens);
    }

    private Type scan() {
        char c = in.charAt(pos);
        if (flavor == SqlFlavor.MYSQL) {
            if ((c == 'd' || c == 'D') && delimiterDirective()) {
                return Type.DELIMITER_DIRECTIVE;
            }
            if (delimiterAt(pos)) {
                pos += delimiter.length();
                return Type.DELIMITER;
            }
        } else if (c == ';') {
            pos++;
            return Type.DELIMITER;
        }
        if (Character.isWhitespace(c)) {
            while (pos < in.length() && Character.isWhitespace(in.charAt(pos))) {
                pos++;
            }
            return Type.WHITESPACE;
        }
        if (c == '-' && peek(1) == '-' && (flavor != SqlFlavor.MYSQL || mysqlDashComment())
                || c == '#' && flavor == SqlFlavor.MYSQL) {
            lineComment();
            return Type.COMMENT;
        }
        if (c == '/' && peek(1) == '*') {
            int open = pos;
            int depth = blockComment(flavor == SqlFlavor.POSTGRES);
            if (depth > 0) {
                pos = open;
                boolean nested = flavor == SqlFlavor.POSTGRES && in.indexOf("/*", open + 2) >= 0;
                throw unterminated("/* comment", nested ? "*/ (PostgreSQL comments nest: each /* inside one needs its own */, "
                        + depth + " still open)" : "*/");
            }
            return Type.COMMENT;
        }
        switch (c) {
            case '\'':
                quoted('\'', flavor == SqlFlavor.MYSQL, "string", "'");
                return Type.STRING;
            case '"':
                // MySQL without ANSI_QUOTES reads "..." as a string with backslash escapes.
                quoted('"', flavor == SqlFlavor.MYSQL, flavor == SqlFlavor.MYSQL ? "string" : "quoted identifier", "\"");
                return flavor == SqlFlavor.MYSQL ? Type.STRING : Type.QUOTED_IDENTIFIER;
            case '`':
                if (flavor != SqlFlavor.POSTGRES) {
                    quoted('`', false, "quoted identifier", "`");
                    return Type.QUOTED_IDENTIFIER;
                }
                break;
            case '[':
                if (flavor == SqlFlavor.SQLITE) {
                    int close = in.indexOf(']', pos + 1);
                    if (close < 0) {
                        throw unterminated("[quoted identifier", "]");
                    }
                    pos = close + 1;
                    return Type.QUOTED_IDENTIFIER;
                }
                break;
            case '$':
                if (flavor == SqlFlavor.POSTGRES && dollarQuote()) {
                    return Type.DOLLAR_STRING;
                }
                break;
            default:
                break;
        }
        if (isDigit(c) || c == '.' && isDigit(peek(1))) {
            number();
            return Type.NUMBER;
        }
        if (isWordStart(c)) {
            return word();
        }
        pos++;
        return Type.SYMBOL;
    }

    /**
     * A MySQL client {@code DELIMITER xx} line: the word at the start of a line (after blanks), then
     * blanks, then the new delimiter. The whole line up to its break becomes one token.
     */
    private boolean delimiterDirective() {
        if (!in.regionMatches(true, pos, "DELIMITER", 0, 9) || !atLineStart()) {
            return false;
        }
        int i = pos + 9;
        if (i >= in.length() || !isBlank(in.charAt(i))) {
            return false;
        }
        while (i < in.length() && isBlank(in.charAt(i))) {
            i++;
        }
        int argStart = i;
        while (i < in.length() && !Character.isWhitespace(in.charAt(i))) {
            i++;
        }
        if (i == argStart) {
            return false;
        }
        delimiter = in.substring(argStart, i);
        while (i < in.length() && !isLineBreak(in.charAt(i))) {
            i++;
        }
        pos = i;
        return true;
    }

    private boolean atLineStart() {
        int i = pos - 1;
        while (i >= 0 && isBlank(in.charAt(i))) {
            i--;
        }
        return i < 0 || isLineBreak(in.charAt(i));
    }

    // The mysql client compares delimiters case-insensitively, which matters for word delimiters.
    private boolean delimiterAt(int i) {
        return in.regionMatches(true, i, delimiter, 0, delimiter.length());
    }

    // MySQL needs "-- " (dash dash then whitespace or control character); "--1" is minus minus one.
    private boolean mysqlDashComment() {
        return pos + 2 >= in.length() || in.charAt(pos + 2) <= ' ';
    }

    private void lineComment() {
        while (pos < in.length() && !isLineBreak(in.charAt(pos))) {
            pos++;
        }
    }

    /** Reads a block comment; returns how many comments are still open at the end of the input (0: closed). */
    private int blockComment(boolean nests) {
        pos += 2;
        int depth = 1;
        while (pos < in.length()) {
            if (in.startsWith("*/", pos)) {
                pos += 2;
                if (--depth == 0) {
                    return 0;
                }
            } else if (nests && in.startsWith("/*", pos)) {
                pos += 2;
                depth++;
            } else {
                pos++;
            }
        }
        return depth;
    }

    /**
     * A quoted run closed by {@code q}; a doubled {@code q} stands for one, and optionally backslash escapes.
     *
     * @throws SwitchbackException when the input ends before the closing quote
     */
    private void quoted(char q, boolean backslash, String what, String close) {
        int open = pos;
        pos++;
        while (pos < in.length()) {
            char c = in.charAt(pos);
            if (backslash && c == '\\') {
                pos += 2;
            } else if (c == q) {
                if (peek(1) != q) {
                    pos++;
                    return;
                }
                pos += 2;
            } else {
                pos++;
            }
        }
        pos = open;
        throw unterminated(what, close + (backslash ? " (a backslash escapes the character after it here)" : ""));
    }

    /** The error for a construct opening at the current token and running to the end of the input. */
    private SwitchbackException unterminated(String what, String close) {
        int lines = 1;
        for (int i = pos; i < in.length(); i++) {
            if (in.charAt(i) == '\n') {
                lines++;
            }
        }
        String where = (source == null ? "line " + line : source + ":" + line) + ": ";
        return new SwitchbackException(ErrorCode.CONFIG, where + "unterminated " + what + ": nothing closes it, so the rest of "
                + "the script (" + (lines == 1 ? "this line" : lines + " lines") + ") would run as part of it. Close it with "
                + close + ".");
    }

    /**
     * PostgreSQL dollar quoting with pgjdbc's rules (Parser.parseDollarQuotes): the {@code $} must not
     * follow an identifier character, and the tag is empty or an identifier not starting with a digit,
     * so {@code $1} stays a parameter. The body ends at the first repeat of the exact opening tag, which
     * lets a body hold dollar quotes with other tags.
     */
    private boolean dollarQuote() {
        if (pos + 1 >= in.length() || pos > 0 && isIdentifierCont(in.charAt(pos - 1))) {
            return false;
        }
        int tagEnd = -1;
        char next = in.charAt(pos + 1);
        if (next == '$') {
            tagEnd = pos + 1;
        } else if (isDollarTagStart(next)) {
            for (int i = pos + 2; i < in.length(); i++) {
                char c = in.charAt(i);
                if (c == '$') {
                    tagEnd = i;
                    break;
                }
                if (!isDollarTagCont(c)) {
                    break;
                }
            }
        }
        if (tagEnd < 0) {
            return false;
        }
        String tag = in.substring(pos, tagEnd + 1);
        int close = in.indexOf(tag, tagEnd + 1);
        if (close < 0) {
            throw unterminated("dollar-quoted string " + tag, tag);
        }
        pos = close + tag.length();
        return true;
    }

    private void number() {
        pos++;
        while (pos < in.length() && !stopsHere(pos)) {
            char c = in.charAt(pos);
            boolean exponentSign = (c == '+' || c == '-') && (in.charAt(pos - 1) == 'e' || in.charAt(pos - 1) == 'E')
                    && isDigit(peek(1));
            if (!(isDigit(c) || c == '.' || isWordStart(c) || exponentSign)) {
                return;
            }
            pos++;
        }
    }

    /** A word, or a string whose one-letter prefix ({@code E'..'}, {@code N'..'}, {@code X'..'}, {@code B'..'}) it is. */
    private Type word() {
        int start = pos;
        pos++;
        while (pos < in.length() && isIdentifierCont(in.charAt(pos)) && !stopsHere(pos)) {
            pos++;
        }
        if (pos == start + 1 && peek(0) == '\'' && "EeNnXxBb".indexOf(in.charAt(start)) >= 0) {
            boolean escapes = flavor == SqlFlavor.MYSQL
                    || flavor == SqlFlavor.POSTGRES && (in.charAt(start) == 'E' || in.charAt(start) == 'e');
            quoted('\'', escapes, "string", "'");
            return Type.STRING;
        }
        return Type.WORD;
    }

    // The mysql client cuts at its delimiter even inside a word, as in "END$$" under DELIMITER $$.
    private boolean stopsHere(int i) {
        return flavor == SqlFlavor.MYSQL && delimiterAt(i);
    }

    private void countLines(int from, int to) {
        for (int i = from; i < to; i++) {
            char c = in.charAt(i);
            if (c == '\r' || c == '\n' && (i == 0 || in.charAt(i - 1) != '\r')) {
                line++;
            }
        }
    }

    private char peek(int ahead) {
        int i = pos + ahead;
        return i < in.length() ? in.charAt(i) : '\0';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t';
    }

    private static boolean isLineBreak(char c) {
        return c == '\n' || c == '\r';
    }

    static boolean isWordStart(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c > 127 && !Character.isWhitespace(c);
    }

    private static boolean isIdentifierCont(char c) {
        return isWordStart(c) || isDigit(c) || c == '$';
    }

    private static boolean isDollarTagStart(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c > 127;
    }

    private static boolean isDollarTagCont(char c) {
        return isDollarTagStart(c) || isDigit(c);
    }
}
