package dev.switchback.migration;

import dev.switchback.migration.dialect.Dialects;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Password redaction and masking, and the settings' environment names: the spelled-out checks that spare a start-up
 * their regular expressions give what the expressions give.
 */
class SecretsTest {
    private static final List<String> URLS = List.of(
            "jdbc:postgresql://127.0.0.1:5432/shop",
            "jdbc:postgresql://db.internal/shop?sslmode=require&ApplicationName=x",
            "jdbc:postgresql://app:s3cret@db:5432/shop",
            "jdbc:postgresql://db/shop?user=app&password=s3cret&ssl=true",
            "jdbc:postgresql://db/shop?user=app&PASSWORD=S3cret",
            "jdbc:mariadb://db/shop?user=app;Pwd=topsecret;x=1",
            "jdbc:oracle:thin:scott/tiger@db:1521/orcl",
            "jdbc:sqlite:/var/lib/app/shop.db",
            "jdbc:postgresql://db/shop?sslkey=/etc/key.pem&token=abc",
            "jdbc:postgresql://db/shop?Secret=abc",
            "jdbc:postgresql://db/sh@p",
            "");

    @Test
    void aUrlWithoutAPasswordFormIsLeftAsItIsAndOneWithAPasswordIsRedacted() {
        Pattern[] forms = {Pattern.compile("//[^/:@]+:([^@/]+)@"), Pattern.compile("(?i)(?:password|pwd)=([^&;]+)"),
                Pattern.compile("(?i)jdbc:[a-z]+:[a-z]+:[^/@:]*/([^@]+)@")};
        for (String url : URLS) {
            boolean matches = false;
            for (Pattern p : forms) {
                matches |= p.matcher(url).find();
            }
            // never a false "no password here" (a true "maybe" only compiles the patterns)
            assertThat(!matches || Secrets.mayHoldPassword(url)).as(url).isTrue();
        }
        assertThat(Secrets.mayHoldPassword("jdbc:postgresql://127.0.0.1:5432/shop")).isFalse();
        assertThat(Secrets.of("jdbc:postgresql://app:s3cret@db:5432/shop").redact("failed for app:s3cret@db")).isEqualTo("failed for app:****@db");
        assertThat(Secrets.of("jdbc:postgresql://db/shop?PASSWORD=S3cret&x=1").redact("password S3cret")).isEqualTo("password ****");
        assertThat(Secrets.of("jdbc:mariadb://db/shop?Pwd=topsecret;x=1").redact("topsecret!")).isEqualTo("****!");
        assertThat(Secrets.of("jdbc:oracle:thin:scott/tiger@db:1521/orcl").redact("scott/tiger")).isEqualTo("scott/****");
        assertThat(Secrets.of("jdbc:postgresql://127.0.0.1:5432/shop", "hunter2").redact("pw hunter2 url jdbc:postgresql://127.0.0.1:5432/shop"))
                .isEqualTo("pw **** url jdbc:postgresql://127.0.0.1:5432/shop");
    }

    @Test
    void maskGivesWhatItsExpressionsGive() {
        for (String url : URLS) {
            String expected = url.replaceAll("(?i)(password|pwd|secret|token|key)=([^&;]*)", "$1=****")
                    .replaceAll("(//[^/:@]+):[^@/]*@", "$1:****@")
                    .replaceAll("(?i)(jdbc:[a-z]+:[a-z]+:[^/@:]*)/[^@]*@", "$1/****@");
            assertThat(Dialects.mask(url)).as(url).isEqualTo(expected);
        }
        assertThat(Dialects.mask(null)).isNull();
    }

    @Test
    void everySettingsEnvironmentNameIsItsPathInUpperSnakeCase() {
        for (Setting s : Setting.values()) {
            String expected = "SWITCHBACK_" + s.path().replace('.', '_').replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
            assertThat(s.envName()).as(s.path()).isEqualTo(expected);
        }
        for (String path : List.of("a.bC", "x9Y.z", "ABc.dEF", "already_snake", "v2Api.t1Ms", "")) {
            assertThat(SettingKey.envName(path)).as(path)
                    .isEqualTo("SWITCHBACK_" + path.replace('.', '_').replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT));
        }
    }
}
