package dev.switchback.cli;

import dev.switchback.migration.DriftReport;
import dev.switchback.migration.ErrorCode;
import dev.switchback.migration.MigrationListener;
import dev.switchback.migration.SwitchbackException;
import dev.switchback.migration.schema.Difference;
import dev.switchback.migration.schema.Resolution;
import dev.switchback.migration.schema.SchemaObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "drift", description = "Compare the live schema with the one the applied migrations produce (the snapshot taken "
        + "at migrate time, or replayed into a scratch database) and show how to resolve each difference either way. Exit 4 on drift.")
final class DriftCommand implements Callable<Integer> {
    @Mixin
    HelpOption help;

    @ParentCommand
    SwitchbackCommand root;

    @Option(names = "--sql", description = "print only the SQL that brings the database back to the migrations")
    boolean sql;

    @Mixin
    SchemaCheckOptions check;

    @Override
    public Integer call() {
        Output out = root.output();
        DriftReport r = check.applyTo(root.migrator(Map.of(), MigrationListener.NONE)).drift(check.replay);
        if (!r.checked()) {
            throw new SwitchbackException(ErrorCode.FAILED, "Cannot compare the schema of " + r.database() + ": " + r.unchecked());
        }
        if (out.json()) {
            out.json(json(r));
        } else if (sql) {
            printSql(out, r.toMigrations(), "");
        } else if (r.clean()) {
            out.line("No drift in %s: the schema is the one the applied migrations produce (%s, from the %s).", r.database(),
                    "sha256:" + r.actualHash().substring(0, 16), r.expectedFrom());
        } else {
            print(out, r);
        }
        return r.clean() ? 0 : VerifyCommand.VERIFICATION_FAILED;
    }

    static void printDifferences(Output out, DriftReport r) {
        for (Difference d : r.differences()) {
            out.line("  %s", d.message());
            String diff = r.textDiffs().get(d.object().label());
            if (diff != null) {
                out.line("    " + diff.stripTrailing().replace("\n", "\n    "));
            }
        }
    }

    private static void print(Output out, DriftReport r) {
        out.line("Schema drift in %s: %d difference(s) between the database and the applied migrations", r.database(),
                r.differences().size());
        printDifferences(out, r);
        out.line("");
        out.line("Either bring the database back to the migrations (review first; 'switchback drift --sql' prints only this):");
        printSql(out, r.toMigrations(), "  ");
        out.line("");
        out.line("Or keep the change: 'switchback new --from-drift <description>' writes a migration with this up SQL and the");
        out.line("first way as its down SQL, and records it as applied here (this database already has the change):");
        printSql(out, r.toDatabase(), "  ");
    }

    private static void printSql(Output out, Resolution resolution, String indent) {
        for (String s : resolution.statements()) {
            out.line(indent + s.replace("\n", "\n" + indent));
        }
        for (String c : resolution.cannot()) {
            out.line(indent + "-- not done: " + c);
        }
    }

    /** The drift as JSON: the same shape in {@code drift --json} and in {@code verify --json}'s {@code schema}. */
    static Map<String, Object> json(DriftReport r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("database", r.database());
        m.put("checked", r.checked());
        m.put("unchecked", r.unchecked());
        m.put("clean", r.clean());
        m.put("expectedFrom", r.expectedFrom());
        m.put("expectedHash", r.expectedHash());
        m.put("actualHash", r.actualHash());
        m.put("differences", r.differences().stream().map(d -> difference(d, r)).toList());
        m.put("toMigrations", resolution(r.toMigrations()));
        m.put("toDatabase", resolution(r.toDatabase()));
        return m;
    }

    private static Map<String, Object> difference(Difference d, DriftReport r) {
        SchemaObject o = d.object();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", o.kind().label());
        m.put("table", o.table());
        m.put("name", o.name());
        m.put("change", d.change().json());
        m.put("expected", d.expected() == null ? null : d.expected().definition());
        m.put("actual", d.actual() == null ? null : d.actual().definition());
        m.put("message", d.message());
        m.put("diff", r.textDiffs().get(o.label()));
        return m;
    }

    private static Map<String, Object> resolution(Resolution res) {
        return Map.of("sql", res.statements(), "cannot", List.copyOf(res.cannot()));
    }
}
