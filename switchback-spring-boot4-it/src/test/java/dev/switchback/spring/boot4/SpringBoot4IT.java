package dev.switchback.spring.boot4;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import dev.switchback.migration.testing.TestDatabase;
import dev.switchback.spring.SwitchbackMigrationInitializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootVersion;
import org.springframework.context.ConfigurableApplicationContext;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real Spring Boot 4 application (Tomcat, Hibernate with ddl-auto=validate, actuator) on the real PostgreSQL and MariaDB,
 * using the auto-configuration compiled against Boot 3.5: Hibernate fails the start if it runs before the migration.
 */
class SpringBoot4IT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private TestDatabase db;
    private final List<ConfigurableApplicationContext> started = new ArrayList<>();

    @AfterEach
    void tearDown() {
        started.forEach(ConfigurableApplicationContext::close);
        if (db != null) {
            db.close();
        }
    }

    private ConfigurableApplicationContext start() {
        ConfigurableApplicationContext c = new SpringApplication(Boot4App.class).run(
                "--spring.datasource.url=" + db.url(), "--spring.datasource.username=" + db.user(),
                "--spring.main.banner-mode=off", "--server.port=0", "--spring.jpa.hibernate.ddl-auto=validate",
                "--spring.jpa.open-in-view=false",
                "--management.endpoints.web.exposure.include=health,switchback", "--management.endpoint.health.show-details=always");
        synchronized (started) {
            started.add(c);
        }
        return c;
    }

    @Test
    void onPostgresTwoInstancesStartedAtOnceMigrateOnceValidateAndServe() throws Exception {
        db = TestDatabase.postgres();
        twoInstancesStartedAtOnceMigrateOnceValidateAndServe();
    }

    @Test
    void onMariaDbTwoInstancesStartedAtOnceMigrateOnceValidateAndServe() throws Exception {
        db = TestDatabase.mariadb();
        twoInstancesStartedAtOnceMigrateOnceValidateAndServe();
    }

    private void twoInstancesStartedAtOnceMigrateOnceValidateAndServe() throws Exception {
        assertThat(SpringBootVersion.getVersion()).startsWith("4.");
        CompletableFuture<ConfigurableApplicationContext> a = CompletableFuture.supplyAsync(this::start);
        CompletableFuture<ConfigurableApplicationContext> b = CompletableFuture.supplyAsync(this::start);
        List<ConfigurableApplicationContext> both = List.of(a.get(), b.get());

        int applied = 0;
        for (ConfigurableApplicationContext c : both) {
            applied += c.getBean(SwitchbackMigrationInitializer.class).result().applied().size();
        }
        assertThat(applied).isEqualTo(2);
        assertThat(db.count("SELECT COUNT(*) FROM switchback_history WHERE state = 'success'")).isEqualTo(2);

        String base = "http://127.0.0.1:" + both.get(0).getEnvironment().getProperty("local.server.port");
        HttpResponse<String> items = get(base + "/items");
        assertThat(items.statusCode()).isEqualTo(200);
        assertThat(items.body()).isEqualTo("[\"first\"]");

        HttpResponse<String> status = get(base + "/actuator/switchback");
        assertThat(status.statusCode()).isEqualTo(200);
        assertThat(status.body()).contains("\"current\":\"2\"", "\"pending\":[]", "\"lock\":null");
        assertThat(JSON.readTree(status.body()).path("schema").path("drift").asText()).as("drift against the start-up snapshot").isEqualTo("false");
        db.execute("CREATE TABLE made_by_hand (id int)");
        JsonNode drifted = JSON.readTree(get(base + "/actuator/switchback").body());
        assertThat(drifted.path("schema").path("drift").asText()).as("a table made by hand is drift").isEqualTo("true");
        db.execute("DROP TABLE made_by_hand");

        HttpResponse<String> health = get(base + "/actuator/health");
        assertThat(health.statusCode()).isEqualTo(200);
        JsonNode up = JSON.readTree(health.body()).path("components").path("switchback");
        assertThat(up.path("status").toString()).isEqualTo("\"UP\"");
        assertThat(up.path("details").path("applied").asInt()).isEqualTo(2);

        db.execute("UPDATE switchback_history SET state = 'partial' WHERE version = '2'");
        HttpResponse<String> down = get(base + "/actuator/health");
        assertThat(down.statusCode()).isEqualTo(503);
        JsonNode broken = JSON.readTree(down.body()).path("components").path("switchback");
        assertThat(broken.path("status").toString()).isEqualTo("\"DOWN\"");
        assertThat(broken.path("details").path("failed").toString()).contains("2 (partial)");
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
