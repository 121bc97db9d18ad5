package dev.switchback.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "doctor", description = "Run every check that can fail an upgrade (database and user, lock, unfinished migrations, "
        + "drift, pending and their lint verdict, dump tool, disk, daemon, release command and keys), each ok, warn or fail "
        + "with what to do. Exit 4 when one fails.")
final class DoctorCommand implements Callable<Integer> {
    @Mixin
    HelpOption help;

    @ParentCommand
    SwitchbackCommand root;

    @Option(names = "--release", paramLabel = "R", description = "check the keys this release expects (default: the active one)")
    String release;

    @Override
    public Integer call() {
        Output out = root.output();
        List<DoctorCheck> checks = new Doctor(root, release).run();
        boolean failed = checks.stream().anyMatch(c -> c.verdict() == DoctorCheck.Verdict.FAIL);
        if (out.json()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("ok", !failed);
            m.put("checks", checks.stream().map(c -> {
                Map<String, Object> j = new LinkedHashMap<>();
                j.put("name", c.name());
                j.put("verdict", c.verdict().json());
                j.put("detail", c.detail());
                j.put("fix", c.fix());
                return j;
            }).toList());
            out.json(m);
        } else {
            for (DoctorCheck c : checks) {
                out.line("%-4s  %-19s  %s", c.verdict().name(), c.name(), c.detail().replace("\n", " "));
                if (c.verdict() != DoctorCheck.Verdict.OK && c.fix() != null) {
                    out.line("      %-19s  -> %s", "", c.fix());
                }
            }
            long warn = checks.stream().filter(c -> c.verdict() == DoctorCheck.Verdict.WARN).count();
            out.line(failed ? "Not ready: fix the failed check(s) before upgrading." : "Ready to upgrade" + (warn > 0 ? " (" + warn
                    + " warning(s))." : "."));
        }
        return failed ? VerifyCommand.VERIFICATION_FAILED : 0;
    }
}
