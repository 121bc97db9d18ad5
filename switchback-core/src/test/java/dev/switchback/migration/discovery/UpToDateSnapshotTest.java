package dev.switchback.migration.discovery;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What the up-to-date snapshot trusts, short of a database (the round trips are in MigrationContract). */
class UpToDateSnapshotTest {
    @Test
    void sharedFileSystemsAreNotTrustedLocalOnesAre() {
        for (String shared : new String[]{"nfs", "nfs4", "cifs", "smb3", "smbfs", "9p", "ceph", "fuse", "fuse.sshfs",
                "fuseblk", "virtiofs", "vboxsf", "NFS"}) {
            assertThat(UpToDateSnapshot.sharedFileSystem(shared)).as(shared).isTrue();
        }
        for (String local : new String[]{"ext4", "ext2/ext3", "xfs", "btrfs", "zfs", "tmpfs", "overlay", "apfs", "f2fs"}) {
            assertThat(UpToDateSnapshot.sharedFileSystem(local)).as(local).isFalse();
        }
    }

    @Test
    void aSnapshotThatIsNotOneIsIgnored(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("checksums.up-to-date");
        assertThat(UpToDateSnapshot.load(file)).isNull();
        Files.writeString(file, "switchback up-to-date v4\n garbage");
        assertThat(UpToDateSnapshot.load(file)).isNull();
        Files.write(file, new byte[0]);
        assertThat(UpToDateSnapshot.load(file)).isNull();
    }

    @Test
    void aChangeInsideALinkedFolderIsSeen(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        Path migrations = Files.createDirectories(tmp.resolve("migrations"));
        Path shared = Files.createDirectories(tmp.resolve("shared"));
        Path other = Files.createDirectories(tmp.resolve("other"));
        Files.writeString(migrations.resolve("V1__a.sql"), "SELECT 1;");
        Files.writeString(shared.resolve("V2__b.sql"), "SELECT 2;");
        Path link = Files.createSymbolicLink(migrations.resolve("shared"), shared);
        Path file = tmp.resolve("checksums.up-to-date");

        UpToDateSnapshot snapshot = walkedNow(tmp, file);
        assertThat(snapshot.sameFiles("settings")).isTrue();
        Files.writeString(shared.resolve("V3__c.sql"), "SELECT 3;");
        assertThat(snapshot.sameFiles("settings")).isFalse();

        snapshot = walkedNow(tmp, file);
        assertThat(snapshot.sameFiles("settings")).isTrue();
        Files.writeString(shared.resolve("V2__b.sql"), "SELECT 22;");
        assertThat(snapshot.sameFiles("settings")).isFalse();

        snapshot = walkedNow(tmp, file);
        Files.delete(link);
        Files.createSymbolicLink(link, other);
        assertThat(snapshot.sameFiles("settings")).isFalse();
    }

    /**
     * A snapshot of a walk of {@code migrations} that trusts every entry, as if it began 10 s after their last change;
     * their modification times are set an hour back first, so that a change within the same clock tick still shows.
     */
    private UpToDateSnapshot walkedNow(Path base, Path file) throws java.io.IOException {
        java.nio.file.attribute.FileTime past = java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 3_600_000);
        for (String p : new String[]{"migrations", "migrations/V1__a.sql", "shared", "shared/V2__b.sql"}) {
            Files.setLastModifiedTime(base.resolve(p), past);
        }
        LocationScanner scanner = new LocationScanner(base, getClass().getClassLoader());
        scanner.scan(List.of("migrations"));
        UpToDateSnapshot.save(file, "settings", scanner, System.currentTimeMillis() + 10_000, "fingerprint", "2");
        UpToDateSnapshot snapshot = UpToDateSnapshot.load(file);
        assertThat(snapshot).isNotNull();
        return snapshot;
    }
}
