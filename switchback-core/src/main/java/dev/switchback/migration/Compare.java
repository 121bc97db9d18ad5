package dev.switchback.migration;

import dev.switchback.migration.schema.SchemaDiff;
import dev.switchback.migration.schema.SchemaInspector;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** The compare verb: two environments' histories and live schemas, side by side. */
final class Compare {
    private Compare() {
    }

    static CompareReport of(MigrationConfig left, MigrationConfig right, dev.switchback.migration.schema.DriftIgnore ignore) {
        try (Database a = Database.open(left); Database b = Database.open(right)) {
            if (!a.dialect.name().equals(b.dialect.name())) {
                throw new SwitchbackException(ErrorCode.CONFIG, "Cannot compare a " + a.dialect.name() + " database with a "
                        + b.dialect.name() + " one (" + left.maskedUrl() + ", " + right.maskedUrl() + "); compare two of the same kind");
            }
            String l = left.maskedUrl();
            String r = right.maskedUrl();
            List<String> history = history(rows(a), rows(b), l, r);
            SchemaInspector inspector = SchemaInspector.forDialect(a.dialect.name());
            var schema = ignore.filter(SchemaDiff.between(inspector.inspect(a.connection, ours(left)), inspector.inspect(b.connection, ours(right))));
            return new CompareReport(l, r, history, schema);
        }
    }

    private static Set<String> ours(MigrationConfig c) {
        return SchemaSnapshot.excludedTables(c);
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
