package dev.switchback.migration;

/**
 * A migration found in the configured locations: its up script and, when present, its down script.
 *
 * @param script     where the up script was found, as shown in messages (a path or classpath: name)
 * @param upSql      the up script, BOM removed and line endings normalised to \n
 * @param downScript where the down script was found, or null
 * @param downSql    the down script, normalised, or null
 * @param checksum   SHA-256 (hex) of {@code upSql}
 */
public record Migration(Version version, String description, String script, String upSql,
                        String downScript, String downSql, Directives directives, String checksum) {

    public boolean hasDown() {
        return downSql != null;
    }
}
