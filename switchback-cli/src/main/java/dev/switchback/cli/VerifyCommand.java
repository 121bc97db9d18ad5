package dev.switchback.cli;

import dev.switchback.migration.MigrationListener;
import dev.switchback.migration.Problem;
import dev.switchback.migration.VerifyReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "verify", aliases = "validate", description = "Check the files against the history: edited (with a diff), missing, failed, partial, out-of-order. Exit 4 on any problem.")
final class VerifyCommand implements Callable<Integer> {
    static final int VERIFICATION_FAILED = 4;

    @Mixin
    HelpOption help;

    @ParentCommand
    SwitchbackCommand root;

    @Override
    public Integer call() {
        Output out = root.output();
        VerifyReport r = root.migrator(Map.of(), MigrationListener.NONE).verify();
        if (out.json()) {
            out.json(r);
        } else if (r.clean()) {
            out.line("Verified %s: the history matches the migration files.", r.database());
        } else {
            out.line("Verification failed for %s: %d problem(s)", r.database(), r.problems().size());
            for (Problem p : r.problems()) {
                out.line("");
                out.line("%s: %s", p.type(), p.message());
                String diff = r.diffs().get(p.version());
                if (diff != null && p.type().equals(Problem.CHECKSUM_MISMATCH)) {
                    out.line(diff.stripTrailing());
                }
            }
        }
        return r.clean() ? 0 : VERIFICATION_FAILED;
    }
}
