package dev.switchback.migration.sql;

/**
 * One statement of a script.
 *
 * @param sql   the statement from its first token to just before its delimiter, trailing blanks trimmed
 * @param line  1-based line of the statement's first token in the script
 * @param start offset of the first token in the script
 * @param end   offset just past the statement text (before the delimiter)
 */
public record SqlStatement(String sql, int line, int start, int end) {

    /** The statement shortened to one line for messages. */
    public String abbreviated(int max) {
        String oneLine = sql.replaceAll("\\s+", " ").trim();
        return oneLine.length() <= max ? oneLine : oneLine.substring(0, Math.max(0, max - 3)) + "...";
    }
}
