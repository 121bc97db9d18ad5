package dev.switchback.migration.discovery;

import org.junit.jupiter.api.Test;

import java.net.URL;
import java.net.URLClassLoader;
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

    @Test
    void aChangeUnderAClasspathFolderRootIsSeen(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        Path root = Files.createDirectories(tmp.resolve("classes/db/migration"));
        Files.writeString(root.resolve("V1__a.sql"), "SELECT 1;");
        Files.writeString(Files.createDirectories(root.resolve("more")).resolve("V2__b.sql"), "SELECT 2;");
        Path file = tmp.resolve("checksums.up-to-date");
        try (URLClassLoader loader = new URLClassLoader(new URL[]{tmp.resolve("classes").toUri().toURL()}, null)) {
            List<ScriptSource> found = new LocationScanner(tmp, loader).scan(List.of("classpath:db/migration"));
            assertThat(found).extracting(ScriptSource::displayName).containsExactlyInAnyOrder(
                    "classpath:db/migration/V1__a.sql", "classpath:db/migration/more/V2__b.sql");

            UpToDateSnapshot snapshot = snapshotOfClasspath(tmp, loader, file);
            assertThat(snapshot.sameFiles("settings")).isTrue();
            Files.writeString(root.resolve("more/V2__b.sql"), "SELECT 22;");
            assertThat(snapshot.sameFiles("settings")).isFalse();

            snapshot = snapshotOfClasspath(tmp, loader, file);
            assertThat(snapshot.sameFiles("settings")).isTrue();
            Files.writeString(root.resolve("more/V3__c.sql"), "SELECT 3;");
            assertThat(snapshot.sameFiles("settings")).isFalse();
        }
    }

    @Test
    void aRebuiltJarIsSeen(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        Path jar = tmp.resolve("app.jar");
        writeJar(jar, "SELECT 1;");
        Path file = tmp.resolve("checksums.up-to-date");
        try (URLClassLoader loader = new URLClassLoader(new URL[]{jar.toUri().toURL()}, null)) {
            List<ScriptSource> found = new LocationScanner(tmp, loader).scan(List.of("classpath:db/migration"));
            assertThat(found).extracting(ScriptSource::displayName).containsExactly("classpath:db/migration/V1__a.sql");

            UpToDateSnapshot snapshot = snapshotOfClasspath(tmp, loader, file);
            assertThat(snapshot.sameFiles("settings")).isTrue();
            // rebuilt with the same content, written beside it and moved into place as build tools do
            Path rebuilt = tmp.resolve("app.jar.new");
            writeJar(rebuilt, "SELECT 1;");
            Files.move(rebuilt, jar, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            assertThat(snapshot.sameFiles("settings")).isFalse();

            snapshot = snapshotOfClasspath(tmp, loader, file);
            assertThat(snapshot.sameFiles("settings")).isTrue();
            writeJar(jar, "SELECT 2;"); // rewritten in place
            assertThat(snapshot.sameFiles("settings")).isFalse();
        }
    }

    @Test
    void theFileHoldingAClasspathRootIsTheOutermostJar() {
        assertThat(ClasspathRoots.holder("file:/srv/app/classes/db/migration/")).isEqualTo(Path.of("/srv/app/classes/db/migration"));
        assertThat(ClasspathRoots.holder("jar:file:/srv/app/lib/m.jar!/db/migration")).isEqualTo(Path.of("/srv/app/lib/m.jar"));
        // Spring Boot 3.2+ fat jars, their classes and their libraries; and the loader of earlier versions
        assertThat(ClasspathRoots.holder("jar:nested:/srv/my%20app.jar/!BOOT-INF/classes/!/db/migration"))
                .isEqualTo(Path.of("/srv/my app.jar"));
        assertThat(ClasspathRoots.holder("jar:nested:/srv/app.jar/!BOOT-INF/lib/m.jar!/db/migration")).isEqualTo(Path.of("/srv/app.jar"));
        assertThat(ClasspathRoots.holder("jar:file:/srv/app.jar!/BOOT-INF/lib/m.jar!/db/migration")).isEqualTo(Path.of("/srv/app.jar"));
        assertThat(ClasspathRoots.holder("jar:http://example.com/m.jar!/db/migration")).isNull();
        assertThat(ClasspathRoots.holder("vfs:/content/app.war/WEB-INF/classes/db/migration")).isNull();
    }

    private static void writeJar(Path jar, String sql) throws java.io.IOException {
        try (var out = new java.util.jar.JarOutputStream(Files.newOutputStream(jar))) {
            for (String dir : new String[]{"db/", "db/migration/"}) {
                out.putNextEntry(new java.util.jar.JarEntry(dir));
                out.closeEntry();
            }
            out.putNextEntry(new java.util.jar.JarEntry("db/migration/V1__a.sql"));
            out.write(sql.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            out.closeEntry();
        }
    }

    /** A snapshot of a scan of {@code classpath:db/migration} that trusts every entry, as {@link #walkedNow} does. */
    private static UpToDateSnapshot snapshotOfClasspath(Path base, ClassLoader loader, Path file) throws java.io.IOException {
        java.nio.file.attribute.FileTime past = java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 3_600_000);
        try (var all = Files.walk(base)) {
            for (Path p : all.toList()) {
                Files.setLastModifiedTime(p, past);
            }
        }
        LocationScanner scanner = new LocationScanner(base, loader);
        scanner.scan(List.of("classpath:db/migration"));
        UpToDateSnapshot.save(file, "settings", scanner, System.currentTimeMillis() + 10_000, "fingerprint", "1");
        UpToDateSnapshot snapshot = UpToDateSnapshot.load(file);
        assertThat(snapshot).isNotNull();
        return snapshot;
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
