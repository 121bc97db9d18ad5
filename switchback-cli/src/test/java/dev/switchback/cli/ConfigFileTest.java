package dev.switchback.cli;

import dev.switchback.migration.ErrorCode;
import dev.switchback.migration.Migration;
import dev.switchback.migration.MigrationConfig;
import dev.switchback.migration.MigrationListener;
import dev.switchback.migration.Setting;
import dev.switchback.migration.Settings;
import dev.switchback.migration.Switchback;
import dev.switchback.migration.SwitchbackException;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** switchback.yml: expansion, validation, path resolution and precedence. Pure: no database, no process. */
class ConfigFileTest {
    @TempDir
    Path dir;

    private Path yaml(String text) throws IOException {
        Path file = dir.resolve("switchback.yml");
        Files.writeString(file, text);
        return file;
    }

    private static SwitchbackException configError(Runnable r) {
        try {
            r.run();
        } catch (SwitchbackException e) {
            assertThat(e.code()).as(e.getMessage()).isEqualTo(ErrorCode.CONFIG);
            return e;
        }
        throw new AssertionError("expected a config error");
    }

    @Nested
    class Expansion {
        @Test
        void setVariableIsSubstituted() {
            assertThat(ConfigFile.expand("jdbc:postgresql://${DB_HOST}:5432/app", Map.of("DB_HOST", "db.internal")))
                    .isEqualTo("jdbc:postgresql://db.internal:5432/app");
        }

        @Test
        void defaultIsUsedWhenUnsetOrEmpty() {
            assertThat(ConfigFile.expand("${DB_URL:-jdbc:sqlite:app.db}", Map.of())).isEqualTo("jdbc:sqlite:app.db");
            assertThat(ConfigFile.expand("${DB_URL:-jdbc:sqlite:app.db}", Map.of("DB_URL", ""))).isEqualTo("jdbc:sqlite:app.db");
            assertThat(ConfigFile.expand("${DB_URL:-jdbc:sqlite:app.db}", Map.of("DB_URL", "jdbc:sqlite:other.db")))
                    .isEqualTo("jdbc:sqlite:other.db");
            assertThat(ConfigFile.expand("a${EMPTY_DEFAULT:-}b", Map.of())).isEqualTo("ab");
        }

        @Test
        void setButEmptyWithoutDefaultIsEmpty() {
            assertThat(ConfigFile.expand("x${V}y", Map.of("V", ""))).isEqualTo("xy");
        }

        @Test
        void severalVariablesInOneValue() {
            assertThat(ConfigFile.expand("${A}-${B:-b}-${C}", Map.of("A", "1", "C", "3"))).isEqualTo("1-b-3");
        }

        @Test
        void replacementTextIsTakenLiterally() {
            // $ and \ in a value (passwords!) are not regex group references
            assertThat(ConfigFile.expand("${PW}", Map.of("PW", "p$1\\w$"))).isEqualTo("p$1\\w$");
            assertThat(ConfigFile.expand("${PW:-d$1\\}", Map.of())).isEqualTo("d$1\\");
        }

        @Test
        void aDefaultMayBeAnotherVariableWithItsOwnDefault() {
            assertThat(ConfigFile.expand("${A:-${B}}", Map.of("B", "b"))).isEqualTo("b");
            assertThat(ConfigFile.expand("${A:-${B}}", Map.of("A", "a"))).as("the default is not needed, so B may be unset").isEqualTo("a");
            assertThat(ConfigFile.expand("${A:-${B:-x}}", Map.of())).isEqualTo("x");
            assertThat(ConfigFile.expand("${A:-${B:-x}}", Map.of("B", "b"))).isEqualTo("b");
            assertThat(ConfigFile.expand("jdbc:${A:-${B:-sqlite}:${C:-app}.db}/x", Map.of("C", "c"))).isEqualTo("jdbc:sqlite:c.db/x");
            assertThat(ConfigFile.expand("${A:-${B:-${C:-deep}}}-${D:-d}}", Map.of())).isEqualTo("deep-d}");
            assertThatThrownBy(() -> ConfigFile.expand("${A:-${B}}", Map.of())).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("${B}").hasMessageContaining("not set");
        }

        @Test
        void textWithoutBracesIsLeftAlone() {
            assertThat(ConfigFile.expand("$HOME and ${ not a var", Map.of("HOME", "/root"))).isEqualTo("$HOME and ${ not a var");
        }

