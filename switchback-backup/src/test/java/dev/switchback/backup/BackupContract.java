package dev.switchback.backup;

import dev.switchback.migration.ErrorCode;
import dev.switchback.migration.Migrator;
import dev.switchback.migration.Switchback;
import dev.switchback.migration.SwitchbackException;
import dev.switchback.migration.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What every dialect's backups must do; subclasses only supply the database. */
abstract class BackupContract {
    @TempDir
    Path tmp;
    Path migrations;
    TestDatabase db;
    final List<String> extraDatabases = new ArrayList<>();
    final Map<BackupSetting, String> settings = new EnumMap<>(BackupSetting.class);

    abstract TestDatabase newDatabase(Path tmp);

    /** Drops a database made by --into. */
    abstract void dropDatabase(String name) throws Exception;

    @BeforeEach
    void setUp() throws IOException {
        db = newDatabase(tmp);
        migrations = Files.createDirectories(tmp.resolve("migrations"));
        for (int v = 1; v <= 13; v++) {
            Files.writeString(migrations.resolve(String.format("%03d_table_%d.up.sql", v, v)),
                    "CREATE TABLE t" + v + " (id INTEGER PRIMARY KEY, name VARCHAR(40));\n"
                            + "INSERT INTO t" + v + " (id, name) VALUES (1, 'row; of " + v + "');\n");
            Files.writeString(migrations.resolve(String.format("%03d_table_%d.down.sql", v, v)), "DROP TABLE t" + v + ";\n");
        }
        settings.put(BackupSetting.DIRECTORY, tmp.resolve("backups").toString());
    }

    @AfterEach
    void tearDown() throws Exception {
        for (String name : extraDatabases) {
            dropDatabase(name);
        }
        db.close();
    }

    Migrator migrator() {
        return Switchback.configure().url(db.url()).user(db.user()).password(db.password()).locations(migrations.toString())
                .baseDir(tmp).environment(Map.of()).lockLease(Duration.ofSeconds(2)).load();
    }

    Migrator migrator(String target) {
        return Switchback.configure().url(db.url()).user(db.user()).password(db.password()).locations(migrations.toString())
                .baseDir(tmp).environment(Map.of()).lockLease(Duration.ofSeconds(2)).target(target).load();
    }

    Backups backups() {
        return new Backups(migrator(), BackupConfig.from(new EnumMap<>(settings), tmp));
    }

