package dev.switchback.migration.lint;

/** PostgreSQL's table lock modes, weakest first, named as pg_locks names them. */
public enum PgLock {
    ACCESS_SHARE("AccessShareLock", "conflicts only with ACCESS EXCLUSIVE"),
    ROW_SHARE("RowShareLock", "reads and writes continue"),
    ROW_EXCLUSIVE("RowExclusiveLock", "reads and writes continue"),
    SHARE_UPDATE_EXCLUSIVE("ShareUpdateExclusiveLock", "reads and writes continue"),
    SHARE("ShareLock", "blocks writes"),
    SHARE_ROW_EXCLUSIVE("ShareRowExclusiveLock", "blocks writes"),
    EXCLUSIVE("ExclusiveLock", "blocks writes"),
    ACCESS_EXCLUSIVE("AccessExclusiveLock", "blocks reads and writes");

    private final String mode;
    private final String effect;

    PgLock(String mode, String effect) {
        this.mode = mode;
        this.effect = effect;
    }

    /** The name pg_locks.mode uses. */
    public String mode() {
        return mode;
    }

    /** What the lock does to other sessions' queries. */
    public String effect() {
        return effect;
    }

    /** Whether other sessions' INSERT/UPDATE/DELETE wait for it. */
    public boolean blocksWrites() {
        return ordinal() >= SHARE.ordinal();
    }

    /** The lock for a pg_locks mode name, or null. */
    public static PgLock ofMode(String mode) {
        for (PgLock l : values()) {
            if (l.mode.equals(mode)) {
                return l;
            }
        }
        return null;
    }

    /** The lock for {@code LOCK TABLE ... IN <words> MODE}, e.g. "SHARE ROW EXCLUSIVE", or null. */
    static PgLock ofSql(String words) {
        String key = words.strip().replaceAll("\\s+", "_");
        for (PgLock l : values()) {
            if (l.name().equals(key)) {
                return l;
            }
        }
        return null;
    }
}
