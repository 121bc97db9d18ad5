package dev.switchback.migration.sql;

import java.util.Locale;

/**
 * One lexical token of a script.
 *
 * @param type  what kind of token this is
 * @param text  the exact source text, quotes and comment markers included
 * @param start offset of the first character in the script
 * @param line  1-based line of the first character
 */
public record SqlToken(Type type, String text, int start, int line) {

    /** Token kinds; their texts together always rebuild the input. */
    public enum Type {
        /** Unquoted identifier or keyword; compare with {@link #isWord(String)}. */
        WORD,
        /** {@code "name"}, {@code `name`} or SQLite {@code [name]}. */
        QUOTED_IDENTIFIER,
        /** A string literal, prefix such as {@code E} or {@code N} included. */
        STRING,
        /** A PostgreSQL {@code $tag$ ... $tag$} string. */
        DOLLAR_STRING,
        NUMBER,
        /**
         * {@code --}, {@code #} (MySQL) or block comment; line comments stop before the line break. MySQL
         * executable comments are comments here too, though {@link SqlSplitter} counts them as statement text.
         */
        COMMENT,
        WHITESPACE,
        /** The statement delimiter in force: {@code ;} or one set by a MySQL DELIMITER line. */
        DELIMITER,
        /** A whole MySQL {@code DELIMITER xx} line, without its line break. */
        DELIMITER_DIRECTIVE,
        /** Any other single character: operators, punctuation, parameter markers. */
        SYMBOL
    }

    /** Offset just past this token. */
    public int end() {
        return start + text.length();
    }

    /** Whether this is the unquoted word {@code keyword}, ignoring case. */
    public boolean isWord(String keyword) {
        return type == Type.WORD && text.equalsIgnoreCase(keyword);
    }

    /** Whether this is an unquoted word equal, ignoring case, to any of {@code keywords}. */
    public boolean isAnyWord(String... keywords) {
        if (type != Type.WORD) {
            return false;
        }
        for (String keyword : keywords) {
            if (text.equalsIgnoreCase(keyword)) {
                return true;
            }
        }
        return false;
    }

    /** Whether this is the single-character symbol {@code c}. */
    public boolean isSymbol(char c) {
        return type == Type.SYMBOL && text.length() == 1 && text.charAt(0) == c;
    }

    /** Whitespace or a comment: tokens that never change what a statement means. */
    public boolean isTrivia() {
        return type == Type.WHITESPACE || type == Type.COMMENT;
    }

    /** The text upper-cased without locale surprises, for switching on keywords. */
    public String upper() {
        return text.toUpperCase(Locale.ROOT);
    }
}
