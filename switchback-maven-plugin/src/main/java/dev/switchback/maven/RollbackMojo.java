package dev.switchback.maven;

import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

import java.util.ArrayList;
import java.util.List;

/** {@code mvn switchback:rollback}: undoes applied migrations with their down files, as {@code switchback rollback}: one of {@code <to>}, {@code <steps>}. */
@Mojo(name = "rollback", requiresProject = true, threadSafe = false)
public class RollbackMojo extends AbstractSwitchbackMojo {
    /** Undo everything above this version (0: everything). */
    @Parameter(property = "switchback.to")
    String to;

    /** Undo the newest N. */
    @Parameter(property = "switchback.steps")
    Integer steps;

    /** Print the down SQL, change nothing. */
    @Parameter(property = "switchback.dryRun", defaultValue = "false")
    boolean dryRun;

    /** Do not ask before down SQL that drops or deletes (a build cannot answer): required for such downs. */
    @Parameter(property = "switchback.yes", defaultValue = "false")
    boolean yes;

    @Override
    List<String> command() {
        List<String> c = new ArrayList<>(List.of("rollback"));
        if (to != null) {
            c.add("--to");
            c.add(to);
        }
        if (steps != null) {
            c.add("--steps");
            c.add(steps.toString());
        }
        if (dryRun) {
            c.add("--dry-run");
        }
        if (yes) {
            c.add("--yes");
        }
        return c;
    }
}
