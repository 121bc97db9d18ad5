package dev.switchback.spring;

import dev.switchback.migration.MigrateResult;
import dev.switchback.migration.Migrator;
import dev.switchback.migration.Setting;
import dev.switchback.migration.Switchback;
import dev.switchback.migration.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The health while another migrator holds the lock on the real PostgreSQL: up while it has held it for less than the
 * lock timeout (the holder shown), down once it has held it longer ("stuck": a migrator waiting for it now would give
 * up), up again when it is released. The holder is a real migrate on another connection, blocked by a table lock the
 * test holds; the lock's age is judged with a clock moved forward instead of waiting it out.
 */
class SwitchbackHealthIT {
    private static final Duration LOCK_TIMEOUT = Duration.ofMinutes(10);

    private TestDatabase db;

    @TempDir
    Path migrations;

    @BeforeEach
    void setUp() throws Exception {
        db = TestDatabase.postgres();
        Files.writeString(migrations.resolve("V1__create_items.sql"), "CREATE TABLE items (id INT PRIMARY KEY);\n");
        Files.writeString(migrations.resolve("V2__fill_items.sql"), "INSERT INTO items VALUES (1);\n");
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    private Migrator migrator(String target) {
        Switchback.Builder b = Switchback.configure().url(db.url()).user(db.user()).locations(migrations.toString())
                .lockTimeout(LOCK_TIMEOUT).environment(Map.of())
                .set(Setting.STATEMENT_LOCK_TIMEOUT, "0"); // the blocked statement waits for the test's table lock
        if (target != null) {
            b.set(Setting.TARGET, target);
        }
        return b.load();
    }

    @Test
    @SuppressWarnings("unchecked")
    void downWhileTheLockIsHeldLongerThanTheLockTimeoutAndUpOnceReleased() throws Exception {
        migrator("1").migrate();
        Migrator observer = migrator(null);
        SwitchbackHealth now = new SwitchbackHealth(observer, Clock.systemUTC());
        SwitchbackHealth later = new SwitchbackHealth(observer, Clock.offset(Clock.systemUTC(), LOCK_TIMEOUT.plusMinutes(1)));
        assertThat(now.check().up()).isTrue();
        assertThat(later.check().up()).as("no lock held: nothing is stuck, however late").isTrue();

        CompletableFuture<MigrateResult> holder;
        try (Connection blocker = db.connect()) {
            blocker.setAutoCommit(false);
            try (Statement st = blocker.createStatement()) {
                st.execute("LOCK TABLE items IN ACCESS EXCLUSIVE MODE");
            }
            holder = CompletableFuture.supplyAsync(() -> migrator(null).migrate());
            SwitchbackHealth.Result held = awaitLock(now);

            assertThat(held.up()).as("held for less than the lock timeout: a migration in progress").isTrue();
            Map<String, Object> lock = (Map<String, Object>) held.details().get("lock");
            assertThat((String) lock.get("holder")).contains("pid " + ProcessHandle.current().pid());
            assertThat(lock.get("stuck")).isEqualTo(false);

            SwitchbackHealth.Result stuck = later.check();
            assertThat(stuck.up()).as("held longer than the lock timeout: stuck").isFalse();
            assertThat(((Map<String, Object>) stuck.details().get("lock")).get("stuck")).isEqualTo(true);
            assertThat(stuck.details()).containsEntry("current", "1").containsEntry("pending", 1);
            assertThat(holder).isNotDone();
            blocker.rollback();
        }

        assertThat(holder.get(60, TimeUnit.SECONDS).applied()).hasSize(1);
        SwitchbackHealth.Result released = later.check();
        assertThat(released.up()).isTrue();
        assertThat(released.details()).doesNotContainKey("lock").containsEntry("current", "2").containsEntry("pending", 0);
    }

    /** Polls until the other migrator holds the lock (it takes it, then blocks on the table lock). */
    private static SwitchbackHealth.Result awaitLock(SwitchbackHealth health) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            SwitchbackHealth.Result r = health.check();
            if (r.details().containsKey("lock")) {
                return r;
            }
            assertThat(System.nanoTime()).as("the other migrator took the lock within 60 s").isLessThan(deadline);
            Thread.sleep(50);
        }
    }
}
