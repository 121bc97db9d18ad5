package dev.switchback.migration;

import dev.switchback.migration.lock.LeaseLock;
import dev.switchback.migration.lock.LockRecord;
import dev.switchback.migration.lock.MigrationLock;
import dev.switchback.migration.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A SQLite migrator whose lease another migrator took over stops without writing anything. */
class SqliteLeaseIT {
    private static final Duration LEASE = Duration.ofSeconds(30);
    @TempDir
    Path tmp;
    Path dir;
    TestDatabase db;

    @BeforeEach
    void setUp() throws Exception {
        db = TestDatabase.sqlite(tmp);
        dir = Files.createDirectories(tmp.resolve("migrations"));
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    Switchback.Builder config() {
        return Switchback.configure().url(db.url()).locations(dir.toString()).environment(Map.of())
                .lockTimeout(Duration.ofSeconds(10)).lockLease(LEASE);
    }

    /** Takes the lease as a migrator whose clock is past the lease would: it finds ours expired. */
    MigrationLock takeOverFromTheFuture() {
        Clock later = Clock.offset(Clock.systemUTC(), LEASE.plusSeconds(5));
        LeaseLock taker = new LeaseLock(() -> {
            Connection c = db.connect();
            return c;
        }, new LockRecord("\"switchback_lock\"", "taker"), sqliteLockTableDdl(), LEASE, later);
        taker.acquire(Duration.ofSeconds(5));
        return taker;
    }

    static java.util.List<String> sqliteLockTableDdl() {
        return dev.switchback.migration.dialect.Dialects.forUrl("jdbc:sqlite:x").lockTableDdl("switchback_lock");
    }

    @Test
    void aMigratorWhoseLeaseWasTakenOverStopsAndWritesNothing() throws Exception {
        Files.writeString(dir.resolve("001_first.sql"), "CREATE TABLE first (id INTEGER PRIMARY KEY);");
        Files.writeString(dir.resolve("002_second.sql"), "CREATE TABLE second (id INTEGER PRIMARY KEY);\nINSERT INTO second VALUES (1);");
        MigrationLock[] taker = new MigrationLock[1];
        MigrationListener takeOverAfterFirst = new MigrationListener() {
            @Override
            public void applied(AppliedStep step) {
                taker[0] = takeOverFromTheFuture();
            }
        };
        try {
            assertThatThrownBy(() -> config().listener(takeOverAfterFirst).load().migrate())
                    .isInstanceOfSatisfying(SwitchbackException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.LOCK_TIMEOUT);
                        assertThat(e.getMessage()).contains("taken over").contains("taker").contains("002");
                    });
            assertThat(db.tableExists("second")).isFalse();
            assertThat(db.count("SELECT COUNT(*) FROM switchback_history")).isEqualTo(1);
            assertThat(db.count("SELECT COUNT(*) FROM switchback_history WHERE state <> 'success'")).isZero();
            assertThat(db.count("SELECT COUNT(*) FROM switchback_log WHERE outcome = 'failed'")).isZero();
            assertThat(db.count("SELECT COUNT(*) FROM switchback_lock WHERE holder = 'taker'")).isEqualTo(1);
        } finally {
            if (taker[0] != null) {
                taker[0].close();
            }
        }
        MigrateResult r = config().load().migrate();
        assertThat(r.applied()).extracting(AppliedStep::version).containsExactly("002");
    }

    @Test
    void aNoTransactionMigrationChecksTheLeaseBeforeEachStatement() throws Exception {
        Files.writeString(dir.resolve("001_first.sql"), "CREATE TABLE first (id INTEGER PRIMARY KEY);");
        Files.writeString(dir.resolve("002_second.sql"), "-- switchback:no-transaction\n"
                + "CREATE TABLE second (id INTEGER PRIMARY KEY);\nINSERT INTO second VALUES (1);");
        MigrationLock[] taker = new MigrationLock[1];
        MigrationListener takeOverAfterFirst = new MigrationListener() {
            @Override
            public void applied(AppliedStep step) {
                taker[0] = takeOverFromTheFuture();
            }
        };
        try {
            assertThatThrownBy(() -> config().listener(takeOverAfterFirst).load().migrate())
                    .isInstanceOfSatisfying(SwitchbackException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.LOCK_TIMEOUT));
            assertThat(db.tableExists("second")).isFalse();
            assertThat(db.count("SELECT COUNT(*) FROM switchback_history")).isEqualTo(1);
            assertThat(db.count("SELECT COUNT(*) FROM switchback_log WHERE outcome = 'failed'")).isZero();
        } finally {
            if (taker[0] != null) {
                taker[0].close();
            }
        }
        assertThat(config().load().migrate().applied()).extracting(AppliedStep::version).containsExactly("002");
    }

    @Test
    void aMigratorKilledInTheMiddleOfAWriteIsTakenOverWithoutBusyErrors() throws Exception {
        db.execute("CREATE TABLE slow_control (n INTEGER)");
        db.execute("INSERT INTO slow_control VALUES (20)");
        Files.writeString(dir.resolve("001_first.sql"), "CREATE TABLE first (id INTEGER PRIMARY KEY);");
        Files.writeString(dir.resolve("002_slow.sql"), "CREATE TABLE written (id INTEGER PRIMARY KEY);\nINSERT INTO written VALUES (1);\n"
                + db.slowStatement() + ";\nCREATE TABLE after_slow (id INTEGER PRIMARY KEY);\n");
        Path log = tmp.resolve("killed.log");
        Process p = KilledMigrators.start(db, dir, log);
        try {
            KilledMigrators.awaitWhileAlive(p, log, () -> Files.exists(Path.of(db.url().substring("jdbc:sqlite:".length()) + "-journal"))
                    && KilledMigrators.count(db, "SELECT COUNT(*) FROM switchback_history") == 1);
        } finally {
            KilledMigrators.kill(p);
        }
        db.execute("UPDATE slow_control SET n = 0");
        MigrateResult r = config().lockLease(Duration.ofMillis(2000)).lockRetries(0).load().migrate();
        assertThat(r.applied()).extracting(AppliedStep::version).containsExactly("002");
        assertThat(db.count("SELECT COUNT(*) FROM written")).isEqualTo(1);
    }

    /**
     * The lease heartbeat writes on a connection of its own: a migration that read before writing found it holding
     * the write lock and got SQLITE_BUSY at once (SQLite's deadlock rule), on every retry while it outlasted a beat.
     */
    @Test
    void aMigrationOutlastingHeartbeatsIsNotBrokenByThem() throws Exception {
        db.execute("CREATE TABLE slow_control (n INTEGER)");
        db.execute("INSERT INTO slow_control VALUES (1)");
        Files.writeString(dir.resolve("001_slow.sql"), db.slowStatement() + ";\nCREATE TABLE after_slow (id INTEGER PRIMARY KEY);\n");
        MigrateResult r = config().lockLease(Duration.ofMillis(300)).lockRetries(0).load().migrate();
        assertThat(r.applied()).extracting(AppliedStep::version).containsExactly("001");
        assertThat(db.tableExists("after_slow")).isTrue();
    }
}
