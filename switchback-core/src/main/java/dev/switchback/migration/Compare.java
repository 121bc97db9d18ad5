package dev.switchback.migration;

import dev.switchback.migration.schema.DriftIgnore;
import dev.switchback.migration.schema.Schema;
import dev.switchback.migration.schema.SchemaDiff;
import dev.switchback.migration.schema.SchemaInspector;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** The compare verb: two environments' histories and live schemas, side by side. */
final class Compare {
    private Compare() {
    }

    static CompareReport of(MigrationConfig left, MigrationConfig right, DriftIgnore ignore) {
        return between(export(left), export(right), ignore);
    }

    /** The environment {@code config} names: its history and live schema, read on one connection. */
    static EnvironmentExport export(MigrationConfig config) {
        try (Database db = Database.open(config)) {
            Schema schema = SchemaInspector.forDialect(db.dialect.name()).inspect(db.connection, SchemaSnapshot.excludedTables(config));
            return new EnvironmentExport(config.maskedUrl(), db.dialect.name(), rows(db), schema);
        }
    }

    /** Two environments side by side, {@code a} on the left. */
    static CompareReport between(EnvironmentExport a, EnvironmentExport b, DriftIgnore ignore) {
        if (!a.dialect().equals(b.dialect())) {
            throw new SwitchbackException(ErrorCode.CONFIG, "Cannot compare a " + a.dialect() + " database with a "
                    + b.dialect() + " one (" + a.database() + ", " + b.database() + "); compare two of the same kind");
        }
        String l = a.database();
        String r = b.database();
        if (l.equals(r)) {
            r = r + " (other)";
        }
        List<String> history = history(a.history(), b.history(), l, r);
        return new CompareReport(l, r, history, ignore.filter(SchemaDiff.between(a.schema(), b.schema())));
    }

    private static List<AppliedMigration> rows(Database db) {
        try {
            List<AppliedMigration> rows = db.history.read(db.connection);
            return rows == null ? List.of() : rows;
        } catch (SQLException e) {
            throw new SwitchbackException(ErrorCode.FAILED, "Cannot read " + db.config.table() + " of " + db.config.maskedUrl()
                    + ": " + e.getMessage(), e);
        }
    }

    static List<String> history(List<AppliedMigration> left, List<AppliedMigration> right, String l, String r) {
        List<String> out = new ArrayList<>();
        unfinished(left, l, out);
        unfinished(right, r, out);
        Map<String, AppliedMigration> a = succeeded(left);
        Map<String, AppliedMigration> b = succeeded(right);
        for (AppliedMigration m : a.values()) {
            AppliedMigration other = b.get(m.version());
            if (other == null) {
                out.add(m.version() + " (" + m.description() + "): applied in " + l + ", not in " + r);
            } else if (!Objects.equals(m.checksum(), other.checksum())) {
                out.add(m.version() + " (" + m.description() + "): applied from different SQL (checksum " + m.checksum()
                        + " in " + l + ", " + other.checksum() + " in " + r + ")");
            } else if (m.hasDown() != other.hasDown()) {
                out.add(m.version() + " (" + m.description() + "): down SQL stored only in " + (m.hasDown() ? l : r));
            }
        }
        for (AppliedMigration m : b.values()) {
            if (!a.containsKey(m.version())) {
                out.add(m.version() + " (" + m.description() + "): applied in " + r + ", not in " + l);
            }
        }
        List<String> orderA = a.keySet().stream().filter(b::containsKey).toList();
        List<String> orderB = b.keySet().stream().filter(a::containsKey).toList();
        if (!orderA.equals(orderB)) {
            out.add("the migrations both applied were applied in a different order: " + String.join(", ", orderA) + " in " + l
                    + "; " + String.join(", ", orderB) + " in " + r);
        }
        return out;
    }

    private static void unfinished(List<AppliedMigration> rows, String where, List<String> out) {
        for (AppliedMigration m : rows) {
            if (!m.succeeded()) {
                out.add(m.version() + " (" + m.description() + "): " + m.state() + " in " + where);
            }
        }
    }

    /** Succeeded rows by version, in the order applied. */
    private static Map<String, AppliedMigration> succeeded(List<AppliedMigration> rows) {
        Map<String, AppliedMigration> byVersion = new LinkedHashMap<>();
        for (AppliedMigration m : rows) {
            if (m.succeeded() && m.version() != null) {
                byVersion.put(m.version(), m);
            }
        }
        return byVersion;
    }
}
