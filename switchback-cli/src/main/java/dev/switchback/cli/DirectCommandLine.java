package dev.switchback.cli;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * The commonest command lines, {@code migrate} and {@code status} (or {@code info}) with the root options, read without
 * picocli. Building picocli's model (reflection over the annotated commands, annotation proxies, about 170 of picocli's
 * classes, which are Java 5 class files that the JDK 17 class archive cannot hold) was a sixth of the CPU of a fresh
 * {@code migrate} with nothing to do. A line this class does not read exactly as picocli would (help, an option given
 * twice, a value that starts with {@code -} or {@code @}, an empty value, quotes in a list, {@code --flag=value} for a
 * flag, anything unknown) gives null, and picocli reads it as before, usage errors included. {@code DirectCommandLineTest}
 * keeps the options here equal to picocli's model of these commands.
 */
final class DirectCommandLine {
    /** The options read here that take a value; the others are flags. */
    static final Set<String> VALUED = Set.of("--config", "--url", "--user", "--password", "--locations", "--target");
    /** The root's options, inherited by every subcommand. */
    static final Set<String> ROOT = Set.of("--config", "--url", "--user", "--password", "--locations", "--json", "--quiet", "--verbose");
    /** migrate's own options. */
    static final Set<String> MIGRATE = Set.of("--target", "--dry-run", "--no-backup", "--allow-unsafe", "--group");

    private DirectCommandLine() {
    }

    /** The command {@code args} name with its options set on it and on {@code root}, or null to leave the line to picocli. */
    static Callable<Integer> parse(SwitchbackCommand root, String... args) {
        MigrateCommand migrate = null;
        StatusCommand status = null;
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.startsWith("@")) {
                return null; // an argument file
            }
            if (!a.startsWith("-")) {
                if (migrate != null || status != null) {
                    return null;
                }
                if (a.equals("migrate")) {
                    migrate = new MigrateCommand();
                    migrate.root = root;
                } else if (a.equals("status") || a.equals("info")) {
                    status = new StatusCommand();
                    status.root = root;
                } else {
                    return null;
                }
                continue;
            }
            int eq = a.startsWith("--") ? a.indexOf('=') : -1;
            String name = canonical(eq > 0 ? a.substring(0, eq) : a);
            if (name == null || !seen.add(name) || (MIGRATE.contains(name) && migrate == null)) {
                return null;
            }
            String value = null;
            if (VALUED.contains(name)) {
                value = eq > 0 ? a.substring(eq + 1) : ++i < args.length ? args[i] : null;
                if (value == null || value.isEmpty() || value.startsWith("-") || value.startsWith("@")) {
                    return null;
                }
            } else if (eq > 0) {
                return null;
            }
            if (!set(root, migrate, name, value)) {
                return null;
            }
        }
        return migrate != null ? migrate : status;
    }

    /** The long name of a root or migrate option, from any of its names; null for any other word. */
    static String canonical(String name) {
        return switch (name) {
            case "-c" -> "--config";
            case "-q" -> "--quiet";
            case "-v" -> "--verbose";
            default -> ROOT.contains(name) || MIGRATE.contains(name) ? name : null;
        };
    }

    private static boolean set(SwitchbackCommand root, MigrateCommand migrate, String name, String value) {
        switch (name) {
            case "--config" -> {
                try {
                    root.config = Path.of(value);
                } catch (InvalidPathException e) {
                    return false;
                }
            }
            case "--url" -> root.url = value;
            case "--user" -> root.user = value;
            case "--password" -> root.password = value;
            case "--locations" -> {
                if (value.contains("\"") || value.startsWith(",") || value.endsWith(",") || value.contains(",,")) {
                    return false; // picocli's quoting and empty items: its reading
                }
                root.locations = value.split(",");
            }
            case "--json" -> root.json = true;
            case "--quiet" -> root.quiet = true;
            case "--verbose" -> root.verbose = true;
            case "--target" -> migrate.target = value;
            case "--dry-run" -> migrate.dryRun = true;
            case "--no-backup" -> migrate.noBackup = true;
            case "--allow-unsafe" -> migrate.allowUnsafe = true;
            case "--group" -> migrate.group = true;
            default -> {
                return false;
            }
        }
        return true;
    }
}
