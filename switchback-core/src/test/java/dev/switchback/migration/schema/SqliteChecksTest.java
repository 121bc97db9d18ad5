package dev.switchback.migration.schema;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SqliteChecksTest {
    @Test
    void checksAreFoundOutsideStringsNamesAndComments() {
        String sql = "CREATE TABLE \"check\" (id INTEGER PRIMARY KEY, qty INT CHECK (qty >= 0), -- CHECK (not this)\n"
                + " note TEXT DEFAULT 'CHECK (nor this)', [check (x)] INT, /* CHECK (nor) */ price REAL,\n"
                + " CONSTRAINT price_positive CHECK ( price > 0 AND (price <\n 1000) ), CHECK (note <> ')'))";
        assertThat(SqliteChecks.of(sql)).extracting(SqliteChecks.Check::name, SqliteChecks.Check::expression).containsExactly(
                org.assertj.core.groups.Tuple.tuple("check (qty >= 0)", "qty >= 0"),
                org.assertj.core.groups.Tuple.tuple("price_positive", "price > 0 AND (price < 1000)"),
                org.assertj.core.groups.Tuple.tuple("check (note <> ')')", "note <> ')'"));
    }

    @Test
    void aTableWithoutChecksHasNone() {
        assertThat(SqliteChecks.of("CREATE TABLE t (id INTEGER, checked INT, recheck TEXT)")).isEmpty();
        assertThat(SqliteChecks.of(null)).isEmpty();
    }
}
