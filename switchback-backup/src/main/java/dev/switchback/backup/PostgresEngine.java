package dev.switchback.backup;

import dev.switchback.migration.ErrorCode;
import dev.switchback.migration.MigrationConfig;
import dev.switchback.migration.SwitchbackException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * pg_dump --format=custom; restore through {@code pg_restore -f - | psql} (an OS pipe) inside one transaction that first
 * drops every schema, so the result is exactly the backup (objects created after it are gone too) and a
 * failure anywhere, even a killed pg_restore, leaves the database as it was.
 */
final class PostgresEngine implements DumpEngine {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(PostgresEngine.class);
    private final MigrationConfig config;
    private final BackupConfig backup;
    private final ServerAddress address;
    private PgRestorePipeline pipeline;
    private ServerAddress restoredInto;
    private String restoringInto;

    PostgresEngine(MigrationConfig config, BackupConfig backup) {
        this.config = config;
        this.backup = backup;
        this.address = ServerAddress.parse(config.url(), config.user(), config.password(), 5432);
    }

    @Override
    public String dialect() {
        return "postgresql";
    }

    @Override
    public String fileName() {
        return "database.dump";
    }

    private Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        if (address.password() != null) {
            env.put("PGPASSWORD", address.password());
        }
        env.put("PGCONNECT_TIMEOUT", "10");
        return env;
    }

    private List<String> connection(ServerAddress a) {
        List<String> args = new ArrayList<>(List.of("-h", a.host(), "-p", String.valueOf(a.port()), "--no-password", "-d", a.database()));
        if (a.user() != null) {
            args.add("-U");
            args.add(a.user());
        }
        return args;
    }

    @Override
    public String[] toolAndVersion() {
        String version = Tool.firstLine(new Tool(List.of(backup.pgDump(), "--version"), Map.of()).run("pg_dump --version"));
        int toolMajor = Tool.majorVersion(version);
        int serverMajor;
        try (Connection c = connect(address); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SHOW server_version_num")) {
            rs.next();
            serverMajor = Integer.parseInt(rs.getString(1)) / 10000;
        } catch (SQLException e) {
            throw new SwitchbackException(ErrorCode.FAILED, "Cannot read the server version: " + e.getMessage(), e);
        }
        if (toolMajor < serverMajor) {
            throw new SwitchbackException(ErrorCode.CONFIG, version + " cannot dump a PostgreSQL " + serverMajor
                    + " server (pg_dump must be at least the server's major version). Install postgresql-client-" + serverMajor
                    + " or point backup.pgDump at it. Nothing was written.");
        }
        return new String[]{"pg_dump", version};
    }

    @Override
    public void dump(OutputStream out) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(backup.pgDump(), "--format=custom"));
        cmd.addAll(connection(address));
        Tool tool = new Tool(cmd, env());
        Process p = tool.start();
        Tool.StderrTail err = Tool.StderrTail.drain(p);
        try (InputStream in = p.getInputStream()) {
            Tool.copy(in, out);
        }
        int rc = waitFor(p);
        if (rc != 0) {
            throw tool.failed("pg_dump of " + address.database(), rc, err.text());
        }
    }

    @Override
    public void checkReadable(DumpSource dump, String name) throws IOException {
        List<String> entries = list(dump, name);
        if (entries.stream().noneMatch(l -> l.contains("ENCODING") || l.contains("TABLE") || l.contains("SCHEMA"))) {
            throw SegmentedCipher.corrupt(name, "pg_restore --list shows no objects");
        }
    }

    private List<String> list(DumpSource dump, String name) throws IOException {
        Tool tool = new Tool(List.of(backup.pgRestore(), "--list"), Map.of());
        Process p = tool.start();
        Tool.StderrTail err = Tool.StderrTail.drain(p);
        Feeder feeder = new Feeder(dump, p.getOutputStream());
        String out = Tool.drainToString(p.getInputStream());
        int rc = waitFor(p);
        feeder.finish();
        if (rc != 0) {
            throw SegmentedCipher.corrupt(name, "pg_restore --list cannot read it: " + err.text().strip());
        }
        return out.lines().filter(l -> !l.startsWith(";")).toList();
    }

    @Override
    public void restore(DumpSource dump, String into) throws IOException {
        ServerAddress target = into == null ? address : address.withDatabase(into);
        List<String> toc = list(dump, "the dump");
        boolean dumpHasPublic = toc.stream().anyMatch(l -> l.matches(".*\\bSCHEMA - public\\b.*"));
        StringBuilder statements = new StringBuilder();
        if (into != null) {
            createDatabase(into);
            if (dumpHasPublic) {
                statements.append("DROP SCHEMA public;\n");
            }
        } else {
            statements.append(dropEverything(dumpHasPublic));
            // large objects belong to the database, not to a schema: the dump brings its own back with their oids
            statements.append("SELECT pg_catalog.lo_unlink(oid) FROM pg_catalog.pg_largeobject_metadata;\n");
        }
        pipeline = new PgRestorePipeline(new PgRestorePipeline.PsqlTools() {
            @Override
            public Tool pgRestore(List<String> args) {
                List<String> cmd = new ArrayList<>(List.of(backup.pgRestore()));
                cmd.addAll(args);
                return new Tool(cmd, Map.of());
            }

            @Override
            public Tool psql(List<String> args) {
                List<String> cmd = new ArrayList<>(List.of(backup.psql(), "-X", "-q", "-v", "ON_ERROR_STOP=1"));
                cmd.addAll(connection(target));
                cmd.addAll(args);
                return new Tool(cmd, env());
            }
        });
        restoredInto = target;
        restoringInto = into;
        try {
            pipeline.run(dump, toc, statements.toString(), target.database());
        } catch (IOException | RuntimeException e) {
            if (into != null) {
                dropCreated(into);
            }
            throw e;
        }
        dropMarker(target);
    }

    /** The marker schema committed with the restore is no part of the backup. */
    private void dropMarker(ServerAddress target) {
        try (Connection c = connect(target); Statement st = c.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS " + pipeline.marker());
        } catch (SQLException e) {
            log.warn("The restore succeeded; the empty schema {} it used as a marker is left: drop it ({})", pipeline.marker(), e.getMessage());
        }
    }

    /** A failed --into leaves no half-restored database behind: it was made for this restore. */
    private void dropCreated(String name) {
        try (Connection c = connect(address); Statement st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS \"" + name + "\" WITH (FORCE)");
        } catch (SQLException e) {
            log.warn("Could not drop {} after the failed restore into it: {}", name, e.getMessage());
        }
    }

    /**
     * Whether a failed restore changed the target: only when COMMIT was sent and psql then failed can it have, and the
     * marker schema, created first in the restore's transaction, tells whether anything of it was committed.
     */
    @Override
    public boolean changedTarget() {
        if (pipeline == null || restoringInto != null) {
            // nothing began, or the target was a database made for this restore (dropped again on failure)
            return false;
        }
        try (Connection c = connect(restoredInto); Statement st = c.createStatement()) {
            boolean committed;
            try (ResultSet rs = st.executeQuery("SELECT 1 FROM pg_namespace WHERE nspname = '" + pipeline.marker() + "'")) {
                committed = rs.next();
            }
            if (committed) {
                st.execute("DROP SCHEMA IF EXISTS " + pipeline.marker() + " CASCADE");
            }
            return committed;
        } catch (SQLException e) {
            // it cannot be told: only a restore that provably did nothing counts as not having changed anything
            return true;
        }
    }

    /** Drops every user schema; recreates public with the owner and privileges it has now. */
    private String dropEverything(boolean dumpHasPublic) {
        StringBuilder sb = new StringBuilder();
        try (Connection c = connect(address); Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT quote_ident(nspname) FROM pg_namespace WHERE nspname NOT IN "
                    + "('pg_catalog', 'information_schema') AND nspname NOT LIKE 'pg\\_toast%' AND nspname NOT LIKE 'pg\\_temp%' "
                    + "ORDER BY 1")) {
                while (rs.next()) {
                    sb.append("DROP SCHEMA ").append(rs.getString(1)).append(" CASCADE;\n");
                }
            }
            if (!dumpHasPublic) {
                // as CREATE DATABASE makes it: pg_dump leaves this default comment out of the dump, and writes any other
                sb.append("CREATE SCHEMA public;\nCOMMENT ON SCHEMA public IS 'standard public schema';\n");
                try (ResultSet rs = st.executeQuery("SELECT quote_ident(nspowner::regrole::text) FROM pg_namespace WHERE nspname = 'public'")) {
                    if (rs.next()) {
                        sb.append("ALTER SCHEMA public OWNER TO ").append(rs.getString(1)).append(";\n");
                    }
                }
                try (ResultSet rs = st.executeQuery("SELECT CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(a.grantee::regrole::text) END, "
                        + "a.privilege_type FROM pg_namespace n, aclexplode(n.nspacl) a WHERE n.nspname = 'public' AND a.grantee <> n.nspowner")) {
                    while (rs.next()) {
                        sb.append("GRANT ").append(rs.getString(2)).append(" ON SCHEMA public TO ").append(rs.getString(1)).append(";\n");
                    }
                }
            }
        } catch (SQLException e) {
            throw new SwitchbackException(ErrorCode.FAILED, "Cannot list the schemas of " + address.database() + ": " + e.getMessage(), e);
        }
        return sb.toString();
    }

    private void createDatabase(String name) {
        if (!name.matches("[A-Za-z_][A-Za-z0-9_$]{0,62}")) {
            throw new SwitchbackException(ErrorCode.CONFIG, "--into '" + name + "' is not a plain database name");
        }
        try (Connection c = connect(address); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE \"" + name + "\"");
        } catch (SQLException e) {
            throw new SwitchbackException(ErrorCode.FAILED, "Cannot create database " + name + " for --into: " + e.getMessage()
                    + ("42P04".equals(e.getSQLState()) ? " (it exists: pick a new name, --into never overwrites)" : ""), e);
        }
    }

    @Override
    public List<String> tables(String into) {
        List<String> out = new ArrayList<>();
        try (Connection c = connect(into == null ? address : address.withDatabase(into)); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT table_schema || '.' || table_name FROM information_schema.tables "
                     + "WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY 1")) {
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
        return "atomic (one transaction)";
    }

    private Connection connect(ServerAddress a) throws SQLException {
        String url = "jdbc:postgresql://" + a.host() + ":" + a.port() + "/" + a.database();
        java.util.Properties props = new java.util.Properties();
        if (a.user() != null) {
            props.setProperty("user", a.user());
        }
        if (a.password() != null) {
            props.setProperty("password", a.password());
        }
        return DriverManager.getConnection(url, props);
    }

    /** Copies the dump into a child's stdin on its own thread; the stdin is closed whatever happens. */
    static final class Feeder {
        private final Thread thread;
        private volatile RuntimeException failure;

        /** Closes the child's stdin (it reads the file itself) and reads the dump through {@link DumpSource#open()}. */
        static Feeder hashing(DumpSource dump, OutputStream childStdin) {
            try {
                childStdin.close();
            } catch (IOException ignored) {
                // it does not read stdin
            }
            return new Feeder(dump, OutputStream.nullOutputStream());
        }

        Feeder(DumpSource dump, OutputStream to) {
            thread = new Thread(() -> {
                try (OutputStream out = to; InputStream in = dump.open()) {
                    Tool.copy(in, out);
                } catch (IOException ignored) {
                    // the child stopped reading; its exit code says why
                } catch (RuntimeException e) {
                    failure = e;
                }
            }, "switchback-feed");
            thread.setDaemon(true);
            thread.start();
        }

        /** Waits for the copy; rethrows a decryption failure, which explains the child's failure better than it can. */
        void finish() {
            join(thread);
            if (failure != null) {
                throw failure;
            }
        }
    }

    static Thread drain(InputStream in) {
        Thread t = new Thread(() -> {
            try (in) {
                in.transferTo(OutputStream.nullOutputStream());
            } catch (IOException ignored) {
                // nothing to keep
            }
        }, "switchback-drain");
        t.setDaemon(true);
        t.start();
        return t;
    }

    static int waitFor(Process p) {
        try {
            return p.waitFor();
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    static void join(Thread t) {
        join(t, 10_000);
    }

    static void join(Thread t, long millis) {
        try {
            t.join(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
