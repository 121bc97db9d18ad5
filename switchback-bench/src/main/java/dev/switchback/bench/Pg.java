package dev.switchback.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashSet;
import java.util.Set;

/** The PostgreSQL server: a fresh, uniquely named database per scenario, always dropped afterwards. */
final class Pg {
    private final String baseUrl;
    private final String user;
    private final String password;
    private final boolean asyncCommit;
    private final String prefix = "sbbench_" + ProcessHandle.current().pid() + "_";
    private final Set<String> created = new LinkedHashSet<>();
    private int seq;

    /** @param baseUrl e.g. {@code jdbc:postgresql://127.0.0.1:5432/}; a database name is appended */
    Pg(String baseUrl, String user, String password, boolean asyncCommit) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl : baseUrl + "/";
        this.user = user;
        this.password = password;
        this.asyncCommit = asyncCommit;
        // an interrupted run (Ctrl-C) still drops what it created
        Runtime.getRuntime().addShutdownHook(new Thread(this::dropAll, "drop-bench-databases"));
    }

    String url(String db) {
        return baseUrl + db;
    }

    String user() {
        return user;
    }

    String password() {
        return password;
    }

    Connection connect(String db) throws SQLException {
        return DriverManager.getConnection(url(db), user, password);
    }

    String serverVersion() throws SQLException {
        try (Connection c = connect("postgres"); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SHOW server_version")) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** Creates an empty database named after the scenario (pid + sequence keep parallel runs apart). */
    synchronized String create(String label) throws SQLException {
        String name = prefix + (++seq) + "_" + label.toLowerCase().replaceAll("[^a-z0-9]+", "_");
        admin("CREATE DATABASE " + name);
        created.add(name);
        if (asyncCommit) {
            // a database default, so every tool's sessions get it without any change to the tools' own code
            admin("ALTER DATABASE " + name + " SET synchronous_commit = off");
        }
        return name;
    }

    synchronized void drop(String name) throws SQLException {
        // FORCE: a pooled or leaked connection of a tool under test must not keep the database alive
        admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        created.remove(name);
    }

    synchronized void dropAll() {
        for (String name : Set.copyOf(created)) {
            try {
                drop(name);
            } catch (SQLException e) {
                System.err.println("could not drop database " + name + ": " + e.getMessage());
            }
        }
    }

    /**
     * Writes out what earlier work left dirty, so it is not flushed during (and charged to) the next timed phase:
     * a CHECKPOINT (the server's buffers: the previous tool's tables, a CREATE DATABASE) and a sync (the page
     * cache: e.g. the migration files just generated). Needs a superuser, as the default 'postgres' is; without one
     * it says so once and the runs go on unsettled.
     */
    void settle() {
        try {
            admin("CHECKPOINT");
        } catch (SQLException e) {
            if (!warnedCheckpoint) {
                System.err.println("note: CHECKPOINT refused (" + e.getMessage().strip() + "); phases are not settled");
                warnedCheckpoint = true;
            }
        }
        try {
            new ProcessBuilder("sync").inheritIO().start().waitFor();
        } catch (java.io.IOException e) {
            // no sync on PATH: the server's checkpoint above still settled its part
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean warnedCheckpoint;

    private void admin(String sql) throws SQLException {
        try (Connection c = connect("postgres"); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }
}
