package dev.switchback.migration.sql;

import static dev.switchback.migration.sql.SqlSplitterTest.split;
import static dev.switchback.migration.sql.SqlSplitterTest.sqls;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import java.util.List;
import org.junit.jupiter.api.Test;

class MySqlSplitterTest {

    private static final SqlFlavor MY = SqlFlavor.MYSQL;

    @Test
    void delimiterLinesWrapRoutines() {
        String script = """
                DROP PROCEDURE IF EXISTS add_order;
                DELIMITER $$
                CREATE PROCEDURE add_order(IN p_customer INT)
                BEGIN
                  INSERT INTO orders (customer_id) VALUES (p_customer);
                  SELECT LAST_INSERT_ID();
                END$$
                DELIMITER ;
                CALL add_order(7);
                """;
        assertThat(split(script, MY)).extracting(SqlStatement::sql, SqlStatement::line).containsExactly(
                tuple("DROP PROCEDURE IF EXISTS add_order", 1),
                tuple("""
                        CREATE PROCEDURE add_order(IN p_customer INT)
                        BEGIN
                          INSERT INTO orders (customer_id) VALUES (p_customer);
                          SELECT LAST_INSERT_ID();
                        END""", 3),
                tuple("CALL add_order(7)", 9));
    }

    @Test
    void delimiterLinesAreTheirOwnChunks() {
        String script = "delimiter //\nCREATE FUNCTION f() RETURNS INT RETURN 1 //\ndelimiter ;\nSELECT f();";
        List<SqlChunk> chunks = SqlSplitter.chunks(script, MY);
        assertThat(chunks).extracting(SqlChunk::text, SqlChunk::hasStatement).containsExactly(
                tuple("delimiter //\n", false),
                tuple("CREATE FUNCTION f() RETURNS INT RETURN 1 //\n", true),
                tuple("delimiter ;\n", false),
                tuple("SELECT f();", true));
        assertThat(chunks.get(1).statement().sql()).isEqualTo("CREATE FUNCTION f() RETURNS INT RETURN 1");
    }

    @Test
    void delimiterLineEndsAStatementLeftOpen() {
        String script = "DELIMITER //\nCREATE PROCEDURE p() BEGIN SELECT 1; END\nDELIMITER ;\nSELECT 2;";
        assertThat(sqls(script, MY)).containsExactly("CREATE PROCEDURE p() BEGIN SELECT 1; END", "SELECT 2");
    }

    @Test
    void triggerBodiesWithoutDelimiterLines() {
        String script = """
                CREATE TRIGGER orders_bi BEFORE INSERT ON orders
                FOR EACH ROW
                BEGIN
                  IF NEW.total < 0 THEN
                    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'negative; total';
                  END IF;
                  SET NEW.created_at = IFNULL(NEW.created_at, NOW());
                END;
                INSERT INTO orders (total) VALUES (1);
                """;
        assertThat(split(script, MY)).extracting(SqlStatement::line).containsExactly(1, 9);
        assertThat(sqls(script, MY).get(0)).startsWith("CREATE TRIGGER").endsWith("NOW());\nEND");
    }

    @Test
    void nestedBlocksCaseAndLoopsInProcedures() {
        String script = """
                CREATE DEFINER=`admin`@`%` PROCEDURE settle(IN n INT)
                BEGIN
                  DECLARE i INT DEFAULT 0;
                  outer_loop: LOOP
                    SET i = i + 1;
                    IF i > n THEN LEAVE outer_loop; END IF;
                  END LOOP outer_loop;
                  WHILE i > 0 DO SET i = i - 1; END WHILE;
                  REPEAT SET i = i + 1; UNTIL i >= 3 END REPEAT;
                  CASE i
                    WHEN 3 THEN BEGIN SELECT 'three;'; END;
                    ELSE SELECT CASE WHEN i > 3 THEN 'big' ELSE 'small' END;
                  END CASE;
                  SELECT IF(i > 1, 'a', 'b'), REPEAT('x', 2);
                END;
                SELECT 'after';
                """;
        assertThat(split(script, MY)).extracting(SqlStatement::line).containsExactly(1, 16);
        assertThat(sqls(script, MY).get(1)).isEqualTo("SELECT 'after'");
    }

    @Test
    void definerFormsAndOtherRoutineKinds() {
        String script = """
                CREATE DEFINER='root'@'localhost' FUNCTION f() RETURNS INT DETERMINISTIC BEGIN RETURN 1; END;
                CREATE DEFINER = CURRENT_USER() TRIGGER t AFTER DELETE ON a FOR EACH ROW BEGIN DELETE FROM b; END;
                CREATE OR REPLACE DEFINER=root@127.0.0.1 EVENT purge ON SCHEDULE EVERY 1 DAY
                DO BEGIN DELETE FROM sessions WHERE expires < NOW(); END;
                CREATE AGGREGATE FUNCTION agg(x INT) RETURNS INT BEGIN RETURN x; END;
                CREATE FUNCTION g(x INT) RETURNS INT DETERMINISTIC RETURN CASE WHEN x > 0 THEN 1 ELSE 0 END;
                CREATE TABLE function_log (id INT);
                """;
        assertThat(split(script, MY)).extracting(SqlStatement::line).containsExactly(1, 2, 3, 5, 6, 7);
    }

    @Test
    void backslashEscapesInBothQuoteStyles() {
        String script = "INSERT INTO t VALUES ('it\\'s; fine', \"say \\\"hi;\\\"\");\nSELECT 'C:\\\\';\nSELECT 3;";
        assertThat(sqls(script, MY)).containsExactly(
                "INSERT INTO t VALUES ('it\\'s; fine', \"say \\\"hi;\\\"\")", "SELECT 'C:\\\\'", "SELECT 3");
    }

    @Test
    void hashAndDashCommentsAndBacktickNames() {
        String script = """
                # schema v2; created by hand
                ALTER TABLE `order;items` ADD COLUMN qty INT; -- counted; not weighed
                SELECT 5--1;
                """;
        assertThat(split(script, MY)).extracting(SqlStatement::sql, SqlStatement::line).containsExactly(
                tuple("ALTER TABLE `order;items` ADD COLUMN qty INT", 2), tuple("SELECT 5--1", 3));
    }

    @Test
    void executableCommentsAreStatements() {
        String script = """
                /*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;
                /* a plain comment; skipped */;
                /*!40014 SET FOREIGN_KEY_CHECKS=0 */;
                """;
        assertThat(split(script, MY)).extracting(SqlStatement::sql, SqlStatement::line).containsExactly(
                tuple("/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */", 1),
                tuple("/*!40014 SET FOREIGN_KEY_CHECKS=0 */", 3));
    }

    @Test
    void blockCommentsDoNotNest() {
        assertThat(sqls("SELECT 1 /* a /* b */; SELECT 2 */;", MY)).containsExactly("SELECT 1 /* a /* b */", "SELECT 2 */");
    }
}
