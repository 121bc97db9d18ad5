package dev.switchback.spring;

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

import static org.assertj.core.api.Assertions.assertThat;

/** A real Spring Boot application (JDBC, Hikari) started against the real PostgreSQL. */
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

    private ConfigurableApplicationContext start(Class<?> app, String... args) {
        SpringApplication application = new SpringApplication(app);
        application.setWebApplicationType(WebApplicationType.NONE);
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
    void switchbackEnabledFalseMigratesNothing() throws Exception {
        try (ConfigurableApplicationContext context = start(PlainApp.class, "--switchback.enabled=false")) {
            assertThat(context.getBeansOfType(SwitchbackMigrationInitializer.class)).isEmpty();
        }
        assertThat(db.tableExists("items")).isFalse();
    }
}
