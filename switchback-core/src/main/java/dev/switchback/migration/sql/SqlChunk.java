package dev.switchback.migration.sql;

/**
 * A consecutive piece of a script as cut by {@link SqlSplitter#chunks}; the texts of all chunks
 * concatenated are the script.
 *
 * @param text      the raw text: leading comments and blanks, the statement, its delimiter and the rest
 *                  of that line when only blanks or a line comment follow
 * @param start     offset of {@code text} in the script
 * @param statement the statement in this chunk, or null for a chunk holding only comments, whitespace,
 *                  empty statements or a DELIMITER line
 */
public record SqlChunk(String text, int start, SqlStatement statement) {

    /** Offset just past this chunk. */
    public int end() {
        return start + text.length();
    }

    public boolean hasStatement() {
        return statement != null;
    }
}
