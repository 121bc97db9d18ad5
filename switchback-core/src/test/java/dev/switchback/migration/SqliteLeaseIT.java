package dev.switchback.migration;

import dev.switchback.migration.lock.LeaseLock;
import dev.switchback.migration.lock.LockRecord;
import dev.switchback.migration.lock.MigrationLock;
import dev.switchback.migration.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** SQLite: a migrator whose lease another migrator took over stops without writing anything; lease beats never fail it. */
class SqliteLeaseIT extends LockSafetyContract {
    private static final Duration LEASE = Duration.ofSeconds(30);

    @Override
    protected TestDatabase newDatabase(Path tmp) {
        return TestDatabase.sqlite(tmp);
    }

    @Override
    String sessionHolding() {
        return null;
    }

    @Override
    Switchback.Builder config() {
        return super.config().lockTimeout(Duration.ofSeconds(10)).lockLease(LEASE);
    }

    /** Takes the lease as a migrator whose clock is past the lease would: it finds ours expired. */
    MigrationLock takeOverFromTheFuture() {
        Clock later = Clock.offset(Clock.systemUTC(), LEASE.plusSeconds(5));
        LeaseLock taker = new LeaseLock(db::connect, new LockRecord("\"switchback_lock\"", "taker"), sqliteLockTableDdl(), LEASE, later);
        taker.acquire(Duration.ofSeconds(5));
        return taker;
    }

    static java.util.List<String> sqliteLockTableDdl() {
        return dev.switchback.migration.dialect.Dialects.forUrl("jdbc:sqlite:x").lockTableDdl("switchback_lock");
    }

    /** Runs migrate while another migrator takes the lease over right after the first migration; returns its failure. */
    SwitchbackException migrateLosingTheLeaseAfterTheFirstMigration() {
        MigrationLock[] taker = new MigrationLock[1];
        MigrationListener takeOverAfterFirst = new MigrationListener() {
            @Override
            public void applied(AppliedStep step) {
                taker[0] = takeOverFromTheFuture();
            }
        };
        try {
            config().listener(takeOverAfterFirst).load().migrate();
            throw new AssertionError("migrate went on without its lease");
        } catch (SwitchbackException e) {
            return e;
        } finally {
            if (taker[0] != null) {
                taker[0].close();
            }
        }
    }

    void assertOnlyTheFirstIsRecorded() throws Exception {
        assertThat(db.tableExists("second")).isFalse();
        assertThat(db.count("SELECT COUNT(*) FROM switchback_history")).isEqualTo(1);
        assertThat(db.count("SELECT COUNT(*) FROM switchback_history WHERE state <> 'success'")).isZero();
        assertThat(db.count("SELECT COUNT(*) FROM switchback_log WHERE outcome = 'failed'")).isZero();
    }

    @Test
    void aMigratorWhoseLeaseWasTakenOverStopsAndWritesNothing() throws Exception {
        write("001_first.sql", "CREATE TABLE first (id INTEGER PRIMARY KEY);");
        write("002_second.sql", "CREATE TABLE second (id INTEGER PRIMARY KEY);\nINSERT INTO second VALUES (1);");
        SwitchbackException e = migrateLosingTheLeaseAfterTheFirstMigration();
        assertThat(e.code()).isEqualTo(ErrorCode.LOCK_TIMEOUT);
        assertThat(e.getMessage()).contains("taken over").contains("taker").contains("002");
        assertOnlyTheFirstIsRecorded();
        assertThat(migrator().migrate().applied()).extracting(AppliedStep::version).containsExactly("002");
    }

    @Test
    void aNoTransactionMigrationChecksTheLeaseBeforeItWrites() throws Exception {
        write("001_first.sql", "CREATE TABLE first (id INTEGER PRIMARY KEY);");
        write("002_second.sql", "-- switchback:no-transaction\nCREATE TABLE second (id INTEGER PRIMARY KEY);\nINSERT INTO second VALUES (1);");
        assertThat(migrateLosingTheLeaseAfterTheFirstMigration().code()).isEqualTo(ErrorCode.LOCK_TIMEOUT);
        assertOnlyTheFirstIsRecorded();
        assertThat(migrator().migrate().applied()).extracting(AppliedStep::version).containsExactly("002");
    }

    @Test
    void aMigratorKilledInTheMiddleOfAWriteIsTakenOverWithoutBusyErrors() throws Exception {
        db.execute("CREATE TABLE slow_control (n INTEGER)");
        db.execute("INSERT INTO slow_control VALUES (20)");
        write("001_first.sql", "CREATE TABLE first (id INTEGER PRIMARY KEY);");
        write("002_slow.sql", "CREATE TABLE written (id INTEGER PRIMARY KEY);\nINSERT INTO written VALUES (1);\n"
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
        write("001_slow.sql", db.slowStatement() + ";\nCREATE TABLE after_slow (id INTEGER PRIMARY KEY);\n");
        MigrateResult r = config().lockLease(Duration.ofMillis(300)).lockRetries(0).load().migrate();
        assertThat(r.applied()).extracting(AppliedStep::version).containsExactly("001");
        assertThat(db.tableExists("after_slow")).isTrue();
    }
}
