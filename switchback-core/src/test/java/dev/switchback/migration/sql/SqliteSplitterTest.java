package dev.switchback.migration.sql;

import static dev.switchback.migration.sql.SqlSplitterTest.split;
import static dev.switchback.migration.sql.SqlSplitterTest.sqls;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import org.junit.jupiter.api.Test;

class SqliteSplitterTest {

    private static final SqlFlavor LITE = SqlFlavor.SQLITE;

    @Test
    void triggerBodiesKeepTheirStatements() {
        String script = """
                CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT, size TEXT);
                CREATE TRIGGER notes_au AFTER UPDATE OF body ON notes
                WHEN new.body IS NOT old.body
                BEGIN
                  UPDATE notes SET size = CASE WHEN length(new.body) > 100 THEN 'long' ELSE 'short' END
                    WHERE id = new.id;
                  INSERT INTO audit (msg) VALUES ('edited; ' || new.id);
                END;
                CREATE INDEX notes_size ON notes (size);
                """;
        assertThat(split(script, LITE)).extracting(SqlStatement::line).containsExactly(1, 2, 9);
        assertThat(sqls(script, LITE).get(1)).startsWith("CREATE TRIGGER notes_au").endsWith("new.id);\nEND");
    }

    @Test
    void temporaryTriggersAndIfNotExists() {
        String script = """
                CREATE TEMP TRIGGER IF NOT EXISTS t1 BEFORE DELETE ON a BEGIN SELECT RAISE(ABORT, 'no;'); END;
                CREATE TEMPORARY TRIGGER t2 AFTER INSERT ON a BEGIN DELETE FROM b; DELETE FROM c; END;
                SELECT 1;
                """;
        assertThat(split(script, LITE)).extracting(SqlStatement::line).containsExactly(1, 2, 3);
    }

    @Test
    void bracketBacktickAndDoubleQuotedNames() {
        String script = "SELECT [odd;name], `b;c`, \"d;\"\"e\" FROM [t];\nSELECT 2;";
        assertThat(split(script, LITE)).extracting(SqlStatement::sql, SqlStatement::line).containsExactly(
                tuple("SELECT [odd;name], `b;c`, \"d;\"\"e\" FROM [t]", 1), tuple("SELECT 2", 2));
    }

    @Test
    void transactionsAroundTableRebuild() {
        String script = """
                PRAGMA foreign_keys = OFF;
                BEGIN TRANSACTION;
                CREATE TABLE new_users (id INTEGER PRIMARY KEY, email TEXT NOT NULL);
                INSERT INTO new_users SELECT id, email FROM users;
                DROP TABLE users;
                ALTER TABLE new_users RENAME TO users;
                COMMIT;
                PRAGMA foreign_keys = ON;
                """;
        assertThat(split(script, LITE)).extracting(SqlStatement::line).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
        assertThat(sqls(script, LITE).get(1)).isEqualTo("BEGIN TRANSACTION");
    }

    @Test
    void blobLiteralsAndBackslashesAreText() {
        assertThat(sqls("INSERT INTO b VALUES (X'0A3B', 'C:\\');SELECT 1", LITE))
                .containsExactly("INSERT INTO b VALUES (X'0A3B', 'C:\\')", "SELECT 1");
    }
}
