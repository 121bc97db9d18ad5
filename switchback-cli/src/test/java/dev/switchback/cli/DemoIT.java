package dev.switchback.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

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

    /**
     * A user's own setup: the launcher linked from a folder on their PATH, the jar installed elsewhere, run from their home
     * folder. The demo still finds the checkout's examples, and leaves nothing in the temporary folder.
     */
    @Test
    void theDemoRunsFromAFolderOutsideTheCheckoutThroughALinkedLauncher() throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path launcher = Files.createSymbolicLink(bin.resolve("switchback"), Cli.LAUNCHER);
        Path jar = Files.copy(Cli.ROOT.resolve("switchback-cli/target/switchback.jar"),
                Files.createDirectories(tmp.resolve("opt")).resolve("switchback.jar"));
        Path home = Files.createDirectories(tmp.resolve("home"));
        Path javaTmp = Files.createDirectories(tmp.resolve("java-tmp"));
        ProcessBuilder pb = new ProcessBuilder(launcher.toString(), "demo").directory(home.toFile()).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("demo.out").toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("SWITCHBACK_"));
        pb.environment().put("SWITCHBACK_JAR", jar.toString());
        pb.environment().put("SWITCHBACK_JAVA_OPTS", "-Djava.io.tmpdir=" + javaTmp);
        Process p = pb.start();
        boolean done = p.waitFor(240, TimeUnit.SECONDS);
        if (!done) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        String out = Files.readString(tmp.resolve("demo.out"));
        assertThat(done).as(out).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("4. Roll back to v1").contains("Stopped the daemon and both releases.");
        try (var left = Files.list(javaTmp)) {
            assertThat(left.map(Path::getFileName).map(Path::toString)).as("left in the temporary folder")
                    .noneMatch(n -> n.startsWith("switchback-demo-"));
        }
    }
}
