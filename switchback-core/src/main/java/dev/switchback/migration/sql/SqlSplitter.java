package dev.switchback.migration.sql;

import dev.switchback.migration.sql.SqlToken.Type;

import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a migration script into statements at its delimiters, using {@link SqlLexer} so that delimiters
 * inside strings, quoted names, comments and dollar quotes do not count. A {@code ;} inside the
 * BEGIN ... END body of a trigger, procedure, function or event (BEGIN ATOMIC in PostgreSQL) does not
 * end the statement. MySQL {@code DELIMITER} lines change the delimiter, as in the mysql client.
 *
 * <p>MySQL executable comments, the ones opening with slash, star, bang, are statement text rather than
 * comments because MySQL runs them; mysqldump output depends on that.
 *
 * <p>An unterminated string, quoted name, comment or dollar quote is an error naming its file and line (see
 * {@link SqlLexer}): every caller that runs, lints or checks a script gets it.
 */
public final class SqlSplitter {

    private final String script;
    private final SqlFlavor flavor;
    private final List<SqlToken> tokens;
    private final List<SqlChunk> chunks = new ArrayList<>();
    private int chunkStart;
    private int first = -1;
    private RoutineBody body;
    /** Inside a {@code StatementBegin}/{@code StatementEnd} block: its delimiters end nothing. */
    private boolean block;
    private int lastBlockDelimiter = -1;

    private SqlSplitter(String script, SqlFlavor flavor, String source) {
        this.script = script;
        this.flavor = flavor;
        this.tokens = SqlLexer.tokenize(script, flavor, source);
    }

    /** The statements of {@code script} in order, see {@link #split(String, SqlFlavor, String)}. */
    public static List<SqlStatement> split(String script, SqlFlavor flavor) {
        return split(script, flavor, null);
    }

    /**
     * The statements of {@code script} in order; comment-only and empty pieces yield none.
     *
     * @param source the script's name for messages, or null
     * @throws dev.switchback.migration.SwitchbackException (CONFIG) at an unterminated construct
     */
    public static List<SqlStatement> split(String script, SqlFlavor flavor, String source) {
        List<SqlStatement> statements = new ArrayList<>();
        for (SqlChunk chunk : chunks(script, flavor, source)) {
            if (chunk.statement() != null) {
                statements.add(chunk.statement());
            }
        }
        return List.copyOf(statements);
    }

    /** The whole script as consecutive chunks, see {@link #chunks(String, SqlFlavor, String)}. */
    public static List<SqlChunk> chunks(String script, SqlFlavor flavor) {
        return chunks(script, flavor, null);
    }

    /**
     * The whole script as consecutive chunks whose texts concatenate back to it.
     *
     * @param source the script's name for messages, or null
     * @throws dev.switchback.migration.SwitchbackException (CONFIG) at an unterminated construct
     */
    public static List<SqlChunk> chunks(String script, SqlFlavor flavor, String source) {
        return new SqlSplitter(script, flavor, source).run();
    }

    private List<SqlChunk> run() {
        for (int i = 0; i < tokens.size(); i++) {
            SqlToken token = tokens.get(i);
            if (token.type() == Type.DELIMITER_DIRECTIVE) {
                // The mysql client runs what it has buffered before obeying a DELIMITER line.
                if (first >= 0) {
                    close(token.start(), token.start());
                }
                close(token.start(), lineEnd(i));
            } else if (token.type() == Type.DELIMITER) {
                if (block) {
                    lastBlockDelimiter = i;
                    continue;
                }
                // A custom MySQL delimiter always ends the statement, as in the client; only ; can sit in a body.
                if (body != null && body.open() && token.text().equals(";")) {
                    continue;
                }
                close(token.start(), lineEnd(i));
            } else if (token.type() == Type.COMMENT && blockMarker(token.text()) != 0) {
                if (blockMarker(token.text()) > 0) {
                    block = true;
                    lastBlockDelimiter = -1;
                } else if (block) {
                    block = false;
                    if (first >= 0) {
                        close(lastBlockDelimiter > first ? tokens.get(lastBlockDelimiter).start() : token.start(), token.start());
                    }
                }
            } else if (isStatementText(token)) {
                if (first < 0) {
                    first = i;
                    body = RoutineBody.startingAt(tokens, i, flavor);
                }
                if (body != null) {
                    body.accept(i);
                }
            }
        }
        if (chunkStart < script.length()) {
            close(script.length(), script.length());
        }
        return List.copyOf(chunks);
    }

    /**
     * 1 for goose's or sql-migrate's {@code -- +goose StatementBegin}, -1 for {@code StatementEnd}, else 0. Between
     * them the text is one statement whatever delimiters it holds, as those tools run it.
     */
    private static int blockMarker(String comment) {
        if (!comment.startsWith("--") || comment.indexOf('+') < 0) {
            return 0;
        }
        String c = comment.substring(2).strip().toLowerCase(java.util.Locale.ROOT).replaceAll("\\s+", " ");
        if (c.equals("+goose statementbegin") || c.equals("+migrate statementbegin")) {
            return 1;
        }
        return c.equals("+goose statementend") || c.equals("+migrate statementend") ? -1 : 0;
    }

    private boolean isStatementText(SqlToken token) {
        return !token.isTrivia()
                || flavor == SqlFlavor.MYSQL && token.type() == Type.COMMENT && token.text().startsWith("/*!");
    }

    /** Ends the current chunk at {@code chunkEnd}; its statement, if one began, ends before {@code statementEnd}. */
    private void close(int statementEnd, int chunkEnd) {
        if (chunkEnd <= chunkStart) {
            return;
        }
        SqlStatement statement = null;
        if (first >= 0) {
            SqlToken head = tokens.get(first);
            String sql = script.substring(head.start(), statementEnd).stripTrailing();
            statement = new SqlStatement(sql, head.line(), head.start(), head.start() + sql.length());
        }
        chunks.add(new SqlChunk(script.substring(chunkStart, chunkEnd), chunkStart, statement));
        chunkStart = chunkEnd;
        first = -1;
        body = null;
    }

    /**
     * Where the chunk ending with token {@code i} stops: through the end of its line when only blanks and
     * a line comment follow on that line, so a trailing remark stays with its statement; else right after it.
     */
    private int lineEnd(int i) {
        int j = i + 1;
        if (j < tokens.size() && tokens.get(j).type() == Type.WHITESPACE) {
            int afterBreak = afterLineBreak(tokens.get(j));
            if (afterBreak >= 0) {
                return afterBreak;
            }
            j++;
        }
        if (j < tokens.size() && isLineComment(tokens.get(j))) {
            j++;
            if (j < tokens.size() && tokens.get(j).type() == Type.WHITESPACE) {
                int afterBreak = afterLineBreak(tokens.get(j));
                if (afterBreak >= 0) {
                    return afterBreak;
                }
            }
        }
        return j >= tokens.size() ? script.length() : tokens.get(i).end();
    }

    private static boolean isLineComment(SqlToken token) {
        return token.type() == Type.COMMENT && (token.text().startsWith("--") || token.text().startsWith("#"));
    }

    private static int afterLineBreak(SqlToken whitespace) {
        String text = whitespace.text();
        for (int k = 0; k < text.length(); k++) {
            char c = text.charAt(k);
            if (c == '\n') {
                return whitespace.start() + k + 1;
            }
            if (c == '\r') {
                boolean crlf = k + 1 < text.length() && text.charAt(k + 1) == '\n';
                return whitespace.start() + k + (crlf ? 2 : 1);
            }
        }
        return -1;
    }
}
