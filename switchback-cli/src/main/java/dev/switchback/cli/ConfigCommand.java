package dev.switchback.cli;

import dev.switchback.deploy.DeployConfig;
import dev.switchback.deploy.ReleaseEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "config", description = "The configuration a release would run with.", subcommands = ConfigCommand.Diff.class)
final class ConfigCommand {
    @Mixin
    HelpOption help;

    @ParentCommand
    SwitchbackCommand root;

    @Command(name = "diff", description = "The keys a release expects (its .env.example, or deploy.service.envFile) against the "
            + "environment it would start with (this environment and deploy.service.env): missing, no longer expected, changed "
            + "(masked). Exit 4 when a key is missing: upgrade perform refuses that release.")
    static final class Diff implements Callable<Integer> {
        @Mixin
        HelpOption help;

        @ParentCommand
        ConfigCommand parent;

        @Option(names = "--release", required = true, paramLabel = "R", description = "the release to check")
        String release;

        @Override
        public Integer call() {
            SwitchbackCommand root = parent.root;
            Output out = root.output();
            String name = ReleaseEnvironment.checkName(release);
            DeployConfig deploy = root.deployConfig();
            ReleaseEnvironment r = ReleaseEnvironment.of(name, ReleaseEnvFile.locate(root, name), deploy.env(), System.getenv());
            if (out.json()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("release", r.release());
                m.put("file", r.file() == null ? null : r.file().toString());
                m.put("missing", r.missing());
                m.put("noLongerExpected", r.noLongerExpected());
                Map<String, Object> changed = new LinkedHashMap<>();
                r.changed().forEach((k, v) -> changed.put(k, Map.of("example", v.get(0), "given", v.get(1))));
                m.put("changed", changed);
                out.json(m);
            } else if (r.file() == null) {
                out.line("Release %s lists no expected keys (no .env.example in its folder, no deploy.service.envFile): nothing to compare.", name);
            } else {
                out.line("Release %s expects the keys in %s", name, r.file());
                section(out, "Missing (perform refuses the release until they are set)", r.missing());
                section(out, "No longer expected (set by deploy.service.env, not listed by the release)", r.noLongerExpected());
                if (r.changed().isEmpty()) {
                    out.line("Changed from the example: none");
                } else {
                    out.line("Changed from the example (%d):", r.changed().size());
                    r.changed().forEach((k, v) -> out.line("  %s: %s in the example, %s given", k, v.get(0), v.get(1)));
                }
            }
            return r.missing().isEmpty() ? 0 : VerifyCommand.VERIFICATION_FAILED;
        }

        private static void section(Output out, String title, List<String> keys) {
            out.line(keys.isEmpty() ? title.replaceFirst(" \\(.*", "") + ": none" : title + " (" + keys.size() + "): " + String.join(", ", keys));
        }
    }
}
