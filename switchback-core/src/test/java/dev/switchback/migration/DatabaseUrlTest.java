package dev.switchback.migration;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Services' database URLs ({@code DATABASE_URL}) accepted where a JDBC URL is. */
class DatabaseUrlTest {
    @Test
    void postgresUrlsBecomeJdbcUrlsWithTheirCredentialsTakenOut() {
        assertThat(DatabaseUrl.parse("postgres://app:s%40cret@db.internal:6432/orders?sslmode=require"))
                .isEqualTo(new DatabaseUrl("jdbc:postgresql://db.internal:6432/orders?sslmode=require", "app", "s@cret"));
        assertThat(DatabaseUrl.parse("postgresql://app@localhost/orders"))
                .isEqualTo(new DatabaseUrl("jdbc:postgresql://localhost/orders", "app", null));
        assertThat(DatabaseUrl.parse("postgres:///orders")).isEqualTo(new DatabaseUrl("jdbc:postgresql://localhost/orders", null, null));
        assertThat(DatabaseUrl.parse("postgres://u:p:q@h/d").password()).isEqualTo("p:q");
    }

    @Test
    void mysqlMariadbAndSqliteUrlsToo() {
        assertThat(DatabaseUrl.parse("mysql://root:pw@127.0.0.1:3306/shop?useSSL=false"))
                .isEqualTo(new DatabaseUrl("jdbc:mysql://127.0.0.1:3306/shop?useSSL=false", "root", "pw"));
        assertThat(DatabaseUrl.parse("mariadb://root@127.0.0.1/shop")).isEqualTo(new DatabaseUrl("jdbc:mariadb://127.0.0.1/shop", "root", null));
        assertThat(DatabaseUrl.parse("sqlite:data/app.db").jdbc()).isEqualTo("jdbc:sqlite:data/app.db");
        assertThat(DatabaseUrl.parse("sqlite:///var/lib/app.db").jdbc()).isEqualTo("jdbc:sqlite:/var/lib/app.db");
        assertThat(DatabaseUrl.parse("jdbc:postgresql://h/d?password=x").jdbc()).isEqualTo("jdbc:postgresql://h/d?password=x");
    }

    @Test
    void aUrlWithoutADatabaseIsRefusedWithoutShowingItsPassword() {
        assertThatThrownBy(() -> DatabaseUrl.parse("postgres://app:topsecret@db:5432"))
                .isInstanceOf(SwitchbackException.class).hasMessageContaining("names no database")
                .hasMessageNotContaining("topsecret");
        assertThat(DatabaseUrl.parse("postgres://app:topsecret@db/x").toString()).doesNotContain("topsecret");
    }

    @Test
    void theConfigurationConnectsWithTheUrlsCredentialsUnlessUserOrPasswordAreSet() {
        Map<Setting, String> values = new EnumMap<>(Setting.class);
        values.put(Setting.DATABASE_URL, "postgres://app:pw@db:5432/orders");
        MigrationConfig c = MigrationConfig.from(Settings.resolve(values, Map.of(), Map.of()), Path.of("/srv"), null);
        assertThat(c.url()).isEqualTo("jdbc:postgresql://db:5432/orders");
        assertThat(c.user()).isEqualTo("app");
        assertThat(c.password()).isEqualTo("pw");
        assertThat(c.toString()).doesNotContain("pw@").contains("password=****");
        values.put(Setting.DATABASE_USER, "admin");
        assertThat(MigrationConfig.from(Settings.resolve(values, Map.of(), Map.of()), Path.of("/srv"), null).user()).isEqualTo("admin");
    }

    @Test
    void databaseUrlFromTheEnvironmentIsUsedOnlyWhenNoUrlIsConfigured() {
        Map<String, String> env = Map.of("DATABASE_URL", "mysql://root@127.0.0.1:3306/shop");
        assertThat(Settings.resolve(Map.of(), env, Map.of()).get(Setting.DATABASE_URL)).isEqualTo("mysql://root@127.0.0.1:3306/shop");
        assertThat(Settings.resolve(Map.of(Setting.DATABASE_URL, "jdbc:sqlite:file.db"), env, Map.of()).get(Setting.DATABASE_URL))
                .isEqualTo("jdbc:sqlite:file.db");
        assertThat(Settings.resolve(Map.of(), env, Map.of(Setting.DATABASE_URL, "jdbc:sqlite:flag.db")).get(Setting.DATABASE_URL))
                .isEqualTo("jdbc:sqlite:flag.db");
        Map<String, String> both = Map.of("DATABASE_URL", "mysql://root@h/shop", "SWITCHBACK_DATABASE_URL", "jdbc:sqlite:sb.db");
        assertThat(Settings.resolve(Map.of(), both, Map.of()).get(Setting.DATABASE_URL)).isEqualTo("jdbc:sqlite:sb.db");
        assertThat(Settings.resolve(Map.of(), Map.of(), Map.of()).get(Setting.DATABASE_URL)).isEqualTo("jdbc:sqlite:switchback.db");
    }
}
