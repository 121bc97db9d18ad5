package dev.switchback.migration.lint;

import dev.switchback.migration.sql.SqlFlavor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/** What rollback asks about: the statements of a down script that destroy data, in every dialect's SQL. */
class DataLossTest {

    @ParameterizedTest
    @EnumSource(SqlFlavor.class)
    void dropsOfTablesAndColumnsAndDeletesAreDataLossAndTheRestIsNot(SqlFlavor flavor) {
        String down = String.join("\n",
                "-- undo 007",
                "DROP VIEW order_totals;",
                "DROP INDEX orders_total" + (flavor == SqlFlavor.MYSQL ? " ON orders" : "") + ";",
                "ALTER TABLE orders DROP COLUMN note;",
                "DELETE FROM statuses WHERE code = 'held';",
                "DROP TABLE IF EXISTS audit;",
                "CREATE TABLE kept (id INTEGER);",
                "UPDATE orders SET total = 0;",
                "");
        assertThat(DataLoss.of("007_x.down.sql", down, flavor)).containsExactly(
                "007_x.down.sql:4: ALTER TABLE orders DROP COLUMN note",
                "007_x.down.sql:5: DELETE FROM statuses (some rows)",
                "007_x.down.sql:6: DROP TABLE audit");
        assertThat(DataLoss.of("008_y.down.sql", "DROP INDEX orders_total" + (flavor == SqlFlavor.MYSQL ? " ON orders" : "")
                + ";\nDROP VIEW v;\n", flavor)).isEmpty();
    }
}
