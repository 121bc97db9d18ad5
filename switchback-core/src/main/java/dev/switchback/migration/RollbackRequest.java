package dev.switchback.migration;

/**
 * What to undo: exactly one of {@code to} (undo everything above it; 0 undoes all), {@code steps}
 * (the newest N) or {@code version} (only when it is the newest applied).
 */
public record RollbackRequest(Version to, Integer steps, Version version, boolean dryRun) {

    public static RollbackRequest to(String version) {
        return new RollbackRequest(Version.parse(version), null, null, false);
    }

    public static RollbackRequest steps(int n) {
        return new RollbackRequest(null, n, null, false);
    }

    public static RollbackRequest version(String version) {
        return new RollbackRequest(null, null, Version.parse(version), false);
    }

    public RollbackRequest dryRun(boolean dry) {
        return new RollbackRequest(to, steps, version, dry);
    }
}
