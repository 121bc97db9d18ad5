package dev.switchback.migration.sql;

import static dev.switchback.migration.sql.SqlToken.Type.COMMENT;
import static dev.switchback.migration.sql.SqlToken.Type.DELIMITER;
import static dev.switchback.migration.sql.SqlToken.Type.DELIMITER_DIRECTIVE;
import static dev.switchback.migration.sql.SqlToken.Type.DOLLAR_STRING;
import static dev.switchback.migration.sql.SqlToken.Type.NUMBER;
import static dev.switchback.migration.sql.SqlToken.Type.QUOTED_IDENTIFIER;
import static dev.switchback.migration.sql.SqlToken.Type.STRING;
import static dev.switchback.migration.sql.SqlToken.Type.SYMBOL;
import static dev.switchback.migration.sql.SqlToken.Type.WHITESPACE;
import static dev.switchback.migration.sql.SqlToken.Type.WORD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import dev.switchback.migration.ErrorCode;
import dev.switchback.migration.SwitchbackException;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class SqlLexerTest {

    private static List<SqlToken> lex(String sql, SqlFlavor flavor) {
        List<SqlToken> tokens = SqlLexer.tokenize(sql, flavor);
        assertThat(tokens.stream().map(SqlToken::text).collect(Collectors.joining())).isEqualTo(sql);
        return tokens;
    }

    /** Tokens other than whitespace, as (type, text) pairs. */
    private static List<org.assertj.core.groups.Tuple> shape(String sql, SqlFlavor flavor) {
        return lex(sql, flavor).stream()
                .filter(t -> t.type() != WHITESPACE)
                .map(t -> tuple(t.type(), t.text()))
                .toList();
    }

    @Test
    void postgresTokensKeepEveryCharacter() {
        assertThat(shape("SELECT \"Col\", 'it''s', $$x;y$$, 4.5e-3 -- done\n;", SqlFlavor.POSTGRES)).containsExactly(
                tuple(WORD, "SELECT"), tuple(QUOTED_IDENTIFIER, "\"Col\""), tuple(SYMBOL, ","),
                tuple(STRING, "'it''s'"), tuple(SYMBOL, ","), tuple(DOLLAR_STRING, "$$x;y$$"), tuple(SYMBOL, ","),
                tuple(NUMBER, "4.5e-3"), tuple(COMMENT, "-- done"), tuple(DELIMITER, ";"));
    }

    @Test
    void tokensKnowTheirOffsetsAndLinesForEveryLineEnding() {
        String sql = "a\nb\r\nc\rd\n\ne";
        List<SqlToken> words = lex(sql, SqlFlavor.POSTGRES).stream().filter(t -> t.type() == WORD).toList();
        assertThat(words).extracting(SqlToken::text, SqlToken::line, SqlToken::start).containsExactly(
                tuple("a", 1, 0), tuple("b", 2, 2), tuple("c", 3, 5), tuple("d", 4, 7), tuple("e", 6, 10));
        assertThat(words.get(1).end()).isEqualTo(3);
    }

    @Test
    void wordsCompareIgnoringCase() {
        SqlToken token = lex("SeLeCt", SqlFlavor.SQLITE).get(0);
        assertThat(token.isWord("select")).isTrue();
        assertThat(token.isAnyWord("insert", "SELECT")).isTrue();
        assertThat(token.upper()).isEqualTo("SELECT");
        assertThat(lex("\"select\"", SqlFlavor.SQLITE).get(0).isWord("select")).isFalse();
    }

    @Test
    void dollarQuotesFollowPgjdbcTagRules() {
        assertThat(shape("SELECT $1, $2::int", SqlFlavor.POSTGRES)).containsExactly(
                tuple(WORD, "SELECT"), tuple(SYMBOL, "$"), tuple(NUMBER, "1"), tuple(SYMBOL, ","),
                tuple(SYMBOL, "$"), tuple(NUMBER, "2"), tuple(SYMBOL, ":"), tuple(SYMBOL, ":"), tuple(WORD, "int"));
        assertThat(shape("$fn$ a $$ b; $$ c $fn$", SqlFlavor.POSTGRES))
                .containsExactly(tuple(DOLLAR_STRING, "$fn$ a $$ b; $$ c $fn$"));
        assertThat(shape("$_t1$x$_t1$", SqlFlavor.POSTGRES)).containsExactly(tuple(DOLLAR_STRING, "$_t1$x$_t1$"));
        // A tag may not start with a digit, and a $ right after an identifier character is part of the name.
        assertThat(shape("$1tag$", SqlFlavor.POSTGRES)).first().isEqualTo(tuple(SYMBOL, "$"));
        assertThat(shape("price$$ ;", SqlFlavor.POSTGRES))
                .containsExactly(tuple(WORD, "price$$"), tuple(DELIMITER, ";"));
        assertThat(shape("$$ a", SqlFlavor.MYSQL).get(0)).isEqualTo(tuple(SYMBOL, "$"));
    }

    @Test
    void postgresBackslashEscapesOnlyInEStrings() {
        assertThat(shape("E'it\\'s' 'C:\\'", SqlFlavor.POSTGRES))
                .containsExactly(tuple(STRING, "E'it\\'s'"), tuple(STRING, "'C:\\'"));
        assertThat(shape("e'\\\\' N'x' X'0F'", SqlFlavor.POSTGRES))
                .containsExactly(tuple(STRING, "e'\\\\'"), tuple(STRING, "N'x'"), tuple(STRING, "X'0F'"));
    }

    @Test
    void mysqlEscapesBackslashesInBothQuotes() {
        assertThat(shape("'a\\'b' \"c\\\"d\" 'e''f'", SqlFlavor.MYSQL))
                .containsExactly(tuple(STRING, "'a\\'b'"), tuple(STRING, "\"c\\\"d\""), tuple(STRING, "'e''f'"));
    }

    @Test
    void quotedIdentifiersPerFlavor() {
        assertThat(shape("`a``b` \"c\"", SqlFlavor.MYSQL))
                .containsExactly(tuple(QUOTED_IDENTIFIER, "`a``b`"), tuple(STRING, "\"c\""));
        assertThat(shape("[a;b] `c` \"d\"\"e\"", SqlFlavor.SQLITE)).containsExactly(
                tuple(QUOTED_IDENTIFIER, "[a;b]"), tuple(QUOTED_IDENTIFIER, "`c`"), tuple(QUOTED_IDENTIFIER, "\"d\"\"e\""));
        assertThat(shape("a[1]", SqlFlavor.POSTGRES)).extracting(t -> t.toArray()[0])
                .containsExactly(WORD, SYMBOL, NUMBER, SYMBOL);
    }

    @Test
    void blockCommentsNestOnlyInPostgres() {
        assertThat(shape("/* a /* b; */ c; */x", SqlFlavor.POSTGRES))
                .containsExactly(tuple(COMMENT, "/* a /* b; */ c; */"), tuple(WORD, "x"));
        assertThat(shape("/* a /* b */ c", SqlFlavor.MYSQL))
                .containsExactly(tuple(COMMENT, "/* a /* b */"), tuple(WORD, "c"));
    }

    @Test
    void lineCommentsPerFlavor() {
        assertThat(shape("# note\r\nx", SqlFlavor.MYSQL)).containsExactly(tuple(COMMENT, "# note"), tuple(WORD, "x"));
        assertThat(shape("# note", SqlFlavor.POSTGRES).get(0)).isEqualTo(tuple(SYMBOL, "#"));
        // MySQL wants whitespace after the dashes; 1--1 is one minus minus one.
        assertThat(shape("1--1", SqlFlavor.MYSQL)).extracting(t -> t.toArray()[0])
                .containsExactly(NUMBER, SYMBOL, SYMBOL, NUMBER);
        assertThat(shape("1--1", SqlFlavor.POSTGRES)).containsExactly(tuple(NUMBER, "1"), tuple(COMMENT, "--1"));
        assertThat(shape("x --", SqlFlavor.MYSQL)).containsExactly(tuple(WORD, "x"), tuple(COMMENT, "--"));
    }

    @Test
    void mysqlDelimiterLinesChangeTheDelimiter() {
        String sql = "DELIMITER $$\nSELECT 1; END$$\n  delimiter ;\nSELECT 2;";
        assertThat(shape(sql, SqlFlavor.MYSQL)).containsExactly(
                tuple(DELIMITER_DIRECTIVE, "DELIMITER $$"), tuple(WORD, "SELECT"), tuple(NUMBER, "1"),
                tuple(SYMBOL, ";"), tuple(WORD, "END"), tuple(DELIMITER, "$$"),
                tuple(DELIMITER_DIRECTIVE, "delimiter ;"), tuple(WORD, "SELECT"), tuple(NUMBER, "2"),
                tuple(DELIMITER, ";"));
        // Not at the start of a line, or without an argument, it is an ordinary word.
        assertThat(shape("SELECT delimiter FROM t", SqlFlavor.MYSQL).get(1)).isEqualTo(tuple(WORD, "delimiter"));
        assertThat(shape("DELIMITER\n;", SqlFlavor.MYSQL).get(0)).isEqualTo(tuple(WORD, "DELIMITER"));
        assertThat(shape("DELIMITER //", SqlFlavor.POSTGRES).get(0)).isEqualTo(tuple(WORD, "DELIMITER"));
    }

    @Test
    void unterminatedConstructsAreErrorsNamingFileAndLine() {
        assertUnterminated("x\n'abc; d", SqlFlavor.POSTGRES, "V1__x.sql:2: unterminated string");
        assertUnterminated("x \"abc; d", SqlFlavor.POSTGRES, "V1__x.sql:1: unterminated quoted identifier");
        assertUnterminated("x\n\n/* a /* b */ c", SqlFlavor.POSTGRES, "V1__x.sql:3: unterminated /* comment");
        assertUnterminated("x $q$ body; $$", SqlFlavor.POSTGRES, "V1__x.sql:1: unterminated dollar-quoted string $q$");
        assertUnterminated("x E'a\\'", SqlFlavor.POSTGRES, "V1__x.sql:1: unterminated string");
        assertUnterminated("x [a; b", SqlFlavor.SQLITE, "V1__x.sql:1: unterminated [quoted identifier");
        assertUnterminated("x\r\n/* open", SqlFlavor.SQLITE, "V1__x.sql:2: unterminated /* comment");
        assertUnterminated("x `a; b", SqlFlavor.MYSQL, "V1__x.sql:1: unterminated quoted identifier");
        assertUnterminated("x 'a\\", SqlFlavor.MYSQL, "V1__x.sql:1: unterminated string");
        assertUnterminated("x \"a\\\"", SqlFlavor.MYSQL, "V1__x.sql:1: unterminated string");
        assertUnterminated("SELECT 1;\n/*!40101 SET x = 1 ;\n", SqlFlavor.MYSQL, "V1__x.sql:2: unterminated /* comment");
        // closed ones, and the same characters where they open nothing, are fine
        assertThat(shape("x /* a /* b */ c */ 'it''s' $q$ $$ $q$ a$b$ $1", SqlFlavor.POSTGRES)).isNotEmpty();
        assertThat(shape("x [a; b] -- it's\n", SqlFlavor.SQLITE)).isNotEmpty();
        assertThat(shape("x # it's\n-- it's\n'a\\'b'", SqlFlavor.MYSQL)).isNotEmpty();
    }

    private static void assertUnterminated(String script, SqlFlavor flavor, String message) {
        assertThatThrownBy(() -> SqlLexer.tokenize(script, flavor, "V1__x.sql"))
                .isInstanceOfSatisfying(SwitchbackException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.CONFIG);
                    assertThat(e.getMessage()).startsWith(message);
                });
        assertThatThrownBy(() -> SqlSplitter.split(script, flavor)).hasMessageStartingWith(message.replace("V1__x.sql:", "line "));
    }

    @Test
    void emptyInputHasNoTokens() {
        assertThat(SqlLexer.tokenize("", SqlFlavor.POSTGRES)).isEmpty();
    }
}
