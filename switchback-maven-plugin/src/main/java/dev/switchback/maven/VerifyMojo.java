package dev.switchback.maven;

import org.apache.maven.plugins.annotations.Mojo;

import java.util.List;

/** {@code mvn switchback:verify}: fails the build when the files and the history disagree (edited, missing, failed migrations), as {@code switchback verify}. */
@Mojo(name = "verify", requiresProject = true, threadSafe = false)
public class VerifyMojo extends AbstractSwitchbackMojo {
    @Override
    List<String> command() {
        return List.of("verify");
    }
}
