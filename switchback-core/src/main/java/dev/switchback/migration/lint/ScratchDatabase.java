package dev.switchback.migration.lint;

import dev.switchback.migration.ErrorCode;
import dev.switchback.migration.SwitchbackException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The database a rehearsal runs in: a fresh one on the target's server holding a schema-only copy of the target
 * (pg_dump --schema-only, restored with psql), dropped by {@link #close()}; or one the user names, left alone.
 */
final class ScratchDatabase implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ScratchDatabase.class);
    private static final long TOOL_TIMEOUT_MINUTES = 10;
    final PgServer server;
    /** The database we created it from and drop it from; null when the user gave it (we never drop that). */
    private final PgServer admin;
    private boolean dropped;

    private ScratchDatabase(PgServer server, PgServer admin) {
        this.server = server;
        this.admin = admin;
    }

    /** A database the user provides; it must already have the target's schema. */
    static ScratchDatabase given(PgServer server) {
        return new ScratchDatabase(server, null);
    }

    /** Creates {@code switchback_rehearsal_<random>} beside the target and copies the target's schema into it. */
    static ScratchDatabase copyOf(PgServer target, String pgDump, String psql) {
        String name = "switchback_rehearsal_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = target.connect(); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new SwitchbackException(ErrorCode.FAILED, "Cannot create the scratch database " + name + " on " + target.withDatabase("")
                    + ": " + e.getMessage() + ". The user needs CREATEDB, or pass --scratch-url with a database that has "
                    + "the target's schema.", e);
        }
        ScratchDatabase scratch = new ScratchDatabase(target.withDatabase(name), target);
        try {
            scratch.restoreSchemaOf(target, pgDump, psql);
            return scratch;
        } catch (RuntimeException e) {
            scratch.close();
            throw e;
        }
    }

    private void restoreSchemaOf(PgServer target, String pgDump, String psql) {
        Path dump = null;
        try {
            dump = Files.createTempFile("switchback-rehearsal-", ".sql");
            List<String> dumpCmd = new ArrayList<>(List.of(pgDump, "--schema-only", "--no-owner", "--no-privileges",
                    "--no-publications", "--no-subscriptions", "-f", dump.toString()));
            dumpCmd.addAll(target.toolArgs());
            run(dumpCmd, target, "pg_dump --schema-only of " + target);
            List<String> restoreCmd = new ArrayList<>(List.of(psql, "-X", "-q", "-v", "ON_ERROR_STOP=1", "--single-transaction",
                    "-f", dump.toString()));
            restoreCmd.addAll(server.toolArgs());
            run(restoreCmd, server, "psql restoring the schema into " + server.database());
        } catch (IOException e) {
            throw new SwitchbackException(ErrorCode.FAILED, "Cannot copy the schema into " + server.database() + ": " + e.getMessage(), e);
        } finally {
            if (dump != null) {
                try {
                    Files.deleteIfExists(dump);
                } catch (IOException e) {
                    log.debug("Could not delete {}: {}", dump, e.getMessage());
                }
            }
        }
    }

    private static void run(List<String> cmd, PgServer credentials, String what) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(credentials.toolEnv());
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new SwitchbackException(ErrorCode.FAILED, "Cannot run " + cmd.get(0) + " for " + what + " (" + e.getMessage()
                    + "). Install the PostgreSQL client tools (same major version as the server), or pass --scratch-url.", e);
        }
        p.getOutputStream().close();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(TOOL_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new SwitchbackException(ErrorCode.FAILED, what + " did not finish within " + TOOL_TIMEOUT_MINUTES + " minutes");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new SwitchbackException(ErrorCode.FAILED, what + " was interrupted", e);
        }
        if (p.exitValue() != 0) {
            String tail = output.length() > 2000 ? "..." + output.substring(output.length() - 2000) : output;
            throw new SwitchbackException(ErrorCode.FAILED, what + " failed (exit " + p.exitValue() + "):\n" + tail.strip());
        }
    }

    String name() {
        return server.database();
    }

    boolean owned() {
        return admin != null;
    }

    boolean dropped() {
        return dropped;
    }

    /** Drops the database when we created it; FORCE ends any session a failed rehearsal left behind. */
    @Override
    public void close() {
        if (admin == null || dropped) {
            return;
        }
        try (Connection c = admin.connect(); Statement st = c.createStatement()) {
            try {
                st.execute("DROP DATABASE IF EXISTS " + server.database() + " WITH (FORCE)");
            } catch (SQLException e) {
                // before PostgreSQL 13 there is no FORCE; our own connections are closed by now
                st.execute("DROP DATABASE IF EXISTS " + server.database());
            }
            dropped = true;
        } catch (SQLException e) {
            log.warn("Could not drop the scratch database {}: {}. Drop it with: DROP DATABASE {};", server.database(),
                    e.getMessage(), server.database());
        }
    }
}
