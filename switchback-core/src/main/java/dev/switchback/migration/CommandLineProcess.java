package dev.switchback.migration;

/**
 * Whether this JVM is {@code bin/switchback}'s: a fresh process that runs one command and exits. What only pays off in
 * the first second of a process, or changes how its connections behave, is done there only, never inside an
 * application or the daemon: a second connection for the status's schema ({@link SchemaAhead}), blocking sockets
 * for PostgreSQL (an interrupt closes a socket channel, which a plain socket ignores), and loading the JDK's locale
 * data while the connection opens.
 */
public final class CommandLineProcess {
    /** The system property the CLI's main method sets, before anything else runs. */
    public static final String PROPERTY = "switchback.commandLine";

    private CommandLineProcess() {
    }

    /** Marks this JVM as the command line's; call first thing in main. */
    public static void mark() {
        System.setProperty(PROPERTY, "true");
    }

    /** Whether {@link #mark} was called in this JVM. */
    public static boolean active() {
        return Boolean.getBoolean(PROPERTY);
    }
}
