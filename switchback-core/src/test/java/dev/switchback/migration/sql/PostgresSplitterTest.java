package dev.switchback.migration.sql;

import static dev.switchback.migration.sql.SqlSplitterTest.split;
import static dev.switchback.migration.sql.SqlSplitterTest.sqls;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import org.junit.jupiter.api.Test;

class PostgresSplitterTest {

    private static final SqlFlavor PG = SqlFlavor.POSTGRES;

    @Test
    void functionBodiesInDollarQuotesStayWhole() {
        String script = """
                CREATE OR REPLACE FUNCTION touch_updated_at() RETURNS trigger AS $$
                BEGIN
                  NEW.updated_at := now();
                  RETURN NEW;
                END;
                $$ LANGUAGE plpgsql;

                CREATE TRIGGER orders_touch BEFORE UPDATE ON orders
                  FOR EACH ROW EXECUTE FUNCTION touch_updated_at();
                """;
        assertThat(split(script, PG)).extracting(SqlStatement::sql, SqlStatement::line).containsExactly(
                tuple("""
                        CREATE OR REPLACE FUNCTION touch_updated_at() RETURNS trigger AS $$
                        BEGIN
                          NEW.updated_at := now();
                          RETURN NEW;
                        END;
                        $$ LANGUAGE plpgsql""", 1),
                tuple("""
                        CREATE TRIGGER orders_touch BEFORE UPDATE ON orders
                          FOR EACH ROW EXECUTE FUNCTION touch_updated_at()""", 8));
    }

    @Test
    void taggedDollarQuoteMayHoldAnotherTag() {
        String script = """
                CREATE FUNCTION run_sql() RETURNS void LANGUAGE plpgsql AS $fn$
                BEGIN
                  EXECUTE $$INSERT INTO log VALUES ('a;b');$$;
                  PERFORM 1;
                END
                $fn$;
                SELECT run_sql();
                """;
        assertThat(split(script, PG)).extracting(SqlStatement::line).containsExactly(1, 7);
        assertThat(sqls(script, PG).get(0)).endsWith("END\n$fn$").contains("$$INSERT INTO log VALUES ('a;b');$$;");
    }

    @Test
    void doBlocks() {
        String script = """
                DO $migrate$
                DECLARE r record;
                BEGIN
                  FOR r IN SELECT id FROM accounts LOOP
                    RAISE NOTICE 'account %; migrating', r.id;
                  END LOOP;
                END $migrate$;
                ALTER TABLE accounts ADD COLUMN migrated boolean;
                """;
        assertThat(split(script, PG)).extracting(SqlStatement::line).containsExactly(1, 8);
        assertThat(sqls(script, PG).get(1)).isEqualTo("ALTER TABLE accounts ADD COLUMN migrated boolean");
    }

    @Test
    void positionalParametersAreNotDollarQuotes() {
        assertThat(sqls("PREPARE q(int, int) AS SELECT $1 + $2;\nEXECUTE q(1, 2);", PG))
                .containsExactly("PREPARE q(int, int) AS SELECT $1 + $2", "EXECUTE q(1, 2)");
    }

    @Test
    void beginAtomicBodiesKeepTheirSemicolons() {
        String script = """
                CREATE FUNCTION grade(score int) RETURNS text
                LANGUAGE sql
                BEGIN ATOMIC
                  SELECT CASE WHEN score >= 50 THEN 'pass' ELSE 'fail' END;
                  SELECT 'unreachable; really';
                END;
                CREATE PROCEDURE reset() LANGUAGE sql BEGIN ATOMIC DELETE FROM scores; END;
                CREATE FUNCTION one() RETURNS int LANGUAGE sql RETURN 1;
                BEGIN;
                COMMIT;
                """;
        assertThat(split(script, PG)).extracting(SqlStatement::line).containsExactly(1, 7, 8, 9, 10);
        assertThat(sqls(script, PG).get(0)).endsWith("SELECT 'unreachable; really';\nEND");
        assertThat(sqls(script, PG).subList(1, 5)).containsExactly(
                "CREATE PROCEDURE reset() LANGUAGE sql BEGIN ATOMIC DELETE FROM scores; END",
                "CREATE FUNCTION one() RETURNS int LANGUAGE sql RETURN 1", "BEGIN", "COMMIT");
    }

    @Test
    void standardStringsTreatBackslashAsText() {
        assertThat(sqls("INSERT INTO paths VALUES ('C:\\dir\\'); INSERT INTO q VALUES (E'it\\'s; ok');", PG))
                .containsExactly("INSERT INTO paths VALUES ('C:\\dir\\')", "INSERT INTO q VALUES (E'it\\'s; ok')");
    }

    @Test
    void nestedBlockCommentsAndQuotedNames() {
        String script = "/* outer /* inner; */ still; */ SELECT \"odd;\"\"name\" FROM t;\nSELECT 2;";
        assertThat(split(script, PG)).extracting(SqlStatement::sql, SqlStatement::line).containsExactly(
                tuple("SELECT \"odd;\"\"name\" FROM t", 1), tuple("SELECT 2", 2));
    }

    @Test
    void unterminatedDollarQuoteIsAnError() {
        assertThatThrownBy(() -> SqlSplitter.split("SELECT 1;\nCREATE FUNCTION f() AS $$ SELECT 2;\nSELECT 3;", PG, "V3__f.sql"))
                .hasMessageStartingWith("V3__f.sql:2: unterminated dollar-quoted string $$").hasMessageContaining("Close it with $$");
        assertThatThrownBy(() -> SqlSplitter.split("/* a /* b */\nSELECT 1;", PG, "V3__f.sql"))
                .hasMessageStartingWith("V3__f.sql:1: unterminated /* comment").hasMessageContaining("comments nest");
    }

    @Test
    void indexBuiltConcurrentlyAfterComments() {
        String script = """
                -- Must run outside a transaction.
                CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_customer_idx
                    ON orders (customer_id);
                COMMENT ON INDEX orders_customer_idx IS 'speeds up lookups; see #42';
                """;
        assertThat(split(script, PG)).extracting(SqlStatement::sql, SqlStatement::line).containsExactly(
                tuple("CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_customer_idx\n    ON orders (customer_id)", 2),
                tuple("COMMENT ON INDEX orders_customer_idx IS 'speeds up lookups; see #42'", 4));
    }
}
