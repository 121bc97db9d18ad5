package dev.switchback.migration;

import dev.switchback.migration.testing.TestDatabase;

import java.nio.file.Path;

class PostgresSchemaSnapshotIT extends SchemaSnapshotContract {
    @Override
    protected TestDatabase newDatabase(Path tmp) {
        return TestDatabase.postgres();
    }

    @Override
    String dialectObjects() {
        return "CREATE TYPE mood AS ENUM ('sad', 'ok');\nCREATE SEQUENCE tickets START 100;\n"
                + "CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;\n"
                + "CREATE TRIGGER orders_touch BEFORE UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION touch();\n"
                + "ALTER TABLE orders ENABLE ROW LEVEL SECURITY;\nCREATE POLICY orders_all ON orders USING (total < 1000);\n"
                + "CREATE MATERIALIZED VIEW order_totals AS SELECT total FROM orders;\nCOMMENT ON COLUMN orders.total IS 'in cents';\n";
    }

    @Override
    String dialectDown() {
        return "DROP MATERIALIZED VIEW order_totals;\nDROP TRIGGER orders_touch ON orders;\nDROP FUNCTION touch();\nDROP SEQUENCE tickets;\nDROP TYPE mood;\n";
    }
}
