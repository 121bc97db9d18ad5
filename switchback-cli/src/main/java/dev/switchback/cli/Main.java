package dev.switchback.cli;

import dev.switchback.migration.SwitchbackException;
import picocli.CommandLine;

/** {@code bin/switchback}: sets up logging, runs one command, maps its outcome to the exit code. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String... args) {
        configureLogging(args);
        CommandLine cli = new CommandLine(new SwitchbackCommand());
        cli.setExitCodeExceptionMapper(e -> e instanceof SwitchbackException se ? se.code().exitCode() : 1);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            System.err.println("error: " + e.getMessage());
            if (commandLine.getCommand() instanceof Object && isVerbose(args)) {
                e.printStackTrace(System.err);
            }
            return commandLine.getExitCodeExceptionMapper().getExitCode(e);
        });
        return cli.execute(args);
    }

    /** slf4j-simple reads its settings once, so they are set before any logger exists: logs go to stderr. */
    private static void configureLogging(String[] args) {
        String level = "info";
        for (String a : args) {
            if (a.equals("-q") || a.equals("--quiet")) {
                level = "warn";
            } else if (a.equals("-v") || a.equals("--verbose")) {
                level = "debug";
            }
        }
        System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", level);
        System.setProperty("org.slf4j.simpleLogger.showThreadName", "false");
        System.setProperty("org.slf4j.simpleLogger.showLogName", "false");
        System.setProperty("org.slf4j.simpleLogger.levelInBrackets", "true");
    }

    private static boolean isVerbose(String[] args) {
        for (String a : args) {
            if (a.equals("-v") || a.equals("--verbose")) {
                return true;
            }
        }
        return false;
    }
}
