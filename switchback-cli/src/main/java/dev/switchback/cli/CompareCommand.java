package dev.switchback.cli;

import dev.switchback.migration.CompareReport;
import dev.switchback.migration.MigrationConfig;
import dev.switchback.migration.MigrationListener;
import dev.switchback.migration.Migrator;
import dev.switchback.migration.schema.Difference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "compare", description = "Put this database and another side by side: histories (versions applied in one only, "
        + "different SQL, failed rows, order) and live schemas. Exit 4 when they differ.")
final class CompareCommand implements Callable<Integer> {
    @Mixin
    HelpOption help;

    @ParentCommand
    SwitchbackCommand root;

    @Option(names = "--with-url", required = true, paramLabel = "URL", description = "JDBC URL of the other database")
    String withUrl;

    @Option(names = "--with-user", paramLabel = "USER", description = "its user (default: this database's)")
    String withUser;

    @Option(names = "--with-password", paramLabel = "PASSWORD", description = "its password (default: this database's)")
    String withPassword;

    @Override
    public Integer call() {
        Output out = root.output();
        Migrator migrator = root.migrator(Map.of(), MigrationListener.NONE);
        MigrationConfig c = migrator.config();
        CompareReport r = migrator.compare(c.withConnection(withUrl, withUser != null ? withUser : c.user(),
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
}