    @Test
    void roundTripBringsBackTablesRowsAndHistory() throws Exception {
        migrator("3").migrate();
        Manifest m = backups().create("before-drop", null);
        assertThat(m.schemaVersion()).isEqualTo("003");
        assertThat(m.database()).doesNotContain("password=");
        Path folder = tmp.resolve("backups").resolve(m.id());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(folder))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(folder.resolve("manifest.json")))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(folder.resolve(m.databaseFile().name())))).isEqualTo("rw-------");
        db.execute("DROP TABLE t2");
        db.execute("INSERT INTO t1 (id, name) VALUES (2, 'after')");

        RestoreResult r = backups().restore(new RestoreOptions("before-drop", null, null, null, false, false));
        assertThat(db.count("SELECT COUNT(*) FROM t2")).isEqualTo(1);
        assertThat(db.count("SELECT COUNT(*) FROM t1")).isEqualTo(1);
        assertThat(r.versionAfter()).isEqualTo("003");
        assertThat(r.tables()).anyMatch(t -> t.endsWith("t2"));
        assertThat(r.safetyBackupId()).isNotNull();
        assertThat(backups().find(r.safetyBackupId()).label()).startsWith("pre-restore-");
        assertThat(migrator().verify().clean()).isTrue();
    }

    @Test
    void restoreRemovesObjectsCreatedAfterTheBackupAndMigrateRedoesThem() throws Exception {
        migrator("10").migrate();
        backups().create("at-10", null);
        migrator().migrate();
        assertThat(db.tableExists("t13")).isTrue();

        RestoreResult r = backups().restore(new RestoreOptions("at-10", null, null, null, true, false));
        assertThat(r.versionBefore()).isEqualTo("013");
        assertThat(r.versionAfter()).isEqualTo("010");
        for (int v = 11; v <= 13; v++) {
            assertThat(db.tableExists("t" + v)).as("t" + v).isFalse();
        }
        assertThat(migrator().status().current()).isEqualTo("010");
        // the restore brings back the schema snapshot of the backup's history with it: clean without a replay
        dev.switchback.migration.DriftReport restored = migrator().drift();
        assertThat(restored.clean()).isTrue();
        assertThat(restored.expectedFrom()).isEqualTo(dev.switchback.migration.DriftReport.FROM_SNAPSHOT);
        assertThat(migrator().status().schema().version()).isEqualTo("010");
        assertThat(migrator().migrate().applied()).hasSize(3);
        assertThat(db.count("SELECT COUNT(*) FROM t13")).isEqualTo(1);
        assertThat(migrator().status().schema()).satisfies(s -> {
            assertThat(s.version()).isEqualTo("013");
            assertThat(s.drift()).isFalse();
        });
    }

    @Test
    void migrateWithTheHookTakesAPreBackupAndRecordsItsId() throws Exception {
        Migrator m = migrator("5");
        Backups b = new Backups(m, BackupConfig.from(new EnumMap<>(settings), tmp));
        String id = m.withBeforeMigrate(b.beforeMigrate()).migrate().backupId();
        assertThat(b.find(id).label()).isEqualTo("pre-005");
        assertThat(db.count("SELECT COUNT(*) FROM switchback_history WHERE backup_id = '" + id + "'")).isEqualTo(5);
        // nothing pending: no backup
        assertThat(m.withBeforeMigrate(b.beforeMigrate()).migrate().backupId()).isNull();
        assertThat(b.list()).hasSize(1);
    }

    @Test
    void aFlippedByteIsDetectedAndRestoreRefusesWithTheDatabaseUntouched() throws Exception {
        migrator("3").migrate();
        Manifest m = backups().create("flip", null);
        Path data = tmp.resolve("backups").resolve(m.id()).resolve(m.databaseFile().name());
        try (RandomAccessFile f = new RandomAccessFile(data.toFile(), "rw")) {
            f.seek(f.length() / 2);
            int b = f.read();
            f.seek(f.length() / 2);
            f.write(b ^ 0x01);
        }
        db.execute("INSERT INTO t1 (id, name) VALUES (2, 'kept')");

        BackupVerification v = backups().verify("flip");
        assertThat(v.ok()).isFalse();
        assertThat(v.problems()).singleElement().asString().contains(m.databaseFile().name()).contains("SHA-256");
        assertThatThrownBy(() -> backups().restore(new RestoreOptions("flip", null, null, null, false, false)))
                .isInstanceOfSatisfying(SwitchbackException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.VERIFICATION);
                    assertThat(e.getMessage()).contains("not touched");
                });
        assertThat(db.count("SELECT COUNT(*) FROM t1")).isEqualTo(2);
        assertThat(backups().list()).hasSize(1); // no safety backup was taken either
    }

    @Test
    void aTruncatedFileIsDetected() throws Exception {
        migrator("2").migrate();
        Manifest m = backups().create(null, null);
        Path data = tmp.resolve("backups").resolve(m.id()).resolve(m.databaseFile().name());
        try (RandomAccessFile f = new RandomAccessFile(data.toFile(), "rw")) {
            f.setLength(f.length() - 7);
        }
        BackupVerification v = backups().verify(m.id());
        assertThat(v.problems()).singleElement().asString().contains("truncated");
        assertThatThrownBy(() -> backups().restore(new RestoreOptions(m.id(), null, null, null, false, false)))
                .isInstanceOfSatisfying(SwitchbackException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.VERIFICATION));
    }

    @Test
    void encryptedBackupsNeedTheRightKey() throws Exception {
        migrator("2").migrate();
        settings.put(BackupSetting.ENCRYPTION_KEY, "correct horse battery staple");
        Manifest m = backups().create("secret", null);
        assertThat(m.encrypted()).isTrue();
        assertThat(m.databaseFile().name()).endsWith(".enc");
        assertThat(backups().verify("secret").ok()).isTrue();

        settings.put(BackupSetting.ENCRYPTION_KEY, "wrong horse battery staple");
        BackupVerification v = backups().verify("secret");
        assertThat(v.ok()).isFalse();
        assertThat(v.problems()).singleElement().asString().contains("not the one it was made with");
        assertThatThrownBy(() -> backups().restore(new RestoreOptions("secret", null, null, null, false, false)))
                .isInstanceOfSatisfying(SwitchbackException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.VERIFICATION));

        settings.put(BackupSetting.ENCRYPTION_KEY, "correct horse battery staple");
        db.execute("DROP TABLE t1");
        backups().restore(new RestoreOptions("secret", null, null, null, true, false));
        assertThat(db.count("SELECT COUNT(*) FROM t1")).isEqualTo(1);
    }

    @Test
    void labelsAreValidatedBeforeAnythingIsWritten() {
        for (String bad : new String[]{"../x", "a b", "a/b", "", "x".repeat(65), ".."}) {
            assertThatThrownBy(() -> backups().create(bad, null)).isInstanceOfSatisfying(SwitchbackException.class,
                    e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIG));
        }
        assertThat(Files.exists(tmp.resolve("backups"))).isFalse();
    }

    @Test
    void pruneKeepsTheNewestAndPinnedLabels() throws Exception {
        migrator("1").migrate();
        settings.put(BackupSetting.KEEP_LABELS, "release-*");
        Manifest pinned = backups().create("release-1", null);
        Manifest a = backups().create("a", null);
        Manifest b = backups().create("b", null);
        Manifest c = backups().create("c", null);
        List<Manifest> deleted = backups().prune(2);
        assertThat(deleted).extracting(Manifest::id).containsExactly(a.id());
        assertThat(backups().list()).extracting(Manifest::id).containsExactly(c.id(), b.id(), pinned.id());
    }

    @Test
    void fileSetsRoundTripAndTheManifestNeverShowsTheirContent() throws Exception {
        migrator("1").migrate();
        Files.createDirectories(tmp.resolve("assets/img"));
        Files.writeString(tmp.resolve("assets/img/logo.svg"), "<svg/>");
        Files.createDirectories(tmp.resolve("config"));
        Files.writeString(tmp.resolve("config/app.yml"), "api_token: tok-12345-secret\n");
        Files.writeString(tmp.resolve("config/notes.txt"), "not matched");
        settings.put(BackupSetting.FILES, "assets,config/*.yml");
        Manifest m = backups().create("with-files", null);
        assertThat(m.fileSet()).isNotNull();
        assertThat(Files.readString(tmp.resolve("backups").resolve(m.id()).resolve("manifest.json"))).doesNotContain("tok-12345");

        Files.delete(tmp.resolve("assets/img/logo.svg"));
        Files.writeString(tmp.resolve("config/app.yml"), "api_token: changed\n");
        RestoreResult r = backups().restore(new RestoreOptions("with-files", null, null, null, true, false));
        assertThat(r.filesRestored()).containsExactlyInAnyOrder("assets/img/logo.svg", "config/app.yml");
        assertThat(Files.readString(tmp.resolve("assets/img/logo.svg"))).isEqualTo("<svg/>");
        assertThat(Files.readString(tmp.resolve("config/app.yml"))).contains("tok-12345-secret");

        Files.writeString(tmp.resolve("config/app.yml"), "api_token: changed again\n");
        backups().restore(new RestoreOptions("with-files", null, null, null, true, true));
        assertThat(Files.readString(tmp.resolve("config/app.yml"))).contains("changed again");
    }

    @Test
    void beforePicksTheNewestBackupOlderThanTheTime() throws Exception {
        migrator("1").migrate();
        Manifest older = backups().create("older", null);
        Thread.sleep(20);
        Instant between = Instant.now();
        Thread.sleep(20);
        migrator("2").migrate();
        backups().create("newer", null);
        RestoreResult r = backups().restore(new RestoreOptions(null, between, null, null, true, false));
        assertThat(r.id()).isEqualTo(older.id());
        assertThat(r.versionAfter()).isEqualTo("001");
        assertThatThrownBy(() -> backups().restore(new RestoreOptions(null, Instant.parse("2000-01-01T00:00:00Z"), null, null, true, false)))
                .isInstanceOfSatisfying(SwitchbackException.class, e -> assertThat(e.getMessage()).contains("before 2000-01-01"));
    }

    @Test
    void intoRestoresBesideTheOriginalAndCanMigrateIt() throws Exception {
        migrator("4").migrate();
        backups().create("at-4", null);
        migrator("6").migrate();
        String into = "sb_into_" + Long.toHexString(System.nanoTime());
        extraDatabases.add(into);
        RestoreResult r = backups().restore(new RestoreOptions("at-4", null, into, "5", false, false));
        assertThat(r.safetyBackupId()).isNull();
        assertThat(r.versionAfter()).isEqualTo("004");
        assertThat(r.migratedTo()).isEqualTo("005");
        assertThat(migrator().status().current()).isEqualTo("006");
        assertThat(db.tableExists("t6")).isTrue();
    }

    private Migrator migratorOf(TestDatabase other, String target) {
        return Switchback.configure().url(other.url()).user(other.user()).password(other.password())
                .locations(migrations.toString()).baseDir(tmp).environment(Map.of()).lockLease(Duration.ofSeconds(2)).target(target).load();
    }

    private Backups backupsOf(TestDatabase other) {
        return new Backups(migratorOf(other, null), BackupConfig.from(new EnumMap<>(settings), tmp));
    }

    /** Two databases share one backup folder (the default is shared by every config in a folder). */
    @Test
    void retentionBeforeAndLabelsOnlySeeThisDatabasesBackups() throws Exception {
        Migrator m = migrator("2");
        String pinned = m.withBeforeMigrate(backups().beforeMigrate()).migrate().backupId();
        List<String> mine = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            mine.add(backups().create("shared", null).id());
        }
        try (TestDatabase other = newDatabase(tmp)) {
            migratorOf(other, "1").migrate();
            Backups theirs = backupsOf(other);
            Manifest theirShared = theirs.create("shared", null);
            theirs.create("b", null);
            theirs.create("b", null);
            assertThat(theirs.prune(1)).extracting(Manifest::id).doesNotContainAnyElementsOf(mine).doesNotContain(pinned);
            assertThat(theirs.list()).hasSize(1);
            assertThat(backups().list()).hasSize(4);
            assertThat(backups().find("shared").id()).isEqualTo(mine.get(2));
            // theirs was pruned; the label is not looked up among another database's backups
            assertThatThrownBy(() -> theirs.find("shared")).isInstanceOfSatisfying(SwitchbackException.class,
                    e -> assertThat(e.getMessage()).contains("another database's backup has that label"));
            assertThat(theirs.list()).extracting(Manifest::id).doesNotContain(theirShared.id());
            // this database's retention keeps the backup its history points to
            assertThat(backups().prune(1)).extracting(Manifest::id).containsExactlyInAnyOrder(mine.get(0), mine.get(1));
            assertThat(backups().list()).extracting(Manifest::id).containsExactlyInAnyOrder(mine.get(2), pinned);
        }
    }

    @Test
    void aBackupOfAnotherDatabaseIsRestoredOnlyWhenAskedFor() throws Exception {
        migrator("1").migrate();
        try (TestDatabase other = newDatabase(tmp)) {
            migratorOf(other, "3").migrate();
            Manifest foreign = backupsOf(other).create("theirs", null);
            assertThatThrownBy(() -> backups().restore(new RestoreOptions("theirs", null, null, null, true, false)))
                    .isInstanceOfSatisfying(SwitchbackException.class, e -> assertThat(e.getMessage()).contains("No backup of"));
            assertThatThrownBy(() -> backups().restore(new RestoreOptions(foreign.id(), null, null, null, true, false)))
                    .isInstanceOfSatisfying(SwitchbackException.class, e -> assertThat(e.getMessage())
                            .contains("was taken from").contains("--from-other-database").contains("nothing was touched"));
            assertThat(db.tableExists("t3")).isFalse();
            backups().restore(new RestoreOptions(foreign.id(), null, null, null, true, false, true));
            assertThat(db.tableExists("t3")).isTrue();
        }
    }

    @Test
    void theAuditLogSurvivesARestoreAndRecordsIt() throws Exception {
        migrator("2").migrate();
        backups().create("at-2", null);
        migrator("4").migrate();
        long before = db.count("SELECT COUNT(*) FROM switchback_log");
        backups().restore(new RestoreOptions("at-2", null, null, null, true, false));
        assertThat(db.count("SELECT COUNT(*) FROM switchback_log")).isEqualTo(before + 1);
        assertThat(db.count("SELECT COUNT(*) FROM switchback_log WHERE action = 'restore'")).isEqualTo(1);
        assertThat(db.count("SELECT MAX(id) FROM switchback_log WHERE action = 'restore'"))
                .isEqualTo(db.count("SELECT MAX(id) FROM switchback_log"));
        migrator("3").migrate(); // the log keeps growing after its ids were written back
        assertThat(db.count("SELECT COUNT(*) FROM switchback_log")).isEqualTo(before + 2);
    }

    @Test
    void aRestoreMakesTheFileSetExactlyTheBackedUpOne() throws Exception {
        migrator("1").migrate();
        Files.createDirectories(tmp.resolve("assets"));
        Files.writeString(tmp.resolve("assets/app.js"), "v1");
        settings.put(BackupSetting.FILES, "assets");
        backups().create("files", null);
        Files.writeString(tmp.resolve("assets/new.js"), "added later");
        RestoreResult r = backups().restore(new RestoreOptions("files", null, null, null, false, false));
        assertThat(Files.exists(tmp.resolve("assets/new.js"))).isFalse();
        assertThat(Files.readString(tmp.resolve("assets/app.js"))).isEqualTo("v1");
        assertThat(backups().find(r.safetyBackupId()).fileSet()).isNotNull(); // the safety backup holds new.js
    }

    /** Only what the backup's own patterns match is removed; never a backup, never a folder added to backup.files later. */
    @Test
    void aFileSetRestoreRemovesNothingTheBackupDidNotCover() throws Exception {
        migrator("1").migrate();
        settings.put(BackupSetting.DIRECTORY, tmp.resolve("data/backups").toString());
        Files.createDirectories(tmp.resolve("data"));
        Files.writeString(tmp.resolve("data/app.cfg"), "v1");
        settings.put(BackupSetting.FILES, "data");
        Manifest m = backups().create("covered", null);
        Files.createDirectories(tmp.resolve("uploads"));
        Files.writeString(tmp.resolve("uploads/photo.jpg"), "not in the backup");
        settings.put(BackupSetting.FILES, "data,uploads");
        RestoreResult r = backups().restore(new RestoreOptions("covered", null, null, null, false, false));
        assertThat(Files.readString(tmp.resolve("uploads/photo.jpg"))).isEqualTo("not in the backup");
        assertThat(backups().list()).extracting(Manifest::id).contains(m.id(), r.safetyBackupId());
        assertThat(backups().verify(m.id()).ok()).isTrue();
    }

    @Test
    void theBackupBeforeAReleasesMigrationRecordsTheRelease() throws Exception {
        Migrator m = migrator("1");
        String id = m.withBeforeMigrate(backups().beforeMigrate("v7")).migrate().backupId();
        assertThat(backups().find(id).release()).isEqualTo("v7");
    }

    /** Same key, another backup's file put in place of this one's and the manifest fixed: it must not decrypt. */
    @Test
    void anEncryptedFileSwappedInFromAnotherBackupIsRefused() throws Exception {
        migrator("1").migrate();
        settings.put(BackupSetting.ENCRYPTION_KEY, "correct horse battery staple");
        Manifest a = backups().create("a", null);
        migrator("3").migrate();
        Manifest b = backups().create("b", null);
        Path folderA = tmp.resolve("backups").resolve(a.id());
        Path fileB = tmp.resolve("backups").resolve(b.id()).resolve(b.databaseFile().name());
        Files.copy(fileB, folderA.resolve(a.databaseFile().name()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Manifest.FileEntry swapped = new Manifest.FileEntry(a.databaseFile().name(), "database", Files.size(fileB), b.databaseFile().sha256());
        Manifest forged = new Manifest(a.format(), a.id(), a.label(), a.created(), a.dialect(), a.database(), a.schemaVersion(),
                a.release(), a.tool(), a.toolVersion(), true, a.sizeBytes(), List.of(swapped), a.identity(), a.cipher(), a.filePatterns());
        new BackupCatalog(tmp.resolve("backups")).writeManifest(folderA, forged);
        db.execute("INSERT INTO t1 (id, name) VALUES (2, 'kept')");

        assertThat(backups().verify(a.id()).ok()).isFalse();
        assertThatThrownBy(() -> backups().restore(new RestoreOptions(a.id(), null, null, null, false, false)))
                .isInstanceOfSatisfying(SwitchbackException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.VERIFICATION));
        assertThat(db.count("SELECT COUNT(*) FROM t1")).isEqualTo(2);
        assertThat(db.tableExists("t3")).isTrue();
        assertThat(backups().list()).hasSize(2); // the safety backup of a restore that did nothing is gone
    }

    /** Cases of the corruption property per dialect: 20 in the normal run, more with -Dswitchback.corruptionCases=200. */
    static final int CORRUPTION_CASES = Integer.getInteger("switchback.corruptionCases", 20);

    /** What a dialect adds to the database of the corruption property before its backup (PostgreSQL: a large object). */
    void enrichForProperty() throws Exception {
    }

    /** The schema as text; the PostgreSQL test compares pg_dump --schema-only and more instead. */
    String schemaText() throws Exception {
        StringBuilder b = new StringBuilder();
        try (var c = db.connect(); var rs = c.getMetaData().getColumns(c.getCatalog(), null, "%", "%")) {
            while (rs.next()) {
                String schema = rs.getString("TABLE_SCHEM");
                if (schema != null && (schema.equals("pg_catalog") || schema.equals("information_schema"))) {
                    continue;
                }
                b.append(schema).append('.').append(rs.getString("TABLE_NAME")).append('.').append(rs.getString("COLUMN_NAME"))
                        .append(' ').append(rs.getString("TYPE_NAME")).append(' ').append(rs.getString("IS_NULLABLE")).append('\n');
            }
        }
        return b.toString();
    }

    /** Schema, every row of every table (switchback_log too, unless left out), the file set and the backup folder. */
    String state(boolean withLog) throws Exception {
        StringBuilder b = new StringBuilder(schemaText());
        List<String> tables = new ArrayList<>();
        try (var c = db.connect(); var rs = c.getMetaData().getTables(c.getCatalog(), null, "%", new String[]{"TABLE"})) {
            while (rs.next()) {
                String schema = rs.getString("TABLE_SCHEM");
                if (schema == null || schema.equals("public") || db.kind().equals("mariadb")) {
                    tables.add(rs.getString("TABLE_NAME"));
                }
            }
        }
        java.util.Collections.sort(tables);
        for (String t : tables) {
            if (!withLog && t.equals("switchback_log")) {
                continue;
            }
            List<String> rows = new ArrayList<>();
            try (var c = db.connect(); var st = c.createStatement(); var rs = st.executeQuery("SELECT * FROM " + t)) {
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    StringBuilder r = new StringBuilder();
                    for (int i = 1; i <= n; i++) {
                        r.append(rs.getString(i)).append('|');
                    }
                    rows.add(r.toString());
                }
            }
            java.util.Collections.sort(rows);
            b.append(t).append(": ").append(String.join(";", rows)).append('\n');
        }
        for (Path root : new Path[]{tmp.resolve("assets"), tmp.resolve("backups")}) {
            if (Files.isDirectory(root)) {
                try (var all = Files.walk(root)) {
                    for (Path p : all.filter(Files::isRegularFile).sorted().toList()) {
                        b.append(tmp.relativize(p)).append(' ').append(Sha256Sink.of(p, Progress.NONE)).append('\n');
                    }
                }
            }
        }
        return b.toString();
    }

    /**
     * The property: for a backup with one corrupted byte (in any of its files, manifest included) or one file swapped in
     * from another backup, a restore either completes exactly or leaves the database, the file set and the backup
     * folder exactly as they were.
     */
    @Test
    void aCorruptedOrSwappedBackupRestoresExactlyOrChangesNothing() throws Exception {
        migrator("2").migrate();
        Files.createDirectories(tmp.resolve("assets"));
        Files.writeString(tmp.resolve("assets/app.js"), "v1");
        settings.put(BackupSetting.FILES, "assets");
        enrichForProperty();
        Manifest good = backups().create("good", null);
        String atBackup = state(false);
        migrator("3").migrate();
        Manifest other = backups().create("other", null);
        Path backupsDir = tmp.resolve("backups");
        Path pristine = Files.createDirectories(tmp.resolve("pristine")).resolve(good.id());
        copyTree(backupsDir.resolve(good.id()), pristine);
        java.util.Random random = new java.util.Random(Long.getLong("switchback.corruptionSeed", 14L));
        int restored = 0;
        int refused = 0;
        for (int n = 0; n < CORRUPTION_CASES; n++) {
            BackupCatalog.deleteTree(backupsDir.resolve(good.id()));
            copyTree(pristine, backupsDir.resolve(good.id()));
            List<Path> files;
            try (var all = Files.list(backupsDir.resolve(good.id()))) {
                files = all.sorted().toList();
            }
            Path victim = files.get(random.nextInt(files.size()));
            String what;
            if (random.nextInt(4) == 0 && !victim.getFileName().toString().equals("manifest.json")) {
                Path from = backupsDir.resolve(other.id()).resolve(victim.getFileName());
                Files.copy(from, victim, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                what = "swapped " + victim.getFileName();
            } else {
                byte[] bytes = Files.readAllBytes(victim);
                int at = random.nextInt(bytes.length);
                bytes[at] ^= (byte) (1 + random.nextInt(255));
                Files.write(victim, bytes);
                what = "byte " + at + " of " + victim.getFileName();
            }
            String before = state(true);
            try {
                backups().restore(new RestoreOptions(good.id(), null, null, null, false, false));
                assertThat(state(false)).as(what + ": restored").isEqualTo(atBackupWith(atBackup));
                restored++;
                // back to the state after the backup, for the next case
                for (Manifest m : backups().list()) {
                    if (m.label() != null && m.label().startsWith("pre-restore-")) {
                        backups().restore(new RestoreOptions(m.id(), null, null, null, true, false));
                        new BackupCatalog(backupsDir).delete(m);
                    }
                }
            } catch (SwitchbackException | java.io.UncheckedIOException e) {
                assertThat(state(true)).as(what + ": refused (" + e.getMessage() + ")").isEqualTo(before);
                refused++;
            }
        }
        System.out.printf("corruption property (%s): %d cases, %d restored exactly, %d refused with nothing changed%n",
                db.kind(), CORRUPTION_CASES, restored, refused);
        assertThat(restored + refused).isEqualTo(CORRUPTION_CASES);
        assertThat(refused).isPositive();
    }

    /** The state at backup time, as it reads after a restore: the backup folder has gained the safety backup. */
    private String atBackupWith(String atBackup) throws Exception {
        String now = state(false);
        return atBackup.substring(0, atBackup.indexOf("backups/")) + now.substring(now.indexOf("backups/"));
    }

    private static void copyTree(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (var all = Files.list(from)) {
            for (Path p : all.toList()) {
                Files.copy(p, to.resolve(p.getFileName()), java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
    }
}
