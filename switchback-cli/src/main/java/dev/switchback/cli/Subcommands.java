package dev.switchback.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.OptionSpec;

import java.util.List;

/**
 * Every subcommand of {@code switchback}; a new one joins by a line here. A command line that names one gets only that
 * one: picocli builds its model by reflection over each command's fields, which for all of them loads the daemon's,
 * the backups' and the JSON library's classes, a quarter of a short command's start. Help, an unknown name or no
 * name at all get every subcommand, so the usage lists them all and a typo gets its suggestion.
 */
final class Subcommands {
    private static final List<Class<?>> ALL = List.of(
            MigrateCommand.class,
            StatusCommand.class,
            VerifyCommand.class,
            DriftCommand.class,
            CompareCommand.class,
            ConfigCommand.class,
            DoctorCommand.class,
            RollbackCommand.class,
            BaselineCommand.class,
            ImportCommand.class,
            RepairCommand.class,
            UnlockCommand.class,
            NewCommand.class,
            LintCommand.class,
            BackupCommand.class,
            ServeCommand.class,
            UpgradeCommand.class,
            DemoCommand.class,
            K8sCommand.class);

    private Subcommands() {
    }

    /** Adds to {@code cli} the subcommand {@code args} names, or all of them when they name none we know. */
    static void register(CommandLine cli, String... args) {
        String named = named(cli.getCommandSpec(), args);
        for (Class<?> type : ALL) {
            if (named == null) {
                cli.addSubcommand(type);
            } else if (answersTo(type, named)) {
                cli.addSubcommand(type);
                return;
            }
        }
    }

    /** The first argument that is not a root option or an option's value, or null. */
    private static String named(CommandLine.Model.CommandSpec root, String[] args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--")) {
                return null;
            }
            if (!a.startsWith("-")) {
                return ALL.stream().anyMatch(t -> answersTo(t, a)) ? a : null;
            }
            OptionSpec option = root.findOption(a);
            if (option == null && !a.contains("=")) {
                return null;
            }
            if (option != null && option.arity().max() > 0) {
                i++;
            }
        }
        return null;
    }

    private static boolean answersTo(Class<?> type, String name) {
        Command command = type.getAnnotation(Command.class);
        return command.name().equals(name) || List.of(command.aliases()).contains(name);
    }
}
