package dev.switchback.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's main command, as written: `bin/switchback demo`. */
class DemoIT {
    @TempDir
    Path tmp;

    @Test
    void theDemoUpgradesAndRollsBackWithoutAFailedRequest() {
        Cli.Result r = Cli.run(tmp, "demo");
        assertThat(r.exit()).as(r.describe()).isZero();
        assertThat(r.out()).contains("1. Deploy v1").contains("v1 in blue: schema none -> 002")
                .contains("3. Upgrade to v2").contains("v2 in green: schema 002 -> 003")
                .contains("4. Roll back to v1").contains("green -> blue")
                .containsPattern("Requests sent: [1-9]\\d*, failed: 0 \\(served by blue: [1-9]\\d*, green: [1-9]\\d*\\)")
                .contains("Stopped the daemon and both releases.");
        assertThat(ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("").contains("switchback-demo-")))
                .as("nothing the demo started is left running").isEmpty();
    }
}
