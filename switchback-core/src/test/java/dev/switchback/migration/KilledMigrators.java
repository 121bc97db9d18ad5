package dev.switchback.migration;

import dev.switchback.migration.testing.MigrateMain;
import dev.switchback.migration.testing.TestDatabase;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/** Migrators in child processes that the safety tests kill or freeze, and waits bounded in time. */
final class KilledMigrators {
    private KilledMigrators() {
    }

    static Process start(TestDatabase db, Path dir, Path log) throws Exception {
        return MigrateMain.command(db, dir, 2000).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** Polls until {@code condition} holds, failing with the child's log if it takes a minute or the child exits. */
    static void awaitWhileAlive(Process p, Path log, BooleanSupplier condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("timed out: " + Files.readString(log)).isLessThan(deadline);
            assertThat(p.isAlive()).as(Files.readString(log)).isTrue();
            Thread.sleep(100);
        }
    }

    static void await(BooleanSupplier condition, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("timed out waiting for " + what).isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    static void signal(Process p, String signal) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(p.pid())).inheritIO().start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(kill.exitValue()).isZero();
    }

    static void kill(Process p) throws Exception {
        p.destroyForcibly(); // SIGKILL, also of a stopped process
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
    }

    /** {@code db.count(sql)} for use in conditions. */
    /** The count, or -1 while the child has not created the table yet (or holds a lock the read cannot wait out). */
    static long count(TestDatabase db, String sql) {
        try {
            return db.count(sql);
        } catch (java.sql.SQLException e) {
            return -1;
        }
    }
}
