package dev.switchback.migration.discovery;

import dev.switchback.migration.ErrorCode;
import dev.switchback.migration.Migration;
import dev.switchback.migration.SwitchbackException;
import dev.switchback.migration.sql.SqlFlavor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The checksum cache on real files: what it remembers, and that no edit slips past it. */
class ChecksumCacheTest {
    private static final String ZEROS = "0".repeat(64);

    @TempDir
    Path dir;
    Path migrations;
    Path cacheFile;

    @BeforeEach
    void files() throws IOException {
        migrations = Files.createDirectories(dir.resolve("migrations"));
        cacheFile = dir.resolve(".switchback/checksums");
        write("V1__users.sql", "CREATE TABLE users (id INT);");
        write("U1__users.sql", "DROP TABLE users;");
        write("V2__orders.sql", "CREATE TABLE orders (id INT);");
    }

    private void write(String name, String text) throws IOException {
        Files.writeString(migrations.resolve(name), text);
    }

    /** Resolves with a cache whose racy window is {@code racyNanos} (0: remember even files written just now). */
    private List<Migration> resolve(long racyNanos) {
        return MigrationResolver.resolve(new LocationScanner(dir, getClass().getClassLoader()).scan(List.of("migrations")),
                ChecksumCache.open(cacheFile, SqlFlavor.POSTGRES, racyNanos), SqlFlavor.POSTGRES);
    }

    private String cacheText() throws IOException {
        return Files.readString(cacheFile);
    }

    /** Replaces the remembered checksum of every file with zeros, to see whether a run takes it from the cache. */
    private void poisonCache() throws IOException {
        Files.writeString(cacheFile, cacheText().replaceAll("(?m)^[0-9a-f]{64}\t", ZEROS + "\t"));
    }

