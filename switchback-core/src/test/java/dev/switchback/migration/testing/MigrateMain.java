package dev.switchback.migration.testing;

import dev.switchback.migration.MigrateResult;
import dev.switchback.migration.Switchback;
import dev.switchback.migration.SwitchbackException;

import java.nio.file.Path;
import java.time.Duration;

/**
 * A separate process that migrates, as an application would at start-up: used by the tests that start
 * many migrators at once or kill one. Args: url user password locationsDir leaseMs. Exit code: the ErrorCode's.
 */
public final class MigrateMain {
    private MigrateMain() {
    }

    public static void main(String[] args) {
        try {
            MigrateResult r = Switchback.configure()
                    .url(args[0]).user(args[1].isEmpty() ? null : args[1]).password(args[2].isEmpty() ? null : args[2])
                    .locations(args[3]).baseDir(Path.of(args[3]).getParent())
                    .lockLease(Duration.ofMillis(Long.parseLong(args[4])))
                    .lockTimeout(Duration.ofSeconds(120))
                    .environment(java.util.Map.of())
                    .load().migrate();
            System.out.println("applied=" + r.applied().size());
            System.exit(0);
        } catch (SwitchbackException e) {
            System.err.println(e.getMessage());
            System.exit(e.code().exitCode());
        }
    }

    /** Starts this class in a new JVM with the test classpath. */
    public static ProcessBuilder command(TestDatabase db, Path locations, long leaseMs) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-Xmx128m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                MigrateMain.class.getName(), db.url(), db.user() == null ? "" : db.user(),
                db.password() == null ? "" : db.password(), locations.toString(), String.valueOf(leaseMs));
    }
}
