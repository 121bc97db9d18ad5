package dev.switchback.cli;

import dev.switchback.cli.Cli.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A short command loads what it needs, no more: one JDBC driver, the classes of its own subcommand, no JSON library
 * when it prints text, none of the daemon, and for migrate and status no picocli. Read from the JVM's own class-loading log of a real run.
 */
@Execution(ExecutionMode.CONCURRENT)
class StartupClassesIT {
    @TempDir
    Path tmp;

    private List<String> loaded(String... args) throws IOException {
        Path log = tmp.resolve("classes-" + args[args.length - 1] + ".log");
        Result r = Cli.run(tmp, Cli.env("SWITCHBACK_JAVA_OPTS", "-XX:TieredStopAtLevel=1 -Xlog:class+load=info:file=" + log), args);
        assertThat(r.exit()).as(r.describe()).isZero();
        List<String> classes = new ArrayList<>();
        for (String line : Files.readAllLines(log)) {
            String[] words = line.substring(line.indexOf(']', line.indexOf("class,load")) + 1).trim().split(" ");
            classes.add(words[0]);
        }
        return classes;
    }

    @Test
    void migrateAndStatusOnPostgresLoadOneDriverAndNothingOfTheDaemon() throws IOException {
        Path m = Files.createDirectories(tmp.resolve("migrations"));
        Files.writeString(m.resolve("001_items.sql"), "CREATE TABLE items (id int PRIMARY KEY);\n");
        try (TestDb db = TestDb.postgres()) {
            List<String> flags = new ArrayList<>(db.args());
            flags.addAll(List.of("--locations", m.toString()));
            for (String command : List.of("migrate", "status")) {
                List<String> args = new ArrayList<>(flags);
                args.add(command);
                if (command.equals("migrate")) {
                    args.add("--no-backup");
                }
                List<String> classes = loaded(args.toArray(String[]::new));
                assertThat(classes).as(command).contains("org.postgresql.Driver", "dev.switchback.cli.StatusPrinter");
                assertThat(classes).as(command).noneMatch(c -> c.startsWith("org.mariadb.") || c.startsWith("org.sqlite."))
                        .noneMatch(c -> c.startsWith("dev.switchback.server.") || c.startsWith("org.eclipse.jetty.")
                                || c.startsWith("io.fabric8."))
                        .as(command + ": no config file, no YAML parser").noneMatch(c -> c.startsWith("org.yaml."))
                        .as(command + ": read without picocli (DirectCommandLine)").noneMatch(c -> c.startsWith("picocli."))
                        .as(command).doesNotContain("com.fasterxml.jackson.databind.ObjectMapper",
                                // what picocli's model of the other subcommands loads
                                "dev.switchback.cli.UpgradeCommand$Perform", "dev.switchback.cli.BackupCommand$Restore",
                                "dev.switchback.cli.AdminClient", "dev.switchback.deploy.ReleaseMigrations");
            }
        }
    }
}