    @Test
    void anUnchangedFileTakesItsChecksumFromTheCacheAndIsReadOnlyWhenItsTextIsNeeded() throws IOException {
        List<Migration> first = resolve(0);
        assertThat(cacheText()).contains("V1__users.sql").contains("V2__orders.sql").contains(first.get(0).checksum());

        poisonCache();
        List<Migration> second = resolve(0);
        // the checksum came from the cache: proof that nothing was read or hashed
        assertThat(second).extracting(Migration::checksum).containsOnly(ZEROS);
        assertThat(second.get(0).hasDown()).isTrue();
        assertThat(second.get(0).script()).isEqualTo(first.get(0).script());
        // reading the text checks it against the checksum it was planned with: a mismatch never runs
        assertThatThrownBy(() -> second.get(0).upSql()).isInstanceOfSatisfying(SwitchbackException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.CONFIG);
            assertThat(e.getMessage()).contains("V1__users.sql").contains("changed while switchback was running");
        });
    }

    @Test
    void aLazyMigrationReadsTheSameTextAndDirectivesAsAnEagerOne() throws IOException {
        write("V3__index.sql", "-- switchback:no-transaction\nCREATE INDEX i ON users (id);\r\n");
        List<Migration> eager = resolve(0);
        List<Migration> lazy = resolve(0);
        assertThat(lazy).isEqualTo(eager);
        for (int i = 0; i < eager.size(); i++) {
            assertThat(lazy.get(i).upSql()).isEqualTo(eager.get(i).upSql());
            assertThat(lazy.get(i).downSql()).isEqualTo(eager.get(i).downSql());
            assertThat(lazy.get(i).directives()).isEqualTo(eager.get(i).directives());
        }
        assertThat(lazy.get(2).directives().noTransaction()).isTrue();
    }

    @Test
    void anEditOfTheSameSizeWithItsModificationTimeSetBackIsStillSeen() throws Exception {
        Path v2 = migrations.resolve("V2__orders.sql");
        FileTime mtime = Files.getLastModifiedTime(v2);
        String before = resolve(0).get(1).checksum();
        poisonCache();
        Thread.sleep(50); // past the kernel's clock tick, so the write below gets a later ctime
        Files.writeString(v2, "CREATE TABLE ORDERS (id INT);"); // same length
        Files.setLastModifiedTime(v2, mtime); // what touch -r or an unpacked archive would do
        assertThat(Files.size(v2)).isEqualTo("CREATE TABLE orders (id INT);".length());

        List<Migration> after = resolve(0);
        assertThat(after.get(0).checksum()).isEqualTo(ZEROS); // V1 untouched: still from the cache
        assertThat(after.get(1).checksum()).isNotEqualTo(ZEROS).isNotEqualTo(before)
                .isEqualTo(Checksum.of("CREATE TABLE ORDERS (id INT);"));
    }

    @Test
    void aFileReplacedByAnotherIsSeen() throws Exception {
        resolve(0);
        poisonCache();
        Path v1 = migrations.resolve("V1__users.sql");
        Path other = dir.resolve("other.sql");
        Files.writeString(other, "CREATE TABLE users (id INT);");
        Files.move(other, v1, java.nio.file.StandardCopyOption.REPLACE_EXISTING); // new inode, same text
        assertThat(resolve(0).get(0).checksum()).isEqualTo(Checksum.of("CREATE TABLE users (id INT);"));
    }

    @Test
    void filesWrittenWithinTheRacyWindowAreNotRemembered() throws IOException {
        resolve(ChecksumCache.RACY);
        // every file was written a moment ago: nothing is safe to remember yet, so no cache file at all
        assertThat(Files.exists(cacheFile)).isFalse();
        assertThat(resolve(ChecksumCache.RACY)).extracting(Migration::checksum)
                .contains(Checksum.of("CREATE TABLE users (id INT);"));
    }

    @Test
    void aDeletedFileLeavesTheCache() throws IOException {
        resolve(0);
        Files.delete(migrations.resolve("V2__orders.sql"));
        resolve(0);
        assertThat(cacheText()).contains("V1__users.sql").doesNotContain("V2__orders.sql");
    }

    @Test
    void aCorruptOrForeignCacheFileIsIgnored() throws IOException {
        Files.createDirectories(cacheFile.getParent());
        Files.writeString(cacheFile, "# switchback checksum cache v2 postgres: sha256 size mtime-ns ctime-ns dev ino path\nnot\tnumbers\there\n\0\0garbage");
        assertThat(resolve(0)).extracting(Migration::checksum).doesNotContain(ZEROS).hasSize(2);
        Files.writeString(cacheFile, "something else entirely");
        assertThat(resolve(0)).hasSize(2);
        assertThat(cacheText()).startsWith("# switchback checksum cache v2 postgres:");
    }

    @Test
    void entriesNotCheckedAsThisRunChecksAreNotTrusted() throws IOException {
        resolve(0);
        poisonCache();
        // written by a version that neither decoded strictly nor lexed: every file is read again once
        Files.writeString(cacheFile, cacheText().replace("cache v2 postgres:", "cache v1:"));
        assertThat(resolve(0)).extracting(Migration::checksum).doesNotContain(ZEROS);
        poisonCache();
        // lexed as another SQL flavor ('\'' ends a MySQL string, not a PostgreSQL one)
        Files.writeString(cacheFile, cacheText().replace("cache v2 postgres:", "cache v2 mysql:"));
        assertThat(resolve(0)).extracting(Migration::checksum).doesNotContain(ZEROS);
        poisonCache();
        assertThat(resolve(0)).extracting(Migration::checksum).containsOnly(ZEROS);
    }

    @Test
    void anUnwritableCacheLocationOnlyCostsTheSaving() throws IOException {
        Files.writeString(dir.resolve("blocker"), "a file where the cache's folder would be");
        cacheFile = dir.resolve("blocker/checksums");
        assertThat(resolve(0)).hasSize(2);
        assertThat(Files.isRegularFile(dir.resolve("blocker"))).isTrue();
    }
}
