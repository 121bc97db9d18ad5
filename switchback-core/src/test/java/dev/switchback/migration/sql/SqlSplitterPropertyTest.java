package dev.switchback.migration.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.switchback.migration.SwitchbackException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class SqlSplitterPropertyTest {

    private static final List<String> COMMON = List.of(
            "INSERT INTO t (a, b) VALUES ('x;y', 'it''s; ok')",
            "UPDATE t\nSET note = '-- not; a comment'\nWHERE id = 1",
            "SELECT 1 /* inline; comment */ + 2",
            "SELECT a -- trailing; remark\n  FROM t",
            "CREATE TABLE t2 (\n  id INT PRIMARY KEY,\n  name VARCHAR(20)\n)",
            "BEGIN",
            "COMMIT",
            "DELETE FROM t WHERE b = 'END'");

    private static final List<String> POSTGRES = List.of(
            "CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql",
            "CREATE OR REPLACE FUNCTION g() RETURNS text LANGUAGE plpgsql AS $fn$\nBEGIN\n  RETURN $$in;ner$$;\nEND\n$fn$",
            "DO $do$ BEGIN RAISE NOTICE 'x;y'; END $do$",
            "SELECT E'it\\'s; ok', 'C:\\'",
            "SELECT \"odd;name\"\"x\" FROM \"T\"",
            "SELECT /* outer /* nested; */ still; */ $1::int",
            "CREATE FUNCTION h() RETURNS int LANGUAGE sql\nBEGIN ATOMIC\n  SELECT 1;\n  SELECT CASE WHEN true THEN 2 END;\nEND");

    private static final List<String> MYSQL = List.of(
            "SELECT 'back\\'slash; x', \"dq \\\" ; y\"",
            "SELECT `weird;col` FROM `t``q`",
            "SELECT 1 # hash; comment\n  FROM dual",
            "CREATE TRIGGER trg BEFORE INSERT ON t FOR EACH ROW\nBEGIN\n  IF NEW.a IS NULL THEN SET NEW.a = 1; END IF;\nEND",
            "CREATE DEFINER=`root`@`localhost` PROCEDURE p()\nBEGIN\n  DECLARE x INT DEFAULT 0;\n"
                    + "  CASE x WHEN 1 THEN SELECT 1; ELSE SELECT 2; END CASE;\n  WHILE x < 3 DO SET x = x + 1; END WHILE;\nEND",
            "CREATE EVENT ev ON SCHEDULE EVERY 1 DAY DO BEGIN DELETE FROM t WHERE a < 0; END",
            "/*!40101 SET NAMES utf8mb4 */");

    private static final List<String> SQLITE = List.of(
            "CREATE TRIGGER trg AFTER UPDATE ON t\nBEGIN\n  UPDATE t2 SET x = CASE WHEN new.a > 0 THEN 1 ELSE 0 END;\n"
                    + "  INSERT INTO log VALUES ('u;');\nEND",
            "CREATE TEMP TRIGGER tt BEFORE DELETE ON t BEGIN SELECT RAISE(ABORT, 'no;'); END",
            "SELECT [odd;name], `b;c`, \"d;e\" FROM t",
            "INSERT INTO b VALUES (X'0A3B')");

    // Filler between statements; <EOL> and <DELIM> are rendered with the script's line ending and delimiter.
    private static final List<String> GAPS = List.of(
            " ", "\t", "<EOL>", "<EOL><EOL>", "-- note; x<EOL>", "/* c; */", "/* multi<EOL>line; */", "<DELIM>");

    record Piece(String fragment, List<String> gap, boolean switchDelimiter) {
    }

    record Script(SqlFlavor flavor, String text, List<SqlStatement> expected) {
    }

    @Property
    void splitFindsExactlyTheGeneratedStatements(@ForAll("scripts") Script script) {
        assertThat(SqlSplitter.split(script.text(), script.flavor())).containsExactlyElementsOf(script.expected());
    }

    @Property
    void tokensAndChunksRebuildAnyInput(@ForAll("messy") String input) {
        for (SqlFlavor flavor : SqlFlavor.values()) {
            List<SqlToken> tokens;
            try {
                tokens = SqlLexer.tokenize(input, flavor);
            } catch (SwitchbackException e) {
                // an unterminated construct: named at a line of the input, and the splitter says the same
                assertThat(e.getMessage()).matches("(?s)line \\d+: unterminated .*");
                int line = Integer.parseInt(e.getMessage().substring(5, e.getMessage().indexOf(':')));
                assertThat(line).isBetween(1, lineAt(input, input.length()));
                assertThatThrownBy(() -> SqlSplitter.chunks(input, flavor)).hasMessage(e.getMessage());
                continue;
            }
            checkTokens(input, tokens);
            checkChunks(input, flavor);
        }
    }

    @Example
    void pathologicalInputsStayLinear() {
        List<String> seeds = List.of("$a", "$$", "/*", "'", "\"", "--", "BEGIN ", "CASE ", "END IF ", "$a$ ", "\r\n",
                "CREATE TRIGGER t BEGIN ", "DELIMITER x\n", "[", "`", "\\", "$1", ";");
        // a guard against a hang (quadratic or worse input handling takes minutes here), not a speed target: it is
        // generous so a loaded machine cannot fail it
        assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
            for (String seed : seeds) {
                String input = seed.repeat(60_000 / seed.length());
                for (SqlFlavor flavor : SqlFlavor.values()) {
                    try {
                        String rebuilt = SqlSplitter.chunks(input, flavor).stream()
                                .map(SqlChunk::text).collect(Collectors.joining());
                        assertThat(rebuilt).isEqualTo(input);
                    } catch (SwitchbackException e) {
                        assertThat(e.getMessage()).contains("unterminated");
                    }
                }
            }
        });
    }

    private static void checkTokens(String input, List<SqlToken> tokens) {
        int offset = 0;
        for (SqlToken token : tokens) {
            assertThat(token.text()).isNotEmpty();
            assertThat(token.start()).isEqualTo(offset);
            assertThat(token.line()).isEqualTo(lineAt(input, offset));
            offset = token.end();
        }
        assertThat(offset).isEqualTo(input.length());
    }

    private static void checkChunks(String input, SqlFlavor flavor) {
        List<SqlChunk> chunks = SqlSplitter.chunks(input, flavor);
        assertThat(chunks.stream().map(SqlChunk::text).collect(Collectors.joining())).isEqualTo(input);
        int offset = 0;
        for (SqlChunk chunk : chunks) {
            assertThat(chunk.start()).isEqualTo(offset);
            offset = chunk.end();
            SqlStatement statement = chunk.statement();
            if (statement != null) {
                assertThat(statement.start()).isBetween(chunk.start(), chunk.end());
                assertThat(input.substring(statement.start(), statement.end())).isEqualTo(statement.sql());
                assertThat(statement.sql()).isNotBlank().isEqualTo(statement.sql().strip());
                assertThat(statement.line()).isEqualTo(lineAt(input, statement.start()));
            }
        }
    }

    @Provide
    Arbitrary<Script> scripts() {
        return Arbitraries.of(SqlFlavor.values()).flatMap(flavor -> {
            Arbitrary<String> gap = Arbitraries.of(gapsFor(flavor));
            Arbitrary<Piece> piece = Combinators.combine(
                    Arbitraries.of(fragmentsFor(flavor)),
                    gap.list().ofMaxSize(3),
                    Arbitraries.integers().between(0, 4).map(n -> n == 0 && flavor == SqlFlavor.MYSQL))
                    .as(Piece::new);
            return Combinators.combine(
                    piece.list().ofMaxSize(6),
                    gap.list().ofMaxSize(3),
                    Arbitraries.of("\n", "\r\n", "\r"),
                    Arbitraries.of(true, false),
                    Arbitraries.of("", " ", "<EOL>", "  <EOL>\t"))
                    .as((pieces, leading, eol, delimitLast, tail) ->
                            build(flavor, pieces, leading, eol, delimitLast, tail));
        });
    }

    @Provide
    Arbitrary<String> messy() {
        Arbitrary<String> bits = Arbitraries.of("'", "\"", "`", "$", "$$", "$a$", "$1", "-", "--", "/", "*", "/*", "*/",
                ";", "\n", "\r", "\r\n", "\\", "#", "[", "]", "E'", "x", " ", "\t", "1", ".", "e", "BEGIN", "END",
                "CASE", "IF", "ATOMIC", "CREATE TRIGGER t ", "CREATE FUNCTION f ", "CREATE DEFINER=a@b PROCEDURE ",
                "DELIMITER //\n", "DELIMITER ;\n", "delimiter $$ ", "//", "/*!", "\u00e9", "\uD83D\uDE00");
        return Arbitraries.oneOf(
                bits.list().ofMaxSize(40).map(list -> String.join("", list)),
                Arbitraries.strings().withChars("'\"`$-/*;\n\r\\#[]Ee1 x").ofMaxLength(60),
                Arbitraries.strings().all().ofMaxLength(40));
    }

    private static List<String> fragmentsFor(SqlFlavor flavor) {
        List<String> all = new ArrayList<>(COMMON);
        all.addAll(switch (flavor) {
            case POSTGRES -> POSTGRES;
            case MYSQL -> MYSQL;
            case SQLITE -> SQLITE;
        });
        return all;
    }

    private static List<String> gapsFor(SqlFlavor flavor) {
        List<String> all = new ArrayList<>(GAPS);
        if (flavor == SqlFlavor.MYSQL) {
            all.add("# hash; x<EOL>");
        }
        if (flavor == SqlFlavor.POSTGRES) {
            all.add("/* a /* nested; */ b; */");
        }
        return all;
    }

    private static Script build(SqlFlavor flavor, List<Piece> pieces, List<String> leading, String eol,
                                boolean delimitLast, String tail) {
        StringBuilder text = new StringBuilder(render(leading, ";", eol));
        List<SqlStatement> expected = new ArrayList<>();
        String delimiter = ";";
        for (int k = 0; k < pieces.size(); k++) {
            Piece piece = pieces.get(k);
            if (piece.switchDelimiter()) {
                delimiter = delimiter.equals(";") ? "//" : ";";
                text.append(eol).append("DELIMITER ").append(delimiter).append(eol);
            }
            String sql = piece.fragment().replace("\n", eol);
            int start = text.length();
            expected.add(new SqlStatement(sql, lineAt(text, start), start, start + sql.length()));
            text.append(sql);
            if (k == pieces.size() - 1 && !delimitLast) {
                text.append(tail.replace("<EOL>", eol)); // only blanks may follow an undelimited last statement
            } else {
                text.append(delimiter).append(render(piece.gap(), delimiter, eol));
            }
        }
        return new Script(flavor, text.toString(), expected);
    }

    private static String render(List<String> gap, String delimiter, String eol) {
        return String.join("", gap).replace("<EOL>", eol).replace("<DELIM>", delimiter);
    }

    /** 1-based line of {@code offset}, counting \r\n, \r and \n as one break each. */
    static int lineAt(CharSequence text, int offset) {
        int line = 1;
        for (int i = 0; i < offset; i++) {
            char c = text.charAt(i);
            if (c == '\r' || c == '\n' && (i == 0 || text.charAt(i - 1) != '\r')) {
                line++;
            }
        }
        return line;
    }
}
