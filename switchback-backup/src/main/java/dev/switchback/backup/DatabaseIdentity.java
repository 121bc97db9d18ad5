package dev.switchback.backup;

import dev.switchback.migration.SqliteUrl;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Which database a backup belongs to: the dialect, host, port and database name, or the SQLite file's real path.
 * Retention, {@code --before} and label lookup only ever consider backups of the database at hand, and a restore of
 * another database's backup needs {@code --from-other-database}: backup folders are often shared.
 */
record DatabaseIdentity(String value) {

    static DatabaseIdentity of(String dialect, String url, String user, String password) {
        Path file = SqliteUrl.file(url);
        if (file != null) {
            return new DatabaseIdentity("sqlite:" + realPath(file));
        }
        ServerAddress a = ServerAddress.parse(url, user, password, dialect.equals("postgresql") ? 5432 : 3306);
        return new DatabaseIdentity(dialect + "://" + a.host().toLowerCase(Locale.ROOT) + ":" + a.port() + "/" + a.database());
    }

    /** The identity a manifest records; for one written before identities were, derived from its masked URL. */
    static DatabaseIdentity of(Manifest m) {
        if (m.identity() != null) {
            return new DatabaseIdentity(m.identity());
        }
        try {
            return of(m.dialect(), m.database(), null, null);
        } catch (RuntimeException e) {
            return new DatabaseIdentity("unknown:" + m.database());
        }
    }

    private static Path realPath(Path file) {
        Path abs = file.toAbsolutePath().normalize();
        try {
            return Files.exists(abs) ? abs.toRealPath() : abs.getParent().toRealPath().resolve(abs.getFileName());
        } catch (IOException | RuntimeException e) {
            return abs;
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
