package dev.switchback.cli;

import dev.switchback.migration.CommandLineProcess;
import dev.switchback.migration.ErrorCode;
import dev.switchback.migration.Secrets;
import dev.switchback.migration.SwitchbackException;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.Callable;

/**
 * {@code bin/switchback}: sets up logging, runs one command, maps its outcome to the exit code. migrate and status lines
 * are read by {@link DirectCommandLine}; every other line by picocli.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        CommandLineProcess.mark();
        System.exit(run(args));
    }

    /** Runs one command as bin/switchback would (messages to stdout and stderr) and returns its exit code; never exits. */
    public static int run(String... args) {
        configureLogging(args);
        SwitchbackCommand root = new SwitchbackCommand();
        Callable<Integer> direct = DirectCommandLine.parse(root, args);
        if (direct != null) {
            try {
                return direct.call();
            } catch (Exception e) {
                return failed(e, root, args);
            }
        }
        // DirectCommandLine may have set fields of root before it gave up on this line: picocli starts from a fresh one
        // (a boolean option found already true would be flipped back to false)
        SwitchbackCommand fresh = new SwitchbackCommand();
        CommandLine cli = new CommandLine(fresh);
        Subcommands.register(cli, args);
        cli.setExitCodeExceptionMapper(e -> errorCode(e).exitCode());
        CommandLine.IParameterExceptionHandler usage = cli.getParameterExceptionHandler();
        cli.setParameterExceptionHandler((e, rest) -> {
            int exit = usage.handleParseException(e, rest);
            if (asksForJson(args)) {
                new Output(System.out, true).error(exit, ErrorCode.CONFIG, fresh.secrets().redact(e.getMessage()));
            }
            return exit;
        });
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> failed(e, fresh, args));
        return cli.execute(args);
    }

    /** A command that threw: its message on stderr (and stdout under --json), the stack trace with -v, the exit code. */
    private static int failed(Exception e, SwitchbackCommand root, String[] args) {
        Secrets secrets = root.secrets();
        String message = secrets.redact(e.getMessage());
        System.err.println("error: " + message);
        if (isVerbose(args)) {
            StringWriter trace = new StringWriter();
            e.printStackTrace(new PrintWriter(trace));
            System.err.print(secrets.redact(trace.toString()));
        }
        ErrorCode code = errorCode(e);
        if (root.json) {
            new Output(System.out, true).error(code.exitCode(), code, message);
        }
        return code.exitCode();
    }

    /** Usage errors are configuration errors; anything but a SwitchbackException is a failure. */
    private static ErrorCode errorCode(Throwable e) {
        if (e instanceof SwitchbackException se) {
            return se.code();
        }
        return e instanceof CommandLine.ParameterException ? ErrorCode.CONFIG : ErrorCode.FAILED;
    }

    /** Whether --json was given, read from the arguments when picocli could not finish reading them. */
    private static boolean asksForJson(String[] args) {
        for (String a : args) {
            if (a.equals("--")) {
                return false;
            }
            if (a.equals("--json")) {
                return true;
            }
        }
        return false;
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
        // the MariaDB driver logs every SQL error it also throws; we report the exception once
        System.setProperty("org.slf4j.simpleLogger.log.org.mariadb.jdbc", "off");
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
