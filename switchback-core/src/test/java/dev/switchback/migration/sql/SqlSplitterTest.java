package dev.switchback.migration.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Behaviour shared by every flavor: offsets, lines, comments, empty pieces and chunks. */
class SqlSplitterTest {

    static List<SqlStatement> split(String script, SqlFlavor flavor) {
        List<SqlStatement> statements = SqlSplitter.split(script, flavor);
        for (SqlStatement statement : statements) {
            assertThat(script.substring(statement.start(), statement.end())).isEqualTo(statement.sql());
        }
        List<SqlChunk> chunks = SqlSplitter.chunks(script, flavor);
        assertThat(chunks.stream().map(SqlChunk::text).collect(Collectors.joining())).isEqualTo(script);
        return statements;
    }

    static List<String> sqls(String script, SqlFlavor flavor) {
        return split(script, flavor).stream().map(SqlStatement::sql).toList();
    }

    @Test
    void blankAndCommentOnlyScriptsHaveNoStatements() {
        for (SqlFlavor flavor : SqlFlavor.values()) {
            assertThat(split("", flavor)).isEmpty();
            assertThat(split("  \n\t\r\n", flavor)).isEmpty();
            assertThat(split("-- nothing here; really\n/* nor; here */\n", flavor)).isEmpty();
            assertThat(split(";;\n ; ", flavor)).isEmpty();
        }
    }

    @Test
    void statementStartsAtFirstTokenAfterLeadingComments() {
        String script = """
                -- V3: add the orders table
                /* keep; this aside */

                CREATE TABLE orders (
                  id bigint PRIMARY KEY, -- surrogate key; generated
                  note text /* free text */
                );
                CREATE INDEX orders_note ON orders (note) -- trailing remark
                ;
                """;
        assertThat(split(script, SqlFlavor.POSTGRES))
                .extracting(SqlStatement::sql, SqlStatement::line)
                .containsExactly(
                        tuple("""
                                CREATE TABLE orders (
                                  id bigint PRIMARY KEY, -- surrogate key; generated
                                  note text /* free text */
                                )""", 4),
                        tuple("CREATE INDEX orders_note ON orders (note) -- trailing remark", 8));
    }

    @Test
    void lastStatementNeedsNoDelimiter() {
        assertThat(split("SELECT 1;\nSELECT 2  \n\n", SqlFlavor.SQLITE))
                .extracting(SqlStatement::sql, SqlStatement::line, SqlStatement::start, SqlStatement::end)
                .containsExactly(tuple("SELECT 1", 1, 0, 8), tuple("SELECT 2", 2, 10, 18));
    }

    @Test
    void emptyStatementsAreSkipped() {
        assertThat(sqls(";;SELECT 1;;;\n;SELECT 2;;", SqlFlavor.MYSQL)).containsExactly("SELECT 1", "SELECT 2");
    }

    @Test
    void linesCountEveryLineEndingStyle() {
        String script = "SELECT 1;\r\nSELECT\r\n 2;\rSELECT 3;\n\r\n\rSELECT 4";
        assertThat(split(script, SqlFlavor.POSTGRES))
                .extracting(SqlStatement::sql, SqlStatement::line)
                .containsExactly(tuple("SELECT 1", 1), tuple("SELECT\r\n 2", 2), tuple("SELECT 3", 4),
                        tuple("SELECT 4", 7));
    }

    @Test
    void chunksKeepLeadingCommentsAndTheRestOfTheLine() {
        String script = "-- header\nSELECT 1; -- one\nSELECT 2;  SELECT 3;\n-- tail; only\n";
        List<SqlChunk> chunks = SqlSplitter.chunks(script, SqlFlavor.POSTGRES);
        assertThat(chunks).extracting(SqlChunk::text, c -> c.hasStatement() ? c.statement().sql() : null)
                .containsExactly(
                        tuple("-- header\nSELECT 1; -- one\n", "SELECT 1"),
                        tuple("SELECT 2;", "SELECT 2"),
                        tuple("  SELECT 3;\n", "SELECT 3"),
                        tuple("-- tail; only\n", null));
        assertThat(chunks).extracting(SqlChunk::start).containsExactly(0, 27, 36, 48);
        assertThat(chunks.get(3).end()).isEqualTo(script.length());
    }

    @Test
    void chunksOfAStatementWithoutDelimiterReachTheEnd() {
        List<SqlChunk> chunks = SqlSplitter.chunks("SELECT 1;\r\n\r\nSELECT 2 -- end", SqlFlavor.SQLITE);
        assertThat(chunks).extracting(SqlChunk::text)
                .containsExactly("SELECT 1;\r\n", "\r\nSELECT 2 -- end");
        assertThat(chunks.get(1).statement()).isEqualTo(new SqlStatement("SELECT 2 -- end", 3, 13, 28));
    }

    @Test
    void semicolonsInsideStringsAndCommentsDoNotSplit() {
        String script = """
                INSERT INTO audit (msg) VALUES ('a;b', 'it''s; fine'); -- done; ok
                UPDATE t SET note = '-- no comment; here' /* ; */ WHERE id = 1;
                """;
        for (SqlFlavor flavor : SqlFlavor.values()) {
            assertThat(sqls(script, flavor)).containsExactly(
                    "INSERT INTO audit (msg) VALUES ('a;b', 'it''s; fine')",
                    "UPDATE t SET note = '-- no comment; here' /* ; */ WHERE id = 1");
        }
    }

    @Test
    void plainBeginIsATransactionStatement() {
        for (SqlFlavor flavor : SqlFlavor.values()) {
            assertThat(sqls("BEGIN;\nUPDATE t SET a = 1;\nCOMMIT;", flavor))
                    .containsExactly("BEGIN", "UPDATE t SET a = 1", "COMMIT");
        }
    }

    @Test
    void unterminatedConstructsAreErrorsInsteadOfSwallowingTheRest() {
        assertThatThrownBy(() -> SqlSplitter.split("SELECT 1;\nSELECT 'oops;\nSELECT 3;", SqlFlavor.POSTGRES, "V2__x.sql"))
                .hasMessageStartingWith("V2__x.sql:2: unterminated string").hasMessageContaining("(2 lines)");
        assertThatThrownBy(() -> SqlSplitter.chunks("SELECT 1;\n/* open; comment", SqlFlavor.MYSQL, "V2__x.sql"))
                .hasMessageStartingWith("V2__x.sql:2: unterminated /* comment").hasMessageContaining("(this line)");
        assertThatThrownBy(() -> SqlSplitter.split("SELECT 1 /* open; comment", SqlFlavor.SQLITE, "V2__x.sql"))
                .hasMessageStartingWith("V2__x.sql:1: unterminated /* comment");
    }

    @Test
    void abbreviatedStatementFitsOneLine() {
        SqlStatement statement = split("CREATE TABLE t (\n  id int\n);", SqlFlavor.SQLITE).get(0);
        assertThat(statement.abbreviated(100)).isEqualTo("CREATE TABLE t ( id int )");
        assertThat(statement.abbreviated(10)).isEqualTo("CREATE ...");
    }
}
