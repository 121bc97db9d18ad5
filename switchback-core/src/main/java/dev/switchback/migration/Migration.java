package dev.switchback.migration;

import java.util.Objects;

/**
 * A migration found in the configured locations: its up script and, when present, its down script.
 *
 * <p>Most migrations are built with their text. One whose checksum came from the checksum cache (the file is
 * unchanged since it was last hashed) reads its text only when something asks for it: a start-up check that finds
 * nothing to do compares versions and checksums and never reads the files.
 */
public final class Migration {
    /** Reads a lazily built migration's text: up SQL, down SQL (or null) and the up script's directives. */
    @FunctionalInterface
    public interface Loader {
        Text load();
    }

    /** The text of a migration, normalised. */
    public record Text(String upSql, String downSql, Directives directives) {
    }

    private final Version version;
    private final String description;
    private final String script;
    private final String downScript;
    private final String checksum;
    private Loader loader;
    private Text text;

    /**
     * @param script     where the up script was found, as shown in messages (a path or classpath: name)
     * @param upSql      the up script, BOM removed and line endings normalised to \n
     * @param downScript where the down script was found, or null
     * @param downSql    the down script, normalised, or null
     * @param checksum   SHA-256 (hex) of {@code upSql}
     */
    public Migration(Version version, String description, String script, String upSql, String downScript, String downSql,
                     Directives directives, String checksum) {
        this(version, description, script, downScript, checksum, null, new Text(upSql, downSql, directives));
    }

    private Migration(Version version, String description, String script, String downScript, String checksum, Loader loader,
                      Text text) {
        this.version = Objects.requireNonNull(version);
        this.description = description;
        this.script = script;
        this.downScript = downScript;
        this.checksum = checksum;
        this.loader = loader;
        this.text = text;
    }

    /** A migration whose checksum is known and whose text {@code loader} reads on first use. */
    public static Migration lazy(Version version, String description, String script, String downScript, String checksum,
                                 Loader loader) {
        return new Migration(version, description, script, downScript, checksum, Objects.requireNonNull(loader), null);
    }

    private synchronized Text text() {
        if (text == null) {
            text = loader.load();
            loader = null;
        }
        return text;
    }

    public Version version() {
        return version;
    }

    public String description() {
        return description;
    }

    public String script() {
        return script;
    }

    public String upSql() {
        return text().upSql();
    }

    /** Where the down script was found: its own file, the up file when that holds both directions, or null. */
    public String downScript() {
        return downScript != null ? downScript : downSql() != null ? script : null;
    }

    public String downSql() {
        return text().downSql();
    }

    /** The up script's directives. */
    public Directives directives() {
        return text().directives();
    }

    /**
     * The down script's own directives (a down runs outside a transaction only when it says so itself), or
     * {@link Directives#NONE} when there is no down.
     */
    public Directives downDirectives() {
        String sql = downSql();
        return sql == null ? Directives.NONE : Directives.parse(downScript(), sql);
    }

    /** SHA-256 (hex) of the normalised up script. */
    public String checksum() {
        return checksum;
    }

    /** Whether there is a down: a file of its own, or a down section in the up file (which reads that file). */
    public boolean hasDown() {
        return downScript != null || downSql() != null;
    }

    /** Equal when version, names and checksum are: the up text follows from the checksum. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Migration m && version.equals(m.version) && Objects.equals(description, m.description)
                && Objects.equals(script, m.script) && Objects.equals(downScript, m.downScript) && Objects.equals(checksum, m.checksum);
    }

    @Override
    public int hashCode() {
        return Objects.hash(version, script, checksum);
    }

    @Override
    public String toString() {
        return "Migration[" + version + " " + script + (downScript == null ? "" : " / " + downScript) + "]";
    }
}
