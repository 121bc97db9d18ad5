package dev.switchback.maven;

import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

import java.util.ArrayList;
import java.util.List;

/** {@code mvn switchback:migrate}: applies the pending migrations, as {@code switchback migrate}. */
@Mojo(name = "migrate", requiresProject = true, threadSafe = false)
public class MigrateMojo extends AbstractSwitchbackMojo {
    /** Apply up to this version only. */
    @Parameter(property = "switchback.target")
    String target;

    /** Print the plan and SQL, change nothing. */
    @Parameter(property = "switchback.dryRun", defaultValue = "false")
    boolean dryRun;

    /** Apply migrations with error-severity lint findings. */
    @Parameter(property = "switchback.allowUnsafe", defaultValue = "false")
    boolean allowUnsafe;

    @Override
    List<String> command() {
        List<String> c = new ArrayList<>(List.of("migrate"));
        if (target != null) {
            c.add("--target");
            c.add(target);
        }
        if (dryRun) {
            c.add("--dry-run");
        }
        if (allowUnsafe) {
            c.add("--allow-unsafe");
        }
        return c;
    }
}
