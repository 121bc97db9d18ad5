package dev.switchback.migration.discovery;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

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
}