        @Test
        void unsetVariableWithoutDefaultIsAnErrorNamingIt() {
            assertThatThrownBy(() -> ConfigFile.expand("jdbc:postgresql://${DB_HOST}/app", Map.of()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("${DB_HOST}")
                    .hasMessageContaining("not set");
        }

        @Test
        void unsetVariableInTheFileIsAConfigErrorNamingVariableKeyAndFile() throws IOException {
            Path file = yaml("database:\n  url: jdbc:postgresql://${SB_TEST_UNSET_HOST}:5432/app\n");
            SwitchbackException e = configError(() -> ConfigFile.read(file, Map.of()));
            assertThat(e.getMessage()).contains("SB_TEST_UNSET_HOST").contains("database.url").contains(file.toString());
        }

        @Test
        void variablesAreExpandedFromTheGivenEnvironment() throws IOException {
            Path file = yaml("""
                    database:
                      url: ${SB_URL:-jdbc:sqlite:default.db}
                      user: ${SB_USER}
                      password: ${SB_PASSWORD}
                    migrations:
                      lockTimeout: ${SB_LOCK:-90s}
                    """);
            Map<Setting, String> values = ConfigFile.read(file, Map.of("SB_USER", "app", "SB_PASSWORD", "s3cr3t"));
            assertThat(values).containsEntry(Setting.DATABASE_URL, "jdbc:sqlite:default.db")
                    .containsEntry(Setting.DATABASE_USER, "app")
                    .containsEntry(Setting.DATABASE_PASSWORD, "s3cr3t")
                    .containsEntry(Setting.LOCK_TIMEOUT, "90s");
        }
    }

    @Nested
    class Reading {
        @Test
        void flowAndBlockListsAreJoinedWithCommas() throws IOException {
            Path file = yaml("migrations:\n  locations: [db/schema, db/data]\n");
            assertThat(ConfigFile.read(file, Map.of())).containsEntry(Setting.LOCATIONS, "db/schema,db/data");
            file = yaml("migrations:\n  locations:\n    - db/schema\n    - classpath:db/migration\n    - ${EXTRA:-db/extra}\n");
            assertThat(ConfigFile.read(file, Map.of())).containsEntry(Setting.LOCATIONS, "db/schema,classpath:db/migration,db/extra");
        }

        @Test
        void scalarsOfEveryYamlTypeBecomeText() throws IOException {
            Path file = yaml("""
                    migrations:
                      maxRetries: 7
                      outOfOrder: true
                      lockTimeout: 30s
                      target: 2.1
                    """);
            assertThat(ConfigFile.read(file, Map.of()))
                    .containsEntry(Setting.MAX_RETRIES, "7")
                    .containsEntry(Setting.OUT_OF_ORDER, "true")
                    .containsEntry(Setting.LOCK_TIMEOUT, "30s")
                    .containsEntry(Setting.TARGET, "2.1");
        }

        @Test
        void everySettingCanBeWrittenUnderItsPath() throws IOException {
            StringBuilder db = new StringBuilder("database:\n");
            StringBuilder mig = new StringBuilder("migrations:\n");
            for (Setting s : Setting.values()) {
                String[] parts = s.path().split("\\.");
                (parts[0].equals("database") ? db : mig).append("  ").append(parts[1]).append(": v").append(s.ordinal()).append('\n');
            }
            Map<Setting, String> values = ConfigFile.read(yaml(db + mig.toString()), Map.of());
            for (Setting s : Setting.values()) {
                assertThat(values).containsEntry(s, "v" + s.ordinal());
            }
        }

        @Test
        void emptyKeysAndSectionsAreIgnored() throws IOException {
            assertThat(ConfigFile.read(yaml(""), Map.of())).isEmpty();
            assertThat(ConfigFile.read(yaml("database:\nmigrations:\n  table:\n"), Map.of())).isEmpty();
        }

        @Test
        void noFileMeansNoValues() {
            assertThat(ConfigFile.read(null, Map.of())).isEmpty();
        }

        @Test
        void sectionsOfOtherCapabilitiesAreKnown() throws IOException {
            Path file = yaml("""
                    database:
                      url: jdbc:sqlite:app.db
                    backup:
                    deploy:
                    lint:
                    """);
            assertThat(ConfigFile.read(file, Map.of())).containsOnly(Map.entry(Setting.DATABASE_URL, "jdbc:sqlite:app.db"));
        }

        @Test
        void workersAMappingOfMappingsIsHandedOverAsJson() throws IOException {
            Path file = yaml("""
                    deploy:
                      workers:
                        queue:
                          command: [sh, worker.sh, "${RELEASE}"]
                          env: {QUEUE: orders}
                          healthCheck: {command: "test -f hb-$SWITCHBACK_INSTANCE"}
                          overlap: true
                    """);
            String json = ConfigFile.select(dev.switchback.deploy.DeploySetting.class, ConfigFile.values(file, Map.of()))
                    .get(dev.switchback.deploy.DeploySetting.WORKERS);
            List<String> problems = new java.util.ArrayList<>();
            var workers = dev.switchback.deploy.workers.WorkerSettings.parse(json, problems);
            assertThat(problems).isEmpty();
            assertThat(workers).singleElement().satisfies(w -> {
                assertThat(w.command()).containsExactly("sh", "worker.sh", "${RELEASE}");
                assertThat(w.env()).containsEntry("QUEUE", "orders");
                assertThat(w.health().command()).containsExactly("sh", "-c", "test -f hb-$SWITCHBACK_INSTANCE");
                assertThat(w.overlap()).isTrue();
            });
        }

        @Test
        void unknownKeyIsRejectedWithTheKnownKeysOfItsSection() throws IOException {
            Path file = yaml("migrations:\n  lockTimout: 5s\n");
            SwitchbackException e = configError(() -> ConfigFile.read(file, Map.of()));
            assertThat(e.getMessage()).contains(file.toString()).contains("unknown key 'migrations.lockTimout'");
            for (Setting s : Setting.values()) {
                if (s.path().startsWith("migrations.")) {
                    assertThat(e.getMessage()).contains(s.path().substring("migrations.".length()));
                }
            }
            assertThat(e.getMessage()).doesNotContain("known: url");
        }

        @Test
        void unknownDatabaseKeyListsUrlUserPassword() throws IOException {
            Path file = yaml("database:\n  host: db.internal\n");
            SwitchbackException e = configError(() -> ConfigFile.read(file, Map.of()));
            assertThat(e.getMessage()).contains("unknown key 'database.host'").contains("url, user, password");
        }

        @Test
        void unknownSectionIsRejectedWithTheKnownSections() throws IOException {
            Path file = yaml("databse:\n  url: jdbc:sqlite:app.db\n");
            SwitchbackException e = configError(() -> ConfigFile.read(file, Map.of()));
            assertThat(e.getMessage()).contains("unknown section 'databse'")
                    .contains("database").contains("migrations").contains("backup").contains("deploy").contains("lint");
        }

        @Test
        void everyProblemIsReportedAtOnce() throws IOException {
            Path file = yaml("""
                    database:
                      url: ${SB_TEST_UNSET_URL}
                      pasword: x
                    migrations:
                      locatons: [a]
                    extras: 1
                    """);
            SwitchbackException e = configError(() -> ConfigFile.read(file, Map.of()));
            assertThat(e.getMessage()).contains("SB_TEST_UNSET_URL").contains("database.pasword")
                    .contains("migrations.locatons").contains("extras");
        }

        @Test
        void aSectionThatIsNotAMappingIsRejected() throws IOException {
            Path file = yaml("database: jdbc:sqlite:app.db\n");
            assertThat(configError(() -> ConfigFile.read(file, Map.of())).getMessage()).contains("'database' must be a mapping");
        }

        @Test
        void aDocumentThatIsNotAMappingIsRejected() throws IOException {
            Path file = yaml("- database\n- migrations\n");
            assertThat(configError(() -> ConfigFile.read(file, Map.of())).getMessage()).contains(file.toString());
        }

        @Test
        void aKeyGivenTwiceIsAnErrorNamingTheKeyAndBothLines() throws IOException {
            Path file = yaml("""
                    database:
                      url: jdbc:sqlite:first.db
                      user: app
                      url: jdbc:sqlite:second.db
                    migrations:
                      locations: [a]
                    """);
            assertThat(configError(() -> ConfigFile.read(file, Map.of())).getMessage()).contains(file.toString())
                    .contains("'database.url'").contains("lines 2 and 4");
            Path sections = yaml("database:\n  url: jdbc:sqlite:a.db\nmigrations:\n  table: t\ndatabase:\n  user: x\n");
            assertThat(configError(() -> ConfigFile.read(sections, Map.of())).getMessage()).contains("'database'").contains("lines 1 and 5");
            Path nested = yaml("deploy:\n  service:\n    healthCheck: {path: /a, path: /b}\n");
            assertThat(configError(() -> ConfigFile.values(nested, Map.of())).getMessage())
                    .contains("'deploy.service.healthCheck.path'").contains("lines 3 and 3");
        }

        @Test
        void invalidYamlIsAConfigErrorNamingTheFile() throws IOException {
            Path file = yaml("database:\n  url: [unclosed\n");
            assertThat(configError(() -> ConfigFile.read(file, Map.of())).getMessage()).contains(file.toString()).contains("YAML");
        }
    }

    @Nested
    class Locating {
        @Test
        void explicitFileThatDoesNotExistIsAConfigError() {
            Path missing = dir.resolve("nope.yml");
            assertThat(configError(() -> ConfigFile.locate(missing, Map.of())).getMessage()).contains(missing.toString());
        }

        @Test
        void aDirectoryIsNotAConfigFileAndTheErrorSaysSo() throws IOException {
            Path folder = Files.createDirectories(dir.resolve("conf"));
            assertThat(configError(() -> ConfigFile.locate(folder, Map.of())).getMessage()).contains(folder.toString())
                    .contains("is a directory").doesNotContain("does not exist");
            assertThat(configError(() -> ConfigFile.locate(null, Map.of("SWITCHBACK_CONFIG", folder.toString()))).getMessage())
                    .contains("is a directory").contains("SWITCHBACK_CONFIG");
        }

        @Test
        void explicitFileIsMadeAbsolute() throws IOException {
            Path file = yaml("");
            assertThat(ConfigFile.locate(file, Map.of())).isEqualTo(file.toAbsolutePath().normalize());
        }

        @Test
        void switchbackConfigVariableNamesTheFile() throws IOException {
            Path file = yaml("");
            assertThat(ConfigFile.locate(null, Map.of("SWITCHBACK_CONFIG", file.toString()))).isEqualTo(file);
            Path missing = dir.resolve("gone.yml");
            assertThat(configError(() -> ConfigFile.locate(null, Map.of("SWITCHBACK_CONFIG", missing.toString()))).getMessage())
                    .contains(missing.toString());
        }

        @Test
        void explicitFileBeatsTheVariable() throws IOException {
            Path file = yaml("");
            Path other = Files.writeString(dir.resolve("other.yml"), "");
            assertThat(ConfigFile.locate(file, Map.of("SWITCHBACK_CONFIG", other.toString()))).isEqualTo(file);
        }
    }

    @Nested
    class Precedence {
        private final Map<String, String> env = new HashMap<>();
        private final Map<Setting, String> flags = new EnumMap<>(Setting.class);

        private Map<Setting, String> resolve(Path file) {
            return Settings.resolve(ConfigFile.read(file, env), env, flags);
        }

        @Test
        void defaultsApplyWhenNothingIsSet() {
            Map<Setting, String> r = resolve(null);
            for (Setting s : Setting.values()) {
                if (s.defaultValue() != null) {
                    assertThat(r).containsEntry(s, s.defaultValue());
                } else {
                    assertThat(r).doesNotContainKey(s);
                }
            }
            assertThat(r).containsEntry(Setting.LOCK_TIMEOUT, "60s").containsEntry(Setting.TABLE, "switchback_history");
        }

        @Test
        void flagBeatsEnvBeatsFileBeatsDefault() throws IOException {
            Path file = yaml("migrations:\n  lockTimeout: 10s\n  maxRetries: 9\n  table: file_history\n");
            env.put("SWITCHBACK_MIGRATIONS_LOCK_TIMEOUT", "20s");
            env.put("SWITCHBACK_MIGRATIONS_MAX_RETRIES", "8");
            flags.put(Setting.LOCK_TIMEOUT, "30s");
            Map<Setting, String> r = resolve(file);
            assertThat(r).containsEntry(Setting.LOCK_TIMEOUT, "30s")      // flag over env and file
                    .containsEntry(Setting.MAX_RETRIES, "8")              // env over file
                    .containsEntry(Setting.TABLE, "file_history")         // file over default
                    .containsEntry(Setting.LOCK_LEASE, "30s");            // default
        }

        @Test
        void everySettingHasAnEnvironmentName() {
            for (Setting s : Setting.values()) {
                Map<Setting, String> r = Settings.resolve(Map.of(s, "from-file"), Map.of(s.envName(), "from-env"), Map.of());
                assertThat(r).as(s.envName()).containsEntry(s, "from-env");
            }
            assertThat(Setting.LOCK_TIMEOUT.envName()).isEqualTo("SWITCHBACK_MIGRATIONS_LOCK_TIMEOUT");
            assertThat(Setting.DATABASE_URL.envName()).isEqualTo("SWITCHBACK_DATABASE_URL");
        }

        @Test
        void runbookAliasesAreAccepted() {
            env.put("AUTO_MIGRATE", "false");
            env.put("MIGRATION_DRY_RUN", "true");
            env.put("MIGRATION_MAX_RETRIES", "7");
            env.put("MIGRATION_LOCK_TIMEOUT", "1500");
            Map<Setting, String> r = resolve(null);
            assertThat(r).containsEntry(Setting.SKIP, "true")
                    .containsEntry(Setting.DRY_RUN, "true")
                    .containsEntry(Setting.MAX_RETRIES, "7")
                    .containsEntry(Setting.LOCK_TIMEOUT, "1500ms");
            MigrationConfig c = Switchback.configure().environment(Map.of()).baseDir(dir)
                    .set(Setting.LOCK_TIMEOUT, r.get(Setting.LOCK_TIMEOUT)).load().config();
            assertThat(c.lockTimeout()).isEqualTo(Duration.ofMillis(1500));
        }

        @Test
        void autoMigrateTrueDoesNotSkip() {
            env.put("AUTO_MIGRATE", "true");
            assertThat(resolve(null)).containsEntry(Setting.SKIP, "false");
        }

        @Test
        void aliasBeatsTheFile() throws IOException {
            Path file = yaml("migrations:\n  skip: false\n  dryRun: false\n");
            env.put("AUTO_MIGRATE", "false");
            env.put("MIGRATION_DRY_RUN", "true");
            assertThat(resolve(file)).containsEntry(Setting.SKIP, "true").containsEntry(Setting.DRY_RUN, "true");
        }

        @Test
        void flagBeatsAlias() {
            env.put("MIGRATION_LOCK_TIMEOUT", "1500");
            flags.put(Setting.LOCK_TIMEOUT, "3s");
            assertThat(resolve(null)).containsEntry(Setting.LOCK_TIMEOUT, "3s");
        }

        @Test
        void fileValueFromAVariableStillLosesToTheSwitchbackVariable() throws IOException {
            Path file = yaml("database:\n  url: ${DB_URL:-jdbc:sqlite:file.db}\n");
            env.put("DB_URL", "jdbc:sqlite:expanded.db");
            assertThat(resolve(file)).containsEntry(Setting.DATABASE_URL, "jdbc:sqlite:expanded.db");
            env.put("SWITCHBACK_DATABASE_URL", "jdbc:sqlite:env.db");
            assertThat(resolve(file)).containsEntry(Setting.DATABASE_URL, "jdbc:sqlite:env.db");
            flags.put(Setting.DATABASE_URL, "jdbc:sqlite:flag.db");
            assertThat(resolve(file)).containsEntry(Setting.DATABASE_URL, "jdbc:sqlite:flag.db");
        }

        /**
         * The quick start's config says {@code url: ${SWITCHBACK_DATABASE_URL:-jdbc:sqlite:...}}: an exported but empty
         * variable means "use the default" there (as it does for the runbook aliases, whose blank values are ignored),
         * so the environment layer must not then override the file with the empty string.
         */
        @Test
        void blankSwitchbackVariableDoesNotOverrideTheFile() throws IOException {
            Path file = yaml("database:\n  url: ${SWITCHBACK_DATABASE_URL:-jdbc:sqlite:.switchback/app.db}\n");
            env.put("SWITCHBACK_DATABASE_URL", "");
            assertThat(resolve(file)).containsEntry(Setting.DATABASE_URL, "jdbc:sqlite:.switchback/app.db");
        }
    }

    @Nested
    class Paths {
        private Path configWithMigrations() throws IOException {
            Path project = Files.createDirectories(dir.resolve("project"));
            Files.createDirectories(project.resolve("db/migrations"));
            Files.writeString(project.resolve("db/migrations/001_create_a.up.sql"), "CREATE TABLE a (id INTEGER);\n");
            Files.writeString(project.resolve("db/migrations/001_create_a.down.sql"), "DROP TABLE a;\n");
            Path file = project.resolve("switchback.yml");
            Files.writeString(file, "database:\n  url: jdbc:sqlite:.switchback/app.db\nmigrations:\n  locations: [db/migrations]\n");
            return file;
        }

        private SwitchbackCommand command(Path configFile) {
            assertThat(System.getenv().keySet()).as("a SWITCHBACK_* variable in the test environment would change the outcome")
                    .noneMatch(k -> k.startsWith("SWITCHBACK_") && !k.equals("SWITCHBACK_JAVA_OPTS"));
            SwitchbackCommand cmd = new SwitchbackCommand();
            cmd.config = configFile;
            return cmd;
        }

        @Test
        void relativeSqlitePathResolvesAgainstTheConfigFolderNotTheWorkingDirectory() throws IOException {
            Path file = configWithMigrations();
            assertThat(file.getParent()).isNotEqualTo(Path.of("").toAbsolutePath());
            MigrationConfig c = command(file).config();
            Path project = file.getParent().toAbsolutePath().normalize();
            assertThat(c.baseDir()).isEqualTo(project);
            assertThat(c.url()).isEqualTo("jdbc:sqlite:" + project.resolve(".switchback/app.db"));
        }

        @Test
        void relativeLocationsResolveAgainstTheConfigFolder() throws IOException {
            Path file = configWithMigrations();
            List<Migration> found = command(file).migrator(Map.of(), MigrationListener.NONE).migrations();
            assertThat(found).extracting(Migration::script).containsExactly("db/migrations/001_create_a.up.sql");
            assertThat(found.get(0).downScript()).isEqualTo("db/migrations/001_create_a.down.sql");
        }

        @Test
        void relativeConfigPathIsResolvedToo() throws IOException {
            Path file = configWithMigrations();
            Path relative = Path.of("").toAbsolutePath().relativize(file.toAbsolutePath());
            MigrationConfig c = command(relative).config();
            assertThat(c.url()).isEqualTo("jdbc:sqlite:" + file.getParent().toAbsolutePath().normalize().resolve(".switchback/app.db"));
        }

        @Test
        void absoluteAndSpecialSqliteUrlsAreLeftAlone() {
            Path abs = dir.resolve("abs.db").toAbsolutePath();
            for (String url : List.of("jdbc:sqlite:" + abs, "jdbc:sqlite::memory:", "jdbc:sqlite:file:x.db?mode=memory")) {
                MigrationConfig c = Switchback.configure().environment(Map.of()).baseDir(dir.resolve("elsewhere")).url(url).load().config();
                assertThat(c.url()).isEqualTo(url);
            }
        }

        @Test
        void withoutAConfigFileTheWorkingDirectoryIsTheBase() {
            assertThat(Path.of("switchback.yml")).as("a switchback.yml in the working directory").doesNotExist();
            MigrationConfig c = command(null).config();
            Path cwd = Path.of("").toAbsolutePath();
            assertThat(c.baseDir()).isEqualTo(cwd);
            assertThat(c.url()).isEqualTo("jdbc:sqlite:" + cwd.resolve("switchback.db"));
        }

        @Test
        void flagsOnTheCommandBeatTheFile() throws IOException {
            Path file = configWithMigrations();
            SwitchbackCommand cmd = command(file);
            cmd.url = "jdbc:sqlite:flag.db";
            cmd.user = "u";
            cmd.password = "p";
            MigrationConfig c = cmd.config();
            assertThat(c.url()).isEqualTo("jdbc:sqlite:" + file.getParent().toAbsolutePath().normalize().resolve("flag.db"));
            assertThat(c.user()).isEqualTo("u");
            assertThat(c.password()).isEqualTo("p");
            assertThat(c.toString()).doesNotContain("=p,").contains("password=****");
        }

        @Test
        void invalidValuesFromTheFileAreConfigErrorsListedTogether() throws IOException {
            Path file = yaml("""
                    database:
                      url: jdbc:oracle:thin:@db:1521:orcl
                    migrations:
                      lockTimeout: 5 minutes
                      maxRetries: many
                    """);
            SwitchbackException e = configError(() -> command(file).config());
            assertThat(e.getMessage()).contains("Unsupported database URL").contains("jdbc:postgresql://")
                    .contains("jdbc:mariadb://").contains("jdbc:sqlite:")
                    .contains("migrations.lockTimeout '5 minutes'").contains("migrations.maxRetries 'many'");
        }
    }
}
