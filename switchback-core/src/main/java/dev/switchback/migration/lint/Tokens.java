package dev.switchback.migration.lint;

import dev.switchback.migration.sql.SqlToken;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The significant tokens of one statement (no whitespace, no comments) with a cursor. Recognisers read a statement
 * by its shape: {@code accept("CREATE")}, {@code name()}, {@code skipParens()}. Reading past the end yields nothing
 * rather than throwing, so a truncated statement is simply not recognised.
 */
final class Tokens {
    private final List<SqlToken> list;
    private int pos;

    Tokens(List<SqlToken> list) {
        this.list = list;
    }

    int size() {
        return list.size();
    }

    int pos() {
        return pos;
    }

    void seek(int i) {
        pos = i;
    }

    boolean atEnd() {
        return pos >= list.size();
    }

    SqlToken get(int i) {
        return i >= 0 && i < list.size() ? list.get(i) : null;
    }

    SqlToken peek() {
        return get(pos);
    }

    SqlToken next() {
        SqlToken t = get(pos);
        if (t != null) {
            pos++;
        }
        return t;
    }

    /** The token at the cursor, or the last one when at the end: where a finding points. */
    SqlToken here() {
        return atEnd() ? list.isEmpty() ? null : list.get(list.size() - 1) : list.get(pos);
    }

    boolean isWord(String... words) {
        return wordAt(pos, words);
    }

    boolean wordAt(int i, String... words) {
        SqlToken t = get(i);
        return t != null && t.isAnyWord(words);
    }

    boolean symbolAt(int i, char c) {
        SqlToken t = get(i);
        return t != null && t.isSymbol(c);
    }

    boolean isSymbol(char c) {
        return symbolAt(pos, c);
    }

    /** Consumes the word(s) when the tokens at the cursor are exactly this sequence. */
    boolean accept(String... sequence) {
        for (int k = 0; k < sequence.length; k++) {
            if (!wordAt(pos + k, sequence[k])) {
                return false;
            }
        }
        pos += sequence.length;
        return true;
    }

    boolean acceptSymbol(char c) {
        if (isSymbol(c)) {
            pos++;
            return true;
        }
        return false;
    }

    /** Consumes one of the words and returns it upper-cased, or null. */
    String acceptAny(String... words) {
        SqlToken t = peek();
        if (t != null && t.isAnyWord(words)) {
            pos++;
            return t.upper();
        }
        return null;
    }

    boolean isIdentifier() {
        SqlToken t = peek();
        return t != null && (t.type() == SqlToken.Type.WORD || t.type() == SqlToken.Type.QUOTED_IDENTIFIER);
    }

    /** A possibly qualified name ({@code schema.table}, quoted parts included), or null when none is here. */
    Name name() {
        if (!isIdentifier()) {
            return null;
        }
        List<String> parts = new ArrayList<>();
        SqlToken first = peek();
        parts.add(identifier(next()));
        while (isSymbol('.') && get(pos + 1) != null
                && (get(pos + 1).type() == SqlToken.Type.WORD || get(pos + 1).type() == SqlToken.Type.QUOTED_IDENTIFIER)) {
            pos++;
            parts.add(identifier(next()));
        }
        return new Name(parts, first);
    }

    /** One identifier (no dots), unquoted and lower-cased, or null. */
    String simpleName() {
        return isIdentifier() ? identifier(next()) : null;
    }

    /** Skips a parenthesised group when the cursor is on its {@code (}; returns whether it did. */
    boolean skipParens() {
        if (!isSymbol('(')) {
            return false;
        }
        pos = closing(pos) + 1;
        return true;
    }

    /** The index of the {@code )} matching the {@code (} at {@code open}, or the last index when unbalanced. */
    int closing(int open) {
        int depth = 0;
        for (int i = open; i < list.size(); i++) {
            SqlToken t = list.get(i);
            if (t.isSymbol('(')) {
                depth++;
            } else if (t.isSymbol(')') && --depth == 0) {
                return i;
            }
        }
        return list.size() - 1;
    }

    /**
     * The ranges {@code [from, to)} between commas at parenthesis depth zero within {@code [from, to)}: the items of
     * a column list or the actions of an ALTER TABLE.
     */
    List<int[]> splitTopLevel(int from, int to) {
        List<int[]> parts = new ArrayList<>();
        int depth = 0;
        int start = from;
        for (int i = from; i < to; i++) {
            SqlToken t = list.get(i);
            if (t.isSymbol('(') || t.isSymbol('[')) {
                depth++;
            } else if (t.isSymbol(')') || t.isSymbol(']')) {
                depth--;
            } else if (depth == 0 && t.isSymbol(',')) {
                parts.add(new int[]{start, i});
                start = i + 1;
            }
        }
        if (start < to) {
            parts.add(new int[]{start, to});
        }
        return parts;
    }

    /** The index of the first of {@code words} at depth zero within {@code [from, to)}, or -1. */
    int findTopLevel(int from, int to, String... words) {
        int depth = 0;
        for (int i = from; i < Math.min(to, list.size()); i++) {
            SqlToken t = list.get(i);
            if (t.isSymbol('(') || t.isSymbol('[')) {
                depth++;
            } else if (t.isSymbol(')') || t.isSymbol(']')) {
                depth--;
            } else if (depth == 0 && t.isAnyWord(words)) {
                return i;
            }
        }
        return -1;
    }

    /** Whether any token in {@code [from, to)} is one of the words, at any depth. */
    boolean containsWord(int from, int to, String... words) {
        for (int i = from; i < Math.min(to, list.size()); i++) {
            if (list.get(i).isAnyWord(words)) {
                return true;
            }
        }
        return false;
    }

    /** The source text of tokens {@code [from, to)} joined by single spaces, for messages and type names. */
    String text(int from, int to) {
        StringBuilder sb = new StringBuilder();
        for (int i = from; i < Math.min(to, list.size()); i++) {
            SqlToken t = list.get(i);
            boolean tight = t.isSymbol('(') || t.isSymbol(')') || t.isSymbol(',') || t.isSymbol('.')
                    || sb.length() > 0 && (sb.charAt(sb.length() - 1) == '(' || sb.charAt(sb.length() - 1) == '.');
            if (sb.length() > 0 && !tight) {
                sb.append(' ');
            }
            sb.append(t.text());
        }
        return sb.toString();
    }

    List<SqlToken> slice(int from, int to) {
        return list.subList(Math.max(0, from), Math.min(to, list.size()));
    }

    static String identifier(SqlToken t) {
        String text = t.text();
        if (t.type() == SqlToken.Type.QUOTED_IDENTIFIER && text.length() >= 2) {
            char q = text.charAt(0);
            String inner = text.substring(1, text.length() - (text.charAt(text.length() - 1) == (q == '[' ? ']' : q) ? 1 : 0));
            return q == '[' ? inner : inner.replace(String.valueOf(q) + q, String.valueOf(q));
        }
        return text.toLowerCase(Locale.ROOT);
    }
}
