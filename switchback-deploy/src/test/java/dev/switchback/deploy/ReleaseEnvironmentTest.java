package dev.switchback.deploy;

import dev.switchback.migration.ErrorCode;
import dev.switchback.migration.SwitchbackException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReleaseEnvironmentTest {
    @TempDir
    Path tmp;

    Path example() throws Exception {
        return Files.writeString(tmp.resolve(".env.example"), String.join("\n",
                "# the shop's settings",
                "export DATABASE_URL=\"postgres://shop:changeme@localhost/shop\"",
                "API_TOKEN=",
                "CACHE_SIZE=64 # entries",
                "PORT=8080",
                "FEATURE_NOTES='on'",
                ""));
    }

    @Test
    void missingNoLongerExpectedAndChangedKeysWithSecretsMasked() throws Exception {
        ReleaseEnvironment r = ReleaseEnvironment.of("v2", example(),
                Map.of("DATABASE_URL", "postgres://shop:s3cr3t@db/shop", "OLD_FLAG", "1", "API_TOKEN", "t0k3n-value"),
                Map.of("CACHE_SIZE", "128", "HOME", "/root"));
        assertThat(r.missing()).containsExactly("FEATURE_NOTES");
        assertThat(r.noLongerExpected()).containsExactly("OLD_FLAG");
        assertThat(r.changed()).containsOnlyKeys("DATABASE_URL", "CACHE_SIZE");
        assertThat(r.changed().get("CACHE_SIZE")).containsExactly("64", "128");
        assertThat(r.changed().toString()).doesNotContain("s3cr3t").doesNotContain("changeme").doesNotContain("t0k3n");
    }

    @Test
    void aReleaseMissingAKeyIsRefusedNamingItAndOneWithoutAFileExpectsNothing() throws Exception {
        Path file = example();
        assertThatThrownBy(() -> ReleaseEnvironment.refuseMissing("v2", file, Map.of("DATABASE_URL", "x"), Map.of("CACHE_SIZE", "1")))
                .isInstanceOfSatisfying(SwitchbackException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.CONFIG);
                    assertThat(e.getMessage()).contains("nothing was started").contains("expects API_TOKEN, FEATURE_NOTES")
                            .contains(file.toString()).contains("config diff --release v2");
                });
        ReleaseEnvironment.refuseMissing("v2", file, Map.of("DATABASE_URL", "x", "API_TOKEN", "", "FEATURE_NOTES", "off"),
                Map.of("CACHE_SIZE", "1"));
        ReleaseEnvironment.refuseMissing("v2", null, Map.of(), Map.of());
        assertThat(ReleaseEnvironment.of("v2", null, Map.of("A", "1"), Map.of()).noLongerExpected()).isEqualTo(List.of());
    }
}
