package dev.switchback.migration;

import dev.switchback.migration.discovery.LocationScanner;
import dev.switchback.migration.discovery.MigrationResolver;
import dev.switchback.migration.sql.SqlFlavor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MigrationResolverTest {
    @TempDir
    Path dir;

    List<Migration> resolve() {
        return MigrationResolver.resolve(new LocationScanner(dir, getClass().getClassLoader()).scan(List.of(".")), SqlFlavor.POSTGRES);
    }

    void write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
    }

    @Test
    void linksToFilesCountAndLinkedFoldersAreWalkedOnce() throws IOException {
        write("V1__create_users.sql", "CREATE TABLE users (id INT);");
        write("elsewhere/V2__shared.sql", "CREATE TABLE shared (id INT);");
        Path sub = Files.createDirectories(dir.resolve("sub"));
        Files.createSymbolicLink(sub.resolve("V2__shared.sql"), dir.resolve("elsewhere/V2__shared.sql"));
        Files.createSymbolicLink(sub.resolve("loop"), dir); // a loop back to the top
        Files.createSymbolicLink(dir.resolve("copy"), dir.resolve("elsewhere")); // a folder already walked

        // only sub: the loop leads to the top, walked once, and to nothing twice
        assertThat(new LocationScanner(dir, getClass().getClassLoader()).scan(List.of("sub")))
                .extracting(s -> s.displayName()).containsExactlyInAnyOrder("sub/V2__shared.sql", "sub/loop/V1__create_users.sql",
                        "sub/loop/elsewhere/V2__shared.sql");
        // the whole tree: the linked file is a second V2; elsewhere is walked where it really is, not again as copy/
        assertThatThrownBy(this::resolve).hasMessageEndingWith("duplicate version 2: elsewhere/V2__shared.sql, sub/V2__shared.sql")
                .hasMessageNotContaining("copy/");
    }

    @Test
    void aMigrationInALinkedFolderIsFound() throws IOException {
        write("migrations/V1__create_users.sql", "CREATE TABLE users (id INT);");
        write("shared-source/V2__shared.sql", "CREATE TABLE shared (id INT);");
        Files.createSymbolicLink(dir.resolve("migrations/shared"), dir.resolve("shared-source"));
        Files.createSymbolicLink(dir.resolve("shared-source/up"), dir); // a loop through the location's parent
        write("V9__beside.sql", "SELECT 1;"); // reached through that loop: outside the location, but linked into it
        List<Migration> found = MigrationResolver.resolve(new LocationScanner(dir, getClass().getClassLoader())
                .scan(List.of("migrations")), SqlFlavor.POSTGRES);
        assertThat(found).extracting(Migration::script).containsExactly("migrations/V1__create_users.sql",
                "migrations/shared/V2__shared.sql", "migrations/shared/up/V9__beside.sql");
    }

    @Test
    void namesThatAreMigrationsButForLetterCaseAreProblems() throws IOException {
        write("V1__create_users.sql", "CREATE TABLE users (id INT);");
        write("V2__add_orders.SQL", "CREATE TABLE orders (id INT);");
        write("003_fix.DOWN.sql", "DROP TABLE orders;");
        write("v4__lower.sql", "SELECT 1;");
        write("005_backup.up.sql.bak", "SELECT 1;"); // not a .sql name: ignored, as a README is
        assertThatThrownBy(this::resolve).isInstanceOfSatisfying(SwitchbackException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.CONFIG);
            assertThat(e.getMessage()).contains("V2__add_orders.SQL: not a migration name as written (letter case); rename it to V2__add_orders.sql")
                    .contains("003_fix.DOWN.sql: not a migration name as written (letter case); rename it to 003_fix.down.sql")
                    .contains("v4__lower.sql: not a migration name as written (letter case); rename it to V4__lower.sql")
                    .doesNotContain("005_backup");
        });
    }

    @Test
    void acceptsAllThreeNamingStylesInOneProjectSortedNumerically() throws IOException {
        write("V1__create_users.sql", "CREATE TABLE users (id INT);");
        write("U1__create_users.sql", "DROP TABLE users;");
        write("sub/dir/002_add_orders.up.sql", "CREATE TABLE orders (id INT);");
        write("sub/dir/002_add_orders.down.sql", "DROP TABLE orders;");
        write("10_fix_orders.sql", "UPDATE orders SET id = id;");
        write("1.5_between.sql", "SELECT 1;");
        write("README.md", "not a migration, ignored");

        List<Migration> ms = resolve();
        assertThat(ms).extracting(m -> m.version().toString()).containsExactly("1", "1.5", "002", "10");
        assertThat(ms.get(0).description()).isEqualTo("create users");
        assertThat(ms.get(0).downSql()).isEqualTo("DROP TABLE users;");
        assertThat(ms.get(2).script()).isEqualTo("sub/dir/002_add_orders.up.sql");
        assertThat(ms.get(2).hasDown()).isTrue();
        assertThat(ms.get(3).hasDown()).isFalse();
    }

    @Test
    void reportsEveryNamingProblemTogetherNamingTheFiles() throws IOException {
        write("002_a.sql", "SELECT 1;");
        write("2_b.sql", "SELECT 1;");
        write("U7__orphan.sql", "SELECT 1;");
        write("create_table.sql", "SELECT 1;");
        write("R__repeatable.sql", "SELECT 1;");
        assertThatThrownBy(this::resolve).isInstanceOfSatisfying(SwitchbackException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.CONFIG);
            assertThat(e.getMessage()).contains("duplicate version 2: 002_a.sql, 2_b.sql")
                    .contains("U7__orphan.sql: down migration without an up migration for version 7")
                    .contains("create_table.sql: not a migration name")
                    .contains("R__repeatable.sql: not a migration name");
        });
    }

    @Test
    void readsDirectivesAndRejectsUnknownOnes() throws IOException {
        write("001_concurrently.sql", "-- build the index without blocking writes\n-- switchback:no-transaction\n\n"
                + "CREATE INDEX CONCURRENTLY i ON t (c);");
        write("002_late_comment.sql", "SELECT 1;\n-- switchback:no-transaction\n");
        List<Migration> ms = resolve();
        assertThat(ms.get(0).directives().noTransaction()).isTrue();
        assertThat(ms.get(1).directives().noTransaction()).as("only leading comments count").isFalse();

        write("003_typo.sql", "-- switchback:no-transactoin\nSELECT 1;");
        assertThatThrownBy(this::resolve).isInstanceOfSatisfying(SwitchbackException.class, e ->
                assertThat(e.getMessage()).contains("003_typo.sql:1: unknown directive 'switchback:no-transactoin'"));
    }

    @Test
    void checksumIgnoresBomAndLineEndings() throws IOException {
        write("001_a.sql", "CREATE TABLE a (id INT);\nINSERT INTO a VALUES (1);\n");
        String lf = resolve().get(0).checksum();
        Files.write(dir.resolve("001_a.sql"), "\uFEFFCREATE TABLE a (id INT);\r\nINSERT INTO a VALUES (1);\r\n".getBytes(StandardCharsets.UTF_8));
        assertThat(resolve().get(0).checksum()).isEqualTo(lf).hasSize(64);
        write("001_a.sql", "CREATE TABLE a (id BIGINT);\nINSERT INTO a VALUES (1);\n");
        assertThat(resolve().get(0).checksum()).isNotEqualTo(lf);
    }

    @Test
    void findsMigrationsInsideAnApplicationJar() throws IOException {
        Path jar = dir.resolve("app.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            // directory entries, as Maven and Gradle write them
            for (String d : new String[]{"db/", "db/migration/", "db/other/"}) {
                out.putNextEntry(new JarEntry(d));
                out.closeEntry();
            }
            for (String[] e : new String[][]{{"db/migration/V1__one.sql", "CREATE TABLE one (id INT);"},
                    {"db/migration/V2__two.sql", "CREATE TABLE two (id INT);"}, {"db/migration/U2__two.sql", "DROP TABLE two;"},
                    {"db/other/V9__elsewhere.sql", "SELECT 1;"}}) {
                out.putNextEntry(new JarEntry(e[0]));
                out.write(e[1].getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
        try (URLClassLoader loader = new URLClassLoader(new URL[]{jar.toUri().toURL()}, null)) {
            List<Migration> ms = MigrationResolver.resolve(new LocationScanner(dir, loader).scan(List.of("classpath:db/migration")), SqlFlavor.POSTGRES);
            assertThat(ms).extracting(m -> m.version().toString()).containsExactly("1", "2");
            assertThat(ms.get(1).script()).isEqualTo("classpath:db/migration/V2__two.sql");
            assertThat(ms.get(1).downSql()).isEqualTo("DROP TABLE two;");
            assertThatThrownBy(() -> new LocationScanner(dir, loader).scan(List.of("classpath:db/missing")))
                    .isInstanceOfSatisfying(SwitchbackException.class, e -> assertThat(e.getMessage()).contains("not on the classpath"));
        }
    }

    @Test
    void aMissingDirectoryIsAConfigError() {
        assertThatThrownBy(() -> new LocationScanner(dir, getClass().getClassLoader()).scan(List.of("nope")))
                .isInstanceOfSatisfying(SwitchbackException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.CONFIG);
                    assertThat(e.getMessage()).contains("'nope' is not a directory");
                });
    }
}
