package dev.switchback.cli;

import dev.switchback.migration.MigrationListener;
import dev.switchback.migration.Problem;
import dev.switchback.migration.VerifyReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "verify", aliases = "validate", description = "Check the files against the history (edited, with a diff; missing, failed, partial, out-of-order) and the "
        + "live schema against the one the applied migrations produce (schema_drift). Exit 4 on any problem.")
final class VerifyCommand implements Callable<Integer> {
    static final int VERIFICATION_FAILED = 4;

    @Mixin
    HelpOption help;

    @ParentCommand
    SwitchbackCommand root;

    @Mixin
    SchemaCheckOptions check;

    @Override
    public Integer call() {
        Output out = root.output();
        VerifyReport r = check.applyTo(root.migrator(Map.of(), MigrationListener.NONE)).verify(check.replay);
        if (out.json()) {
            Map<String, Object> json = new java.util.LinkedHashMap<>();
            json.put("database", r.database());
            json.put("problems", r.problems());
            json.put("diffs", r.diffs());
            json.put("schema", DriftCommand.json(r.schema()));
            out.json(json);
        } else if (r.clean()) {
            out.line("Verified %s: the history matches the migration files.", r.database());
            schemaLine(out, r);
        } else {
            out.line("Verification failed for %s: %d problem(s)", r.database(), r.problems().size());
            for (Problem p : r.problems()) {
                out.line("");
                out.line("%s: %s", p.type(), p.message());
                String diff = p.version() == null ? null : r.diffs().get(p.version());
                if (diff != null && p.type().equals(Problem.CHECKSUM_MISMATCH)) {
                    out.line(diff.stripTrailing());
                }
            }
        }
        if (!out.json() && !r.clean()) {
            schemaLine(out, r);
        }
        return r.clean() ? 0 : VERIFICATION_FAILED;
    }

    private static void schemaLine(Output out, VerifyReport r) {
        if (!r.schema().checked()) {
            out.line("Schema not checked: %s", r.schema().unchecked());
        } else if (r.schema().clean()) {
            out.line("Schema: the one the applied migrations produce (sha256:%s, from the %s).", r.schema().actualHash().substring(0, 16),
                    r.schema().expectedFrom());
        } else {
            out.line("");
            out.line("Schema drift: run 'switchback drift' for the SQL that resolves it either way.");
        }
    }
}
