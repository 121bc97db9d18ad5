package dev.switchback.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import static org.assertj.core.api.Assertions.assertThat;

/** A command line that names a subcommand gets only that one; anything else gets every subcommand. */
class SubcommandsTest {
    private static CommandLine registered(String... args) {
        CommandLine cli = new CommandLine(new SwitchbackCommand());
        Subcommands.register(cli, args);
        return cli;
    }

    @Test
    void aNamedSubcommandIsTheOnlyOneBuilt() {
        assertThat(registered("status").getSubcommands()).containsOnlyKeys("status", "info");
        assertThat(registered("--url", "jdbc:sqlite:x.db", "-q", "--locations=a,b", "migrate", "--target", "2")
                .getSubcommands()).containsOnlyKeys("migrate");
        assertThat(registered("info").getSubcommands()).containsOnlyKeys("status", "info");
        assertThat(registered("-c", "migrate", "backup", "list").getSubcommands())
                .as("'migrate' is the value of -c here").containsOnlyKeys("backup");
    }

    @Test
    void helpUnknownNamesAndOptionsItCannotReadGetEverySubcommand() {
        for (String[] args : new String[][]{{}, {"--help"}, {"migrat"}, {"--bogus", "migrate"}, {"--", "migrate"}}) {
            assertThat(registered(args).getSubcommands()).as(String.join(" ", args))
                    .containsKeys("migrate", "status", "verify", "rollback", "backup", "serve", "upgrade", "demo", "lint");
        }
    }

    @Test
    void theNamedSubcommandInheritsTheRootOptions() {
        CommandLine cli = registered("--url", "jdbc:sqlite:x.db", "status");
        assertThat(cli.getSubcommands().get("status").getCommandSpec().findOption("--url")).isNotNull();
        assertThat(cli.getSubcommands().get("status").getCommandSpec().findOption("--json")).isNotNull();
    }
}
