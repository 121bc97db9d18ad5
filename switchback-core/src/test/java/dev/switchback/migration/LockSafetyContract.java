package dev.switchback.migration;

import dev.switchback.migration.lock.MigrationLock;
import dev.switchback.migration.testing.OneDatabaseTest;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The lock under attack (killed, frozen and forcibly unlocked migrators), for every dialect; each subclass supplies
 * the database and the attacks only its server allows.
 */
abstract class LockSafetyContract extends OneDatabaseTest {
    /** What status must name of the session holding the lock (the server's id for it); null where a forced unlock frees the lock. */
    abstract String sessionHolding() throws Exception;

    Switchback.Builder config() {
        return Switchback.configure().url(db.url()).user(db.user()).password(db.password()).locations(dir.toString())
                .environment(Map.of()).lockTimeout(Duration.ofSeconds(30));
    }

    Migrator migrator() {
        return config().load();
    }

    void write(String name, String sql) throws Exception {
        Files.writeString(dir.resolve(name), sql);
    }

    @Test
    void afterAForcedUnlockStatusShowsNoLockOrTheSessionThatHoldsIt() throws Exception {
        write("001_t.sql", "CREATE TABLE t (id INTEGER PRIMARY KEY);");
        migrator().migrate();
        try (Database database = Database.open(migrator().config()); MigrationLock lock = database.newLock()) {
            lock.acquire(Duration.ofSeconds(10));
            String session = sessionHolding();
            assertThat(migrator().unlock(true).cleared()).isTrue();
            StatusReport.Lock shown = migrator().status().lock();
            if (session == null) {
                assertThat(shown).isNull();
            } else {
                assertThat(shown).isNotNull();
                assertThat(shown.holder()).doesNotContain("unknown").doesNotContain("pid 0").contains(session)
                        .contains("no holder record");
                assertThat(shown.since()).isNotNull();
            }
        }
        assertThat(migrator().status().lock()).isNull();
    }
}
