package dev.switchback.maven;

import dev.switchback.cli.Main;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;

import java.io.File;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs one CLI command in the build, configured in the POM like Flyway's plugin ({@code <url>}, {@code <user>},
 * {@code <password>}, {@code <locations>}) or by a {@code switchback.yml} (the project's, or {@code <configFile>}).
 * The command prints what {@code bin/switchback} prints; a non-zero exit fails the build with its exit code and
 * meaning (1 failed, 2 usage or configuration, 3 lock, 4 verification failed, 5 refused as unsafe).
 */
abstract class AbstractSwitchbackMojo extends AbstractMojo {
    /** The database URL: jdbc:postgresql://, jdbc:mariadb://, jdbc:sqlite:FILE, postgres://, mysql://, sqlite:FILE. */
    @Parameter(property = "switchback.url")
    String url;

    @Parameter(property = "switchback.user")
    String user;

    @Parameter(property = "switchback.password")
    String password;

    /** Directories (relative to the project) and classpath: locations (read from the project's target/classes). */
    @Parameter(property = "switchback.locations")
    List<String> locations;

    /** A switchback.yml; default: the project's own when it has one. */
    @Parameter(property = "switchback.configFile")
    File configFile;

    /** Print the result as JSON, as --json does. */
    @Parameter(property = "switchback.json", defaultValue = "false")
    boolean json;

    @Parameter(property = "switchback.skip", defaultValue = "false")
    boolean skip;

    @Parameter(defaultValue = "${project.basedir}", readonly = true, required = true)
    File basedir;

    @Parameter(defaultValue = "${project.build.outputDirectory}", readonly = true, required = true)
    File outputDirectory;

    /** The command and its own options, e.g. {@code migrate} or {@code rollback --steps 1}. */
    abstract List<String> command();

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        if (skip) {
            getLog().info("switchback: skipped (switchback.skip)");
            return;
        }
        List<String> args = new ArrayList<>(command());
        File config = configFile != null ? configFile : new File(basedir, "switchback.yml");
        if (configFile != null || config.isFile()) {
            args.add("--config");
            args.add(config.getAbsolutePath());
        }
        add(args, "--url", url);
        add(args, "--user", user);
        add(args, "--password", password);
        if (locations != null && !locations.isEmpty()) {
            List<String> resolved = new ArrayList<>();
            for (String l : locations) {
                resolved.add(l.startsWith("classpath:") || new File(l).isAbsolute() ? l : new File(basedir, l).getAbsolutePath());
            }
            add(args, "--locations", String.join(",", resolved));
        }
        if (json) {
            args.add("--json");
        }
        int exit = run(args.toArray(String[]::new));
        if (exit != 0) {
            throw new MojoFailureException("switchback " + command().get(0) + " exited " + exit + " (" + meaning(exit)
                    + "): see its messages above");
        }
    }

    /** The command with the project's classes on the context class loader, for classpath: locations. */
    private int run(String[] args) throws MojoExecutionException {
        Thread t = Thread.currentThread();
        ClassLoader before = t.getContextClassLoader();
        try (URLClassLoader project = new URLClassLoader(new URL[]{outputDirectory.toURI().toURL()}, getClass().getClassLoader())) {
            t.setContextClassLoader(project);
            return Main.run(args);
        } catch (MalformedURLException e) {
            throw new MojoExecutionException(e.getMessage(), e);
        } catch (java.io.IOException e) {
            throw new MojoExecutionException("Cannot close the project class loader: " + e.getMessage(), e);
        } finally {
            t.setContextClassLoader(before);
        }
    }

    private static void add(List<String> args, String option, String value) {
        if (value != null && !value.isBlank()) {
            args.add(option);
            args.add(value);
        }
    }

    private static String meaning(int exit) {
        return switch (exit) {
            case 1 -> "failed";
            case 2 -> "usage or configuration error";
            case 3 -> "lock not acquired in time";
            case 4 -> "verification failed: drift, edited or failed migrations";
            case 5 -> "refused as unsafe";
            default -> "see bin/switchback --help";
        };
    }
}
