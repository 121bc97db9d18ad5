package dev.switchback.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static dev.switchback.cli.Cli.ok;
import static org.assertj.core.api.Assertions.assertThat;

/** config diff and perform's refusal of a release whose .env.example lists a key its environment lacks. */
class ConfigDiffIT {
    @TempDir
    Path tmp;

    @Test
    void aReleaseMissingAnExpectedKeyIsShownByConfigDiffAndRefusedByPerformWithNothingStarted() throws Exception {
        Path releases = tmp.resolve("releases");
        Path v1 = Files.createDirectories(releases.resolve("v1/migrations"));
        try (Stream<Path> files = Files.list(Cli.ROOT.resolve("examples/shop/releases/v1/migrations"))) {
            for (Path f : files.toList()) {
                Files.copy(f, v1.resolve(f.getFileName()));
            }
        }
        Path example = releases.resolve("v1/.env.example");
        Files.writeString(example, "DATABASE_URL=jdbc:sqlite:shop.db\nDATABASE_PASSWORD=\nSHOP_API_KEY=\nPORT=8080\n");
        try (DaemonFixture d = new DaemonFixture(tmp, 5, "      RETIRED_FLAG: on", "", releases)) {
            Cli.Result diff = d.cli("config", "diff", "--release", "v1");
            assertThat(diff.exit()).as(diff.describe()).isEqualTo(4);
            assertThat(diff.out()).contains("Release v1 expects the keys in " + example)
                    .contains("Missing (perform refuses the release until they are set) (1): SHOP_API_KEY")
                    .contains("No longer expected (set by deploy.service.env, not listed by the release) (1): RETIRED_FLAG")
                    .contains("DATABASE_URL: jdbc:sqlite:shop.db in the example").doesNotContain("s3cr3t-shop-pass");
            JsonNode json = new ObjectMapper().readTree(d.cli("config", "diff", "--release", "v1", "--json").out());
            assertThat(json.get("missing").get(0).asText()).isEqualTo("SHOP_API_KEY");
            assertThat(json.get("changed").has("DATABASE_PASSWORD")).isFalse();

            d.start();
            Cli.Result refused = d.cli("upgrade", "perform", "--release", "v1");
            assertThat(refused.exit()).as(refused.describe()).isEqualTo(2);
            assertThat(refused.err()).contains("expects SHOP_API_KEY").contains("nothing was started");
            assertThat(d.shopProcesses()).isEmpty();
            assertThat(Files.exists(tmp.resolve(".switchback/shop.db"))).isFalse();
            Cli.Result doctor = d.cli("doctor", "--release", "v1");
            assertThat(doctor.exit()).as(doctor.describe()).isEqualTo(4);
            assertThat(doctor.out()).containsPattern("FAIL +release environment +v1 expects SHOP_API_KEY");

            // the release no longer expects it: performed
            Files.writeString(example, "DATABASE_URL=\n");
            ok(d.cli("config", "diff", "--release", "v1"));
            ok(d.cli("upgrade", "perform", "--release", "v1"));
            // a healthy setup with a daemon: every check passes, for the active release
            assertThat(ok(d.cli("doctor")).out()).containsPattern("OK +daemon +up, active release v1 healthy")
                    .containsPattern("OK +drift +the schema is the one migrated \\(snapshot at 002\\)")
                    .containsPattern("OK +release environment +every key v1 expects is set").contains("Ready to upgrade");
        }
    }
}
