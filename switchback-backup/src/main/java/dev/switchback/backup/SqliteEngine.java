package dev.switchback.backup;

import dev.switchback.migration.ErrorCode;
import dev.switchback.migration.MigrationConfig;
import dev.switchback.migration.SqliteUrl;
import dev.switchback.migration.SwitchbackException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The SQLite online backup API (through the JDBC driver). Restore writes a temporary file beside the
 * database, checks it, and renames it over the database: atomic on one filesystem. Stop writers first:
 * a process that keeps the old file open keeps writing to the old file.
 */
final class SqliteEngine implements DumpEngine {
    private final Path file;
    private boolean renamed;

    SqliteEngine(MigrationConfig config) {
        Path named = SqliteUrl.file(config.url());
        if (named == null) {
            throw new SwitchbackException(ErrorCode.CONFIG, "An in-memory SQLite database cannot be backed up");
        }
        this.file = named.toAbsolutePath();
    }

    @Override
    public String dialect() {
        return "sqlite";
    }

    @Override
    public String fileName() {
        return "database.sqlite";
    }

    @Override
    public String[] toolAndVersion() {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite::memory:"); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT sqlite_version()")) {
            rs.next();
            return new String[]{"sqlite backup API", "SQLite " + rs.getString(1)};
        } catch (SQLException e) {
            throw new SwitchbackException(ErrorCode.FAILED, "SQLite driver unavailable: " + e.getMessage(), e);
        }
    }

    @Override
    public void dump(OutputStream out) throws IOException {
        if (!Files.exists(file)) {
            throw new SwitchbackException(ErrorCode.FAILED, "SQLite database " + file + " does not exist: nothing to back up");
        }
        Path tmp = Files.createTempFile(file.getParent(), "." + file.getFileName() + ".backup-", ".tmp");
        try {
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = c.createStatement()) {
                st.execute("PRAGMA busy_timeout = 30000");
                st.executeUpdate("backup to " + tmp);
            } catch (SQLException e) {
                throw new SwitchbackException(ErrorCode.FAILED, "SQLite backup of " + file + " failed: " + e.getMessage(), e);
            }
            Files.copy(tmp, out);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    @Override
    public void checkReadable(DumpSource dump, String name) throws IOException {
        Path tmp = Files.createTempFile("switchback-verify-", ".sqlite");
        try {
            try (InputStream in = dump.open()) {
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            }
            check(tmp, name);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static void check(Path db, String name) {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("PRAGMA quick_check")) {
            rs.next();
            if (!"ok".equals(rs.getString(1))) {
                throw SegmentedCipher.corrupt(name, "SQLite quick_check says " + rs.getString(1));
            }
        } catch (SQLException e) {
            throw SegmentedCipher.corrupt(name, "it is not a readable SQLite database (" + e.getMessage() + ")");
        }
    }

    @Override
    public void restore(DumpSource dump, String into) throws IOException {
        Path target = into == null ? file : file.resolveSibling(into).toAbsolutePath();
        if (into != null && Files.exists(target)) {
            throw new SwitchbackException(ErrorCode.CONFIG, "--into " + target + " exists; --into never overwrites");
        }
        Files.createDirectories(target.getParent());
        Path tmp = Files.createTempFile(target.getParent(), "." + target.getFileName() + ".restore-", ".tmp");
        try {
            try (InputStream in = dump.open()) {
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            }
            dump.confirm();
            check(tmp, "the restored copy");
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            renamed = into == null;
            // journal files of the replaced database belong to the old file
            for (String suffix : new String[]{"-journal", "-wal", "-shm"}) {
                Files.deleteIfExists(Path.of(target + suffix));
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    @Override
    public boolean changedTarget() {
        return renamed;
    }

    @Override
    public List<String> tables(String into) {
        Path db = into == null ? file : file.resolveSibling(into);
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY 1")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        } catch (SQLException e) {
            throw new SwitchbackException(ErrorCode.FAILED, "Cannot list tables: " + e.getMessage(), e);
        }
        return out;
    }

    @Override
    public String atomicity() {
        return "atomic (a checked copy renamed over the file)";
    }
}
