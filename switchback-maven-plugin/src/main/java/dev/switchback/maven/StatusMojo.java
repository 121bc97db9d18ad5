package dev.switchback.maven;

import org.apache.maven.plugins.annotations.Mojo;

import java.util.List;

/** {@code mvn switchback:status}: applied and pending migrations and the lock holder, as {@code switchback status}. */
@Mojo(name = "status", requiresProject = true, threadSafe = false)
public class StatusMojo extends AbstractSwitchbackMojo {
    @Override
    List<String> command() {
        return List.of("status");
    }
}
