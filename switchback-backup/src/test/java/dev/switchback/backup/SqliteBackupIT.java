package dev.switchback.backup;

import dev.switchback.migration.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SqliteBackupIT extends BackupContract {
    @Override
    TestDatabase newDatabase(Path tmp) {
        return TestDatabase.sqlite(tmp);
    }

    @Override
    void dropDatabase(String name) throws Exception {
        Files.deleteIfExists(tmp.resolve(name));
    }

    /** A backup encrypted in the segmented format of earlier versions (manifest without a cipher) still restores. */
    @Test
    void aBackupInTheEarlierEncryptedFormatStillRestores() throws Exception {
        migrator("2").migrate();
        Manifest plain = backups().create("old-format", null);
        Path folder = tmp.resolve("backups").resolve(plain.id());
        Path data = folder.resolve(plain.databaseFile().name());
        Path sealed = folder.resolve(plain.databaseFile().name() + ".enc");
        try (OutputStream out = SegmentedCipher.encrypting(Files.newOutputStream(sealed), "correct horse battery staple")) {
            Files.copy(data, out);
        }
        Files.delete(data);
        Manifest.FileEntry entry = new Manifest.FileEntry(sealed.getFileName().toString(), "database", Files.size(sealed),
                Sha256Sink.of(sealed, Progress.NONE));
        new BackupCatalog(tmp.resolve("backups")).writeManifest(folder, new Manifest(plain.format(), plain.id(), plain.label(),
                plain.created(), plain.dialect(), plain.database(), plain.schemaVersion(), plain.release(), plain.tool(),
                plain.toolVersion(), true, entry.bytes(), List.of(entry), plain.identity(), null, plain.filePatterns()));
        settings.put(BackupSetting.ENCRYPTION_KEY, "correct horse battery staple");
        assertThat(backups().verify("old-format").ok()).isTrue();
        db.execute("DROP TABLE t1");
        backups().restore(new RestoreOptions("old-format", null, null, null, true, false));
        assertThat(db.count("SELECT COUNT(*) FROM t1")).isEqualTo(1);
    }
}
