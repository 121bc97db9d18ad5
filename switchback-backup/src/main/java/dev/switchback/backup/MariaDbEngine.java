package dev.switchback.backup;

import dev.switchback.migration.ErrorCode;
import dev.switchback.migration.MigrationConfig;
import dev.switchback.migration.SwitchbackException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * mariadb-dump (or mysqldump) --single-transaction --routines --triggers --events. MariaDB DDL is not
 * transactional, so a restore first loads the dump into a scratch database (a dump that fails to load
 * never touches the target), then replaces the target; if that load fails the target is reloaded from
 * the safety backup taken just before.
 */
final class MariaDbEngine implements DumpEngine {
    private static final Logger log = LoggerFactory.getLogger(MariaDbEngine.class);
    static final String COMPLETED = "-- Dump completed";
    private final BackupConfig backup;
    private final ServerAddress address;
    private final String scheme;
    private boolean targetDropped;

    MariaDbEngine(MigrationConfig config, BackupConfig backup) {
        this.backup = backup;
        this.address = ServerAddress.parse(config.url(), config.user(), config.password(), 3306);
        this.scheme = "mariadb";
    }

    @Override
    public String dialect() {
        return "mariadb/mysql";
    }

    @Override
    public String fileName() {
        return "database.sql";
    }

    private Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        if (address.password() != null && !address.password().isEmpty()) {
            env.put("MYSQL_PWD", address.password());
        }
        return env;
    }

    private List<String> connection(ServerAddress a) {
        List<String> args = new ArrayList<>(List.of("--host=" + a.host(), "--port=" + a.port(), "--protocol=TCP"));
        if (a.user() != null) {
            args.add("--user=" + a.user());
        }
        return args;
    }

    @Override
    public String[] toolAndVersion() {
        String version = Tool.firstLine(new Tool(List.of(backup.mysqlDump(), "--version"), Map.of()).run(backup.mysqlDump() + " --version"));
        new Tool(List.of(backup.mysql(), "--version"), Map.of()).run(backup.mysql() + " --version");
        return new String[]{backup.mysqlDump(), version};
    }

    @Override
    public void dump(OutputStream out) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(backup.mysqlDump(), "--single-transaction", "--routines", "--triggers",
                "--events", "--hex-blob", "--default-character-set=utf8mb4"));
        cmd.addAll(connection(address));
        cmd.add(address.database());
        Tool tool = new Tool(cmd, env());
        Process p = tool.start();
        Tool.StderrTail err = Tool.StderrTail.drain(p);
        try (InputStream in = p.getInputStream()) {
            Tool.copy(in, out);
        }
        int rc = PostgresEngine.waitFor(p);
        if (rc != 0) {
            throw tool.failed(backup.mysqlDump() + " of " + address.database(), rc, err.text());
        }
    }

    @Override
    public void checkReadable(DumpSource dump, String name) throws IOException {
        // the dump tool writes this line last: without it the dump was cut short
        byte[] tail = tail(dump, 4096);
        if (!new String(tail, StandardCharsets.UTF_8).contains(COMPLETED)) {
            throw SegmentedCipher.corrupt(name, "the SQL dump does not end with '" + COMPLETED + "' (cut short)");
        }
    }

    private static byte[] tail(DumpSource dump, int size) throws IOException {
        byte[] ring = new byte[size];
        long total = 0;
        try (InputStream in = dump.open()) {
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) >= 0) {
                for (int i = 0; i < n; i++) {
                    ring[(int) ((total + i) % size)] = buf[i];
                }
                total += n;
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long start = Math.max(0, total - size);
        for (long i = start; i < total; i++) {
            out.write(ring[(int) (i % size)]);
        }
        return out.toByteArray();
    }

    @Override
    public void restore(DumpSource dump, String into) throws IOException {
        String scratch = "sb_restore_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String[] charset = charset(address.database());
        execute("CREATE DATABASE `" + scratch + "` CHARACTER SET " + charset[0] + " COLLATE " + charset[1]);
        try {
            try {
                load(dump, scratch, "loading the dump into scratch database " + scratch);
            } catch (SwitchbackException e) {
                dump.confirm(); // a corrupt file explains a failed load better than the client can: VERIFICATION wins
                throw e;
            }
            dump.confirm(); // the checksum, computed during that load: nothing of the target was touched yet
        } finally {
            execute("DROP DATABASE IF EXISTS `" + scratch + "`");
        }
        if (into != null) {
            validName(into);
            execute("CREATE DATABASE `" + into + "` CHARACTER SET " + charset[0] + " COLLATE " + charset[1]);
            try {
                loadTarget(dump, into, "loading the dump into " + into);
            } catch (IOException | RuntimeException e) {
                // a failed --into leaves no half-loaded database behind: it was made for this restore
                execute("DROP DATABASE IF EXISTS `" + into + "`");
                throw e;
            }
            return;
        }
        targetDropped = true;
        execute("DROP DATABASE `" + address.database() + "`");
        execute("CREATE DATABASE `" + address.database() + "` CHARACTER SET " + charset[0] + " COLLATE " + charset[1]);
        loadTarget(dump, address.database(), "loading the dump into " + address.database());
    }

    /** Past the point of no return a backup that fails to read is a failed restore (to undo), not a refused one. */
    private void loadTarget(DumpSource dump, String database, String step) throws IOException {
        try {
            load(dump, database, step);
        } catch (SwitchbackException e) {
            if (e.code() != ErrorCode.VERIFICATION) {
                throw e;
            }
            throw new SwitchbackException(ErrorCode.FAILED, "Restore failed at step " + step + ": the backup read well the first time "
                    + "but not the second (" + e.getMessage() + ")", e);
        }
    }

    @Override
    public boolean changedTarget() {
        return targetDropped;
    }

    /** Empties the target and loads the safety backup into it (no scratch load: it was just taken from this server). */
    @Override
    public void undo(DumpSource dump) throws IOException {
        String[] charset = charset(address.database());
        execute("DROP DATABASE IF EXISTS `" + address.database() + "`");
        execute("CREATE DATABASE `" + address.database() + "` CHARACTER SET " + charset[0] + " COLLATE " + charset[1]);
        load(dump, address.database(), "reloading " + address.database() + " from the safety backup");
    }

    private void load(DumpSource dump, String database, String step) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(backup.mysql(), "--batch", "--default-character-set=utf8mb4"));
        cmd.addAll(connection(address));
        cmd.add(database);
        Tool tool = new Tool(cmd, env());
        Process p = tool.start();
        Tool.StderrTail err = Tool.StderrTail.drain(p);
        Thread out = PostgresEngine.drain(p.getInputStream());
        try (OutputStream to = p.getOutputStream(); InputStream in = dump.open()) {
            Tool.copy(in, to);
        } catch (IOException e) {
            log.debug("{}: the client stopped reading: {}", step, e.getMessage());
        }
        int rc = PostgresEngine.waitFor(p);
        PostgresEngine.join(out);
        if (rc != 0) {
            throw new SwitchbackException(ErrorCode.FAILED, "Restore failed at step " + step + " (" + tool.name() + " exit " + rc
                    + "): " + err.text().strip());
        }
    }

    private String[] charset(String database) {
        try (Connection c = connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT DEFAULT_CHARACTER_SET_NAME, DEFAULT_COLLATION_NAME FROM information_schema.SCHEMATA "
                     + "WHERE SCHEMA_NAME = '" + database.replace("'", "''") + "'")) {
            return rs.next() ? new String[]{rs.getString(1), rs.getString(2)} : new String[]{"utf8mb4", "utf8mb4_general_ci"};
        } catch (SQLException e) {
            throw new SwitchbackException(ErrorCode.FAILED, "Cannot read the character set of " + database + ": " + e.getMessage(), e);
        }
    }

    private void execute(String sql) {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new SwitchbackException(ErrorCode.FAILED, "Restore step '" + sql + "' failed: " + e.getMessage(), e);
        }
    }

    private static void validName(String name) {
        if (!name.matches("[A-Za-z_][A-Za-z0-9_$]{0,63}")) {
            throw new SwitchbackException(ErrorCode.CONFIG, "--into '" + name + "' is not a plain database name");
        }
    }

    @Override
    public List<String> tables(String into) {
        List<String> out = new ArrayList<>();
        String db = into == null ? address.database() : into;
        try (Connection c = connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_TYPE = 'BASE TABLE' "
                     + "AND TABLE_SCHEMA = '" + db.replace("'", "''") + "' ORDER BY 1")) {
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
        return "not atomic (MariaDB/MySQL DDL commits implicitly): the dump was first loaded into a scratch database, "
                + "and a failed load is undone from the safety backup";
    }

    private Connection connect() throws SQLException {
        java.util.Properties props = new java.util.Properties();
        if (address.user() != null) {
            props.setProperty("user", address.user());
        }
        if (address.password() != null) {
            props.setProperty("password", address.password());
        }
        return DriverManager.getConnection("jdbc:" + scheme + "://" + address.host() + ":" + address.port() + "/", props);
    }
}
