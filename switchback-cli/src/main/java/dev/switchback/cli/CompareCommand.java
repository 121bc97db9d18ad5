package dev.switchback.cli;

import dev.switchback.migration.CompareReport;
import dev.switchback.migration.EnvironmentExport;
import dev.switchback.migration.ErrorCode;
import dev.switchback.migration.SwitchbackException;
import dev.switchback.migration.MigrationConfig;
import dev.switchback.migration.MigrationListener;
import dev.switchback.migration.Migrator;
import dev.switchback.migration.schema.Difference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "compare", description = "Put this database and another side by side: histories (versions applied in one only, "
        + "different SQL, failed rows, down SQL in one only, order) and live schemas. The other is a database (--with-url) or "
        + "an environment exported with --export (--with FILE). Exit 4 when they differ.")
final class CompareCommand implements Callable<Integer> {
    @Mixin
    HelpOption help;

    @ParentCommand
    SwitchbackCommand root;

    @Option(names = "--with-url", paramLabel = "URL", description = "JDBC URL of the other database")
    String withUrl;

    @Option(names = "--with-user", paramLabel = "USER", description = "its user (default: this database's)")
    String withUser;

    @Option(names = "--with-password", paramLabel = "PASSWORD", description = "its password (default: this database's)")
    String withPassword;

    @Option(names = "--with", paramLabel = "FILE", description = "an environment written by 'compare --export' (history and schema)")
    Path withFile;

    @Option(names = "--export", paramLabel = "FILE", description = "write this environment (history and schema, no data) for "
            + "'compare --with FILE' elsewhere; compares nothing")
    Path export;

    @Option(names = "--format", paramLabel = "FORMAT", description = "text (default) or markdown (a report to paste into a ticket)")
    String format;

    @picocli.CommandLine.Mixin
    IgnoreOption ignore;

    @Override
    public Integer call() {
        Output out = root.output();
        Migrator migrator = ignore.applyTo(root.migrator(Map.of(), MigrationListener.NONE));
        int given = (withUrl != null ? 1 : 0) + (withFile != null ? 1 : 0) + (export != null ? 1 : 0);
        if (given != 1) {
            throw new SwitchbackException(ErrorCode.CONFIG, "Say what to compare with: --with-url URL, --with FILE, or write this "
                    + "environment with --export FILE (exactly one)");
        }
        if (format != null && !format.equals("text") && !format.equals("markdown")) {
            throw new SwitchbackException(ErrorCode.CONFIG, "--format is '" + format + "'; use text or markdown");
        }
        if (export != null) {
            EnvironmentExport e = migrator.export();
            EnvironmentFile.write(export, e);
            if (out.json()) {
                out.json(Map.of("exported", export.toString(), "database", e.database(), "migrations", e.history().size(),
                        "objects", e.schema().objects().size()));
            } else {
                out.line("Wrote %s: %d history row(s) and %d schema object(s) of %s", export, e.history().size(),
                        e.schema().objects().size(), e.database());
            }
            return 0;
        }
        MigrationConfig c = migrator.config();
        CompareReport r = withFile != null ? migrator.compare(EnvironmentFile.read(withFile))
                : migrator.compare(c.withConnection(withUrl, withUser != null ? withUser : c.user(),
                withPassword != null ? withPassword : c.password()));
        if (out.json()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("left", r.left());
            m.put("right", r.right());
            m.put("clean", r.clean());
            m.put("history", r.history());
            m.put("schema", r.schema().stream().map(d -> Map.of("kind", d.object().kind().label(), "label", d.object().label(),
                    "change", d.change().json(), "message", d.message(r.left(), r.right()))).toList());
            out.json(m);
        } else if ("markdown".equals(format)) {
            markdown(out, r);
        } else {
            out.line("Comparing %s with %s", r.left(), r.right());
            out.line(r.history().isEmpty() ? "History: the same" : "History: " + r.history().size() + " difference(s)");
            r.history().forEach(h -> out.line("  " + h));
            out.line(r.schema().isEmpty() ? "Schema: the same" : "Schema: " + r.schema().size() + " difference(s)");
            for (Difference d : r.schema()) {
                out.line("  " + d.message(r.left(), r.right()));
            }
        }
        return r.clean() ? 0 : VerifyCommand.VERIFICATION_FAILED;
    }

    private static void markdown(Output out, CompareReport r) {
        out.line("## Environments compared");
        out.line("");
        out.line("| | |");
        out.line("| --- | --- |");
        out.line("| left | `%s` |", r.left());
        out.line("| right | `%s` |", r.right());
        out.line("| verdict | %s |", r.clean() ? "the same" : "**differ**: " + r.history().size() + " history, " + r.schema().size() + " schema");
        out.line("");
        out.line("### History");
        out.line("");
        if (r.history().isEmpty()) {
            out.line("The same.");
        }
        r.history().forEach(h -> out.line("- " + cell(h)));
        out.line("");
        out.line("### Schema");
        out.line("");
        if (r.schema().isEmpty()) {
            out.line("The same.");
            return;
        }
        out.line("| object | change | left | right |");
        out.line("| --- | --- | --- | --- |");
        for (Difference d : r.schema()) {
            out.line("| %s | %s | %s | %s |", cell(d.object().label()), d.change().json(),
                    d.expected() == null ? "" : "`" + cell(d.expected().shownDefinition()) + "`",
                    d.actual() == null ? "" : "`" + cell(d.actual().shownDefinition()) + "`");
        }
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }
}
