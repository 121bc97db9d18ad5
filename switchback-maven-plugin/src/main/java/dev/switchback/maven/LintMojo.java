package dev.switchback.maven;

import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

import java.util.ArrayList;
import java.util.List;

/** {@code mvn switchback:lint}: the safety checks on the migration files, as {@code switchback lint}; fails the build on error-severity findings. */
@Mojo(name = "lint", requiresProject = true, threadSafe = false)
public class LintMojo extends AbstractSwitchbackMojo {
    /** Only the migrations pending on the database. */
    @Parameter(property = "switchback.pendingOnly", defaultValue = "false")
    boolean pendingOnly;

    @Override
    List<String> command() {
        List<String> c = new ArrayList<>(List.of("lint"));
        if (pendingOnly) {
            c.add("--pending-only");
        }
        return c;
    }
}
