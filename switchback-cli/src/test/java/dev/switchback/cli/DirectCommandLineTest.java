package dev.switchback.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.Callable;

import static org.assertj.core.api.Assertions.assertThat;

/** migrate and status lines read without picocli are read exactly as picocli reads them; every other line is left to it. */
class DirectCommandLineTest {
    /** What a reading set: the root's options, and the subcommand with its own. */
    private static String reading(SwitchbackCommand root, Object command) {
        String text = "config=" + root.config + " url=" + root.url + " user=" + root.user + " password=" + root.password
                + " locations=" + Arrays.toString(root.locations) + " json=" + root.json + " quiet=" + root.quiet
                + " verbose=" + root.verbose + " command=" + command.getClass().getSimpleName();
        if (command instanceof MigrateCommand m) {
            text += " target=" + m.target + " dryRun=" + m.dryRun + " noBackup=" + m.noBackup + " allowUnsafe=" + m.allowUnsafe
                    + " group=" + m.group + " parent=" + (m.root == root);
        } else if (command instanceof StatusCommand s) {
            text += " parent=" + (s.root == root);
        }
        return text;
    }

    private static String byPicocli(String... args) {
        SwitchbackCommand root = new SwitchbackCommand();
        CommandLine cli = new CommandLine(root);
        Subcommands.register(cli, args);
        return reading(root, cli.parseArgs(args).subcommand().commandSpec().userObject());
    }

    private static String direct(String... args) {
        SwitchbackCommand root = new SwitchbackCommand();
        Callable<Integer> command = DirectCommandLine.parse(root, args);
        return command == null ? null : reading(root, command);
    }

    @Test
    void readsMigrateAndStatusLinesAsPicocliDoes() {
        String[][] lines = {
                {"migrate"}, {"status"}, {"info"},
                {"--url", "jdbc:sqlite:x.db", "--user", "u", "--password", "p w", "--locations", "a,b/c", "-c", "s.yml",
                        "--json", "-q", "migrate", "--target", "3", "--dry-run", "--no-backup", "--allow-unsafe", "--group"},
                {"status", "--url=jdbc:postgresql://h:5432/db?a=1&b=2", "--locations=a", "-v"},
                {"migrate", "--json", "--config", "conf/s.yml", "--target=2", "--user=x=y"},
                {"--quiet", "--verbose", "info", "--password", "migrate"},
                {"-c", "migrate", "status"}};
        for (String[] line : lines) {
            assertThat(direct(line)).as(String.join(" ", line)).isNotNull().isEqualTo(byPicocli(line));
        }
    }

    @Test
    void leavesEveryOtherLineToPicocli() {
        String[][] lines = {
                {}, {"--help"}, {"-h"}, {"--version"}, {"-V"}, {"migrate", "-h"}, {"status", "--help"}, {"verify"},
                {"migrat"}, {"--", "status"}, {"status", "migrate"}, {"migrate", "extra"}, {"status", "-"},
                {"--url=a", "--url=b", "status"}, {"--url", "a", "status", "--url", "b"}, {"--json", "status", "--json"},
                {"migrate", "--target"}, {"--target", "5", "migrate"}, {"status", "--dry-run"}, {"migrate", "--json=true"},
                {"-qv", "status"}, {"-c=x", "status"}, {"-cx", "status"}, {"--url=", "status"}, {"--password", "-x", "status"},
                {"@args.txt"}, {"--url", "@u", "status"}, {"status", "--locations", "a,,b"}, {"status", "--locations", ",a"},
                {"status", "--locations", "\"a,b\",c"}, {"status", "--bogus"}, {"status", "--ur", "x"}};
        for (String[] line : lines) {
            assertThat(direct(line)).as(String.join(" ", line)).isNull();
        }
    }

    /** An option added to migrate, status or the root fails this until DirectCommandLine reads it (or leaves it to picocli). */
    @Test
    void knowsExactlyTheOptionsOfMigrateAndStatusWithoutDefaults() {
        for (String command : new String[]{"migrate", "status"}) {
            CommandLine cli = new CommandLine(new SwitchbackCommand());
            Subcommands.register(cli, command);
            Set<String> expected = new HashSet<>(DirectCommandLine.ROOT);
            if (command.equals("migrate")) {
                expected.addAll(DirectCommandLine.MIGRATE);
            }
            Set<String> options = new HashSet<>();
            for (OptionSpec o : cli.getSubcommands().get(command).getCommandSpec().options()) {
                if (o.usageHelp() || o.versionHelp()) {
                    continue;
                }
                options.add(o.longestName());
                for (String name : o.names()) {
                    assertThat(DirectCommandLine.canonical(name)).as(name).isEqualTo(o.longestName());
                }
                assertThat(o.defaultValue()).as(o.longestName() + " has a default picocli would set").isNull();
                assertThat(DirectCommandLine.VALUED.contains(o.longestName())).as(o.longestName() + " takes a value")
                        .isEqualTo(o.arity().max() > 0);
            }
            assertThat(options).as(command).isEqualTo(expected);
        }
    }
}
