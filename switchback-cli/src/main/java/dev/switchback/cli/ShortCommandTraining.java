package dev.switchback.cli;

import dev.switchback.migration.CommandLineProcess;
import dev.switchback.migration.dialect.BlockingSocketFactory;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Driver;
import java.util.Comparator;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * A short run of migrate, status and verify on a scratch SQLite file, for {@code bin/switchback} to record the classes
 * the short commands load into a class archive (JDK 17: {@code -XX:ArchiveClassesAtExit}; JDK 25: an AOT cache). The
 * PostgreSQL and MariaDB drivers are taken as far as a refused connection to port 1 of 127.0.0.1, which runs their
 * connection code without a server, and the rest of their classes and of the migration engine's are loaded without
 * being run. Nothing outside a temporary folder is touched.
 */
public final class ShortCommandTraining {
    private ShortCommandTraining() {
    }

    public static void main(String[] args) throws Exception {
        CommandLineProcess.mark(); // the command line's code paths, as bin/switchback runs them
        Path tmp = Files.createTempDirectory("switchback-training-");
        PrintStream out = System.out;
        PrintStream err = System.err;
        try {
            PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
            System.setOut(quiet);
            System.setErr(quiet);
            Path migrations = Files.createDirectories(tmp.resolve("migrations"));
            Files.writeString(migrations.resolve("001_items.sql"), "-- migrate:up\nCREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT);\n");
            Files.writeString(migrations.resolve("002_index.sql"), "CREATE INDEX items_name ON items (name);\n");
            String[] db = {"--url", "jdbc:sqlite:" + tmp.resolve("training.db"), "--locations", migrations.toString()};
            for (String[] command : new String[][]{{"migrate", "--no-backup"}, {"migrate", "--no-backup"}, {"status"}, {"verify"}}) {
                String[] line = Stream.concat(Stream.of(db), Stream.of(command)).toArray(String[]::new);
                Main.run(line);
            }
            Main.run("migrate", "--help");
            // through the socket factory migrate's connections use (dev.switchback.migration.Database)
            refusedConnection("org.postgresql.Driver", "jdbc:postgresql://127.0.0.1:1/training?connectTimeout=2&socketFactory="
                    + BlockingSocketFactory.class.getName());
            refusedConnection("org.mariadb.jdbc.Driver", "jdbc:mariadb://127.0.0.1:1/training?connectTimeout=2000");
            for (String prefix : new String[]{"org/postgresql/", "org/mariadb/jdbc/", "dev/switchback/migration/"}) {
                loadAll(prefix);
            }
        } finally {
            System.setOut(out);
            System.setErr(err);
            try (Stream<Path> files = Files.walk(tmp)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /**
     * Loads, without initialising, every class of the jar under {@code prefix}: the classes a driver and the dialects use
     * once connected, which no server here can show them, are then archived too (a fresh status on PostgreSQL loaded
     * about 120 of them from the jar, each read, parsed and verified again).
     */
    private static void loadAll(String prefix) throws java.io.IOException, java.net.URISyntaxException {
        Path jar = Path.of(ShortCommandTraining.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        if (!Files.isRegularFile(jar)) {
            return;
        }
        ClassLoader loader = ShortCommandTraining.class.getClassLoader();
        try (java.util.jar.JarFile file = new java.util.jar.JarFile(jar.toFile())) {
            for (var e = file.entries(); e.hasMoreElements(); ) {
                String name = e.nextElement().getName();
                if (name.startsWith(prefix) && name.endsWith(".class") && !name.contains("-")) {
                    try {
                        Class.forName(name.substring(0, name.length() - 6).replace('/', '.'), false, loader);
                    } catch (LinkageError | ClassNotFoundException skipped) {
                        // needs a library that is not there (OSGi, Waffle...): never loaded by a short command either
                    }
                }
            }
        }
    }

    private static void refusedConnection(String driver, String url) {
        try {
            Properties p = new Properties();
            p.setProperty("user", "training");
            ((Driver) Class.forName(driver).getDeclaredConstructor().newInstance()).connect(url, p).close();
        } catch (Exception expected) {
            // refused: the classes up to the socket are loaded, which is all the archive needs
        }
    }
}
