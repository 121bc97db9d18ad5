package dev.switchback.migration;

/** Stable failure categories; each maps to one CLI exit code. */
public enum ErrorCode {
    /** A migration, a connection or an I/O step failed. */
    FAILED(1),
    /** Bad configuration, bad arguments or badly named migration files. */
    CONFIG(2),
    /** The migration lock was not acquired within lockTimeout. */
    LOCK_TIMEOUT(3),
    /** Drift, edited or missing migrations, failed or partial rows. */
    VERIFICATION(4),
    /** Refused as unsafe, e.g. a rollback over a migration without down SQL. */
    UNSAFE(5);

    private final int exitCode;

    ErrorCode(int exitCode) {
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
