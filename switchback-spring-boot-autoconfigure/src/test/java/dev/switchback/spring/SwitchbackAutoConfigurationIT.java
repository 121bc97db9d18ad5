package dev.switchback.spring;

import dev.switchback.migration.MigrateResult;
import dev.switchback.migration.foreign.FlywayChecksum;
import dev.switchback.migration.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A real Spring Boot 3.5 application (JDBC, Hikari; web and actuator where said) started against the real PostgreSQL. */
class SwitchbackAutoConfigurationIT {
    private TestDatabase db;

    @BeforeEach
    void setUp() {
        db = TestDatabase.postgres();
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    /** Reads the migrated table when it is created: it fails if the context creates it before the migration. */
    static final class ItemReader {
        final Integer items;

        ItemReader(JdbcTemplate jdbc) {
            this.items = jdbc.queryForObject("SELECT COUNT(*) FROM items", Integer.class);
        }
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class ReadingApp {
        @Bean
        ItemReader itemReader(JdbcTemplate jdbc) {
            return new ItemReader(jdbc);
        }
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class PlainApp {
    }

    /** Replaces the migrate call: records that it ran, then migrates. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class CustomizedApp {
        final List<String> calls = new ArrayList<>();

        @Bean
        SwitchbackConfigurationCustomizer installedBy() {
            return b -> b.installedBy("customizer");
        }

        @Bean
        SwitchbackMigrationStrategy strategy() {
            return m -> {
                calls.add("strategy");
                return m.migrate();
            };
        }
    }

    /** Sees AUTO_MIGRATE=false in its environment (the process's own cannot be set from a test). */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class AutoMigrateFalseApp {
        @Bean
        SwitchbackConfigurationCustomizer autoMigrateFalse() {
            return b -> b.environment(java.util.Map.of("AUTO_MIGRATE", "false"));
        }
    }

    @Test
    void autoMigrateFalseInTheEnvironmentWinsOverTheProperties() throws Exception {
        try (ConfigurableApplicationContext context = start(AutoMigrateFalseApp.class, "--switchback.skip=false")) {
            assertThat(context.getBean(SwitchbackMigrationInitializer.class).result().skipped()).isTrue();
        }
        assertThat(db.tableExists("items")).isFalse();
    }

    /** Sees seed 001's EMERGENCY_BYPASS=true in its environment. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class EmergencyBypassApp {
        @Bean
        SwitchbackConfigurationCustomizer emergencyBypass() {
            return b -> b.environment(java.util.Map.of("EMERGENCY_BYPASS", "true"));
        }
    }

    @Test
    void emergencyBypassInTheEnvironmentWinsOverTheProperties() throws Exception {
        try (ConfigurableApplicationContext context = start(EmergencyBypassApp.class, "--switchback.skip=false")) {
            assertThat(context.getBean(SwitchbackMigrationInitializer.class).result().skipped()).isTrue();
        }
        assertThat(db.tableExists("items")).isFalse();
    }

    /** The application's DataSource, and another marked for migrating (e.g. a schema owner's). */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class TwoDataSourcesApp {
        static String appUrl;
        static String ownerUrl;

        @Bean
        @org.springframework.context.annotation.Primary
        javax.sql.DataSource dataSource() {
            return new org.springframework.jdbc.datasource.DriverManagerDataSource(appUrl, "postgres", "");
        }

        @Bean
        @SwitchbackDataSource
        javax.sql.DataSource ownerDataSource() {
            return new org.springframework.jdbc.datasource.DriverManagerDataSource(ownerUrl, "postgres", "");
        }
    }

    @Test
    void theSwitchbackDataSourceIsTheOneMigrated() throws Exception {
        try (TestDatabase owner = TestDatabase.postgres()) {
            TwoDataSourcesApp.appUrl = db.url();
            TwoDataSourcesApp.ownerUrl = owner.url();
            try (ConfigurableApplicationContext context = start(TwoDataSourcesApp.class)) {
                assertThat(context.getBean(SwitchbackMigrationInitializer.class).result().applied()).hasSize(2);
            }
            assertThat(owner.tableExists("items")).isTrue();
            assertThat(db.tableExists("items")).isFalse();
        }
    }

    private ConfigurableApplicationContext start(Class<?> app, String... args) {
        return start(WebApplicationType.NONE, app, args);
    }

    private ConfigurableApplicationContext start(WebApplicationType type, Class<?> app, String... args) {
        SpringApplication application = new SpringApplication(app);
        application.setWebApplicationType(type);
        String[] all = new String[args.length + 3];
        all[0] = "--spring.datasource.url=" + db.url();
        all[1] = "--spring.datasource.username=" + db.user();
        all[2] = "--spring.main.banner-mode=off";
        System.arraycopy(args, 0, all, 3, args.length);
        return application.run(all);
    }

    @Test
    void theApplicationsDataSourceIsMigratedBeforeAnythingUsesIt() throws Exception {
        try (ConfigurableApplicationContext context = start(ReadingApp.class)) {
            assertThat(context.getBean(ItemReader.class).items).isEqualTo(1);
            assertThat(context.getBean(SwitchbackMigrationInitializer.class).result().applied()).hasSize(2);
        }
        assertThat(db.count("SELECT COUNT(*) FROM switchback_history WHERE state = 'success'")).isEqualTo(2);
        try (ConfigurableApplicationContext again = start(ReadingApp.class)) {
            assertThat(again.getBean(SwitchbackMigrationInitializer.class).result().applied()).isEmpty();
        }
    }

    @Test
    void onMariaDbToo() throws Exception {
        try (TestDatabase maria = TestDatabase.mariadb()) {
            SpringApplication application = new SpringApplication(ReadingApp.class);
            application.setWebApplicationType(WebApplicationType.NONE);
            try (ConfigurableApplicationContext context = application.run("--spring.datasource.url=" + maria.url(),
                    "--spring.datasource.username=" + maria.user(), "--spring.datasource.password=" + maria.password(),
                    "--spring.main.banner-mode=off")) {
                assertThat(context.getBean(ItemReader.class).items).isEqualTo(1);
            }
            assertThat(maria.count("SELECT COUNT(*) FROM switchback_history WHERE state = 'success'")).isEqualTo(2);
        }
    }

    @Test
    void switchbackEnabledFalseMigratesNothing() throws Exception {
        try (ConfigurableApplicationContext context = start(PlainApp.class, "--switchback.enabled=false")) {
            assertThat(context.getBeansOfType(SwitchbackMigrationInitializer.class)).isEmpty();
        }
        assertThat(db.tableExists("items")).isFalse();
    }

    @Test
    void theEndpointAndTheHealthIndicatorAnswerOverHttpAndHealthIsDownOnAFailedMigration() throws Exception {
        try (ConfigurableApplicationContext context = start(WebApplicationType.SERVLET, PlainApp.class, "--server.port=0",
                "--management.endpoints.web.exposure.include=health,switchback", "--management.endpoint.health.show-details=always")) {
            String base = "http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port") + "/actuator/";
            HttpResponse<String> status = get(base + "switchback");
            assertThat(status.statusCode()).isEqualTo(200);
            assertThat(status.body()).contains("\"current\":\"2\"", "\"pending\":[]", "db/migration/V1__create_items.sql\"",
                    "\"startup\":{\"from\":null,\"to\":\"2\",\"applied\":[\"1\",\"2\"]");
            HttpResponse<String> health = get(base + "health");
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).contains("\"switchback\":{\"status\":\"UP\"", "\"applied\":2");

            db.execute("UPDATE switchback_history SET state = 'failed' WHERE version = '2'");
            HttpResponse<String> down = get(base + "health");
            assertThat(down.statusCode()).isEqualTo(503);
            assertThat(down.body()).contains("\"switchback\":{\"status\":\"DOWN\"", "2 (failed)");
        }
    }

    @Test
    void baselineOnMigrateMarksAnExistingSchemaAndACustomizerAndAStrategyAreUsed() throws Exception {
        db.execute("CREATE TABLE items (id INTEGER PRIMARY KEY, name VARCHAR(100) NOT NULL)");
        try (ConfigurableApplicationContext context = start(CustomizedApp.class, "--switchback.baseline-on-migrate=true",
                "--switchback.baseline-version=1")) {
            MigrateResult r = context.getBean(SwitchbackMigrationInitializer.class).result();
            assertThat(r.from()).isEqualTo("1");
            assertThat(r.applied()).extracting(a -> a.version()).containsExactly("2");
            assertThat(context.getBean(CustomizedApp.class).calls).containsExactly("strategy");
        }
        assertThat(db.count("SELECT COUNT(*) FROM switchback_history WHERE version = '2' AND installed_by = 'customizer'")).isEqualTo(1);
    }

    @Test
    void importFromFlywayTakesOverItsHistoryAtStartThenMigratesTheRest() throws Exception {
        db.execute("CREATE TABLE flyway_schema_history (installed_rank INT PRIMARY KEY, version VARCHAR(50), description VARCHAR(200) NOT NULL,"
                + " type VARCHAR(20) NOT NULL, script VARCHAR(1000) NOT NULL, checksum INT, installed_by VARCHAR(100) NOT NULL,"
                + " installed_on TIMESTAMP NOT NULL DEFAULT now(), execution_time INT NOT NULL, success BOOLEAN NOT NULL)");
        db.execute("CREATE TABLE items (id INTEGER PRIMARY KEY, name VARCHAR(100) NOT NULL)");
        String v1 = new String(getClass().getResourceAsStream("/db/migration/V1__create_items.sql").readAllBytes(), StandardCharsets.UTF_8);
        db.execute("INSERT INTO flyway_schema_history VALUES (1, '1', 'create items', 'SQL', 'V1__create_items.sql', "
                + FlywayChecksum.of(v1) + ", 'flyway', now(), 5, true)");
        try (ConfigurableApplicationContext context = start(PlainApp.class, "--switchback.import-from=flyway")) {
            MigrateResult r = context.getBean(SwitchbackMigrationInitializer.class).result();
            assertThat(r.from()).isEqualTo("1");
            assertThat(r.applied()).extracting(a -> a.version()).containsExactly("2");
        }
        assertThat(db.count("SELECT COUNT(*) FROM switchback_log WHERE action = 'import'")).isEqualTo(1);
        assertThat(db.count("SELECT COUNT(*) FROM items")).isEqualTo(1);
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
