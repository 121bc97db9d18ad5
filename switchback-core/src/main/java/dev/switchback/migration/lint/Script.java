package dev.switchback.migration.lint;

import dev.switchback.migration.Directives;
import dev.switchback.migration.Migration;
import dev.switchback.migration.sql.SqlChunk;
import dev.switchback.migration.sql.SqlFlavor;
import dev.switchback.migration.sql.SqlLexer;
import dev.switchback.migration.sql.SqlSplitter;
import dev.switchback.migration.sql.SqlToken;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A migration cut into statements with the engine's own splitter, each with its significant tokens and the
 * {@code -- switchback:ignore} comments around it (between the previous statement and the end of its line).
 */
final class Script {
    private static final String PREFIX = "switchback:";

    private Script() {
    }

    /**
     * The statements of {@code m}; malformed ignore comments and ignores of unknown rules are added to {@code problems}.
     */
    static List<Stmt> statements(Migration m, SqlFlavor flavor, List<String> problems) {
        for (Directives.Ignore i : m.directives().ignores()) {
            checkRule(m.script(), i, problems);
        }
        return statements(m.script(), m.upSql(), flavor, problems);
    }

    /** The statements of any script of SQL, e.g. a down migration. */
    static List<Stmt> statements(String script, String sql, SqlFlavor flavor, List<String> problems) {
        List<SqlChunk> chunks = SqlSplitter.chunks(sql, flavor, script);
        // lexed once for the whole script, as the splitter does, so MySQL DELIMITER lines keep their meaning
        List<SqlToken> tokens = SqlLexer.tokenize(sql, flavor, script);
        List<Stmt> out = new ArrayList<>();
        int k = 0;
        for (SqlChunk chunk : chunks) {
            List<SqlToken> significant = new ArrayList<>();
            List<Directives.Ignore> ignores = new ArrayList<>();
            while (k < tokens.size() && tokens.get(k).start() < chunk.end()) {
                SqlToken t = tokens.get(k++);
                if (t.type() == SqlToken.Type.COMMENT) {
                    ignore(script, t, ignores, problems);
                } else if (!t.isTrivia() && chunk.statement() != null && t.start() >= chunk.statement().start()
                        && t.start() < chunk.statement().end() && t.type() != SqlToken.Type.DELIMITER) {
                    significant.add(t);
                }
            }
            if (chunk.statement() != null) {
                out.add(new Stmt(chunk.statement(), significant, out.size() + 1, ignores));
            }
        }
        return out;
    }

    private static void ignore(String script, SqlToken comment, List<Directives.Ignore> ignores, List<String> problems) {
        String text = comment.text();
        if (!text.startsWith("--")) {
            return;
        }
        String body = text.substring(2).strip();
        if (!body.toLowerCase(Locale.ROOT).startsWith(PREFIX)) {
            return;
        }
        String directive = body.substring(PREFIX.length()).strip();
        if (!Directives.isIgnore(directive)) {
            return;
        }
        try {
            Directives.Ignore i = Directives.ignore(directive, comment.line());
            if (checkRule(script, i, problems)) {
                ignores.add(i);
            }
        } catch (IllegalArgumentException e) {
            problems.add(script + ":" + comment.line() + ": " + e.getMessage());
        }
    }

    private static boolean checkRule(String script, Directives.Ignore i, List<String> problems) {
        if (Rule.byId(i.rule()) == null) {
            problems.add(script + ":" + i.line() + ": switchback:ignore names unknown rule '" + i.rule() + "' (known: "
                    + Rule.ids() + ")");
            return false;
        }
        return true;
    }
}
