package dev.switchback.cli;

import dev.switchback.cli.Cli.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * bin/switchback's class archive for the short commands: recorded once per jar and JVM (a class-data-sharing archive
 * on JDK 17, an AOT cache on JDK 25 and later), recorded again when the jar changes, and an archive the JVM cannot
 * use never makes a command fail or print more. Runs on the default java and on every JDK 25+ under /usr/lib/jvm.
 */
@Execution(ExecutionMode.CONCURRENT)
class ClassArchiveIT {
    @TempDir
    Path tmp;

    /** The java on PATH, and each installed JDK with an AOT cache (25 and later). */
    private static List<String> javas() throws IOException {
        List<String> javas = new ArrayList<>(List.of("java"));
        Path jvms = Path.of("/usr/lib/jvm");
        if (Files.isDirectory(jvms)) {
            try (Stream<Path> dirs = Files.list(jvms)) {
                for (Path dir : dirs.sorted().toList()) {
                    Path release = dir.resolve("release");
                    if (!Files.isSymbolicLink(dir) && Files.isRegularFile(release) && Files.isExecutable(dir.resolve("bin/java"))) {
                        String version = Files.readAllLines(release).stream().filter(l -> l.startsWith("JAVA_VERSION="))
                                .findFirst().orElse("JAVA_VERSION=\"0\"").replaceAll("[^0-9.]", "");
                        if (Integer.parseInt(version.split("\\.")[0]) >= 25) {
                            javas.add(dir.resolve("bin/java").toString());
                        }
                    }
                }
            }
        }
        return javas;
    }

    private static List<Path> archives(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().matches("switchback-cli-[0-9.]+\\.(jsa|aot)")).toList();
        }
    }

    @Test
    void theArchiveIsRecordedOncePerJarRecordedAgainForANewJarAndIgnoredWhenUnusable() throws IOException {
        Path m = Files.createDirectories(tmp.resolve("migrations"));
        Files.writeString(m.resolve("001_items.sql"), "CREATE TABLE items (id INTEGER PRIMARY KEY);\n");
        for (String java : javas()) {
            Path dir = Files.createDirectories(tmp.resolve("jvm-" + Integer.toHexString(java.hashCode())));
            Path jar = Files.copy(Cli.ROOT.resolve("switchback-cli/target/switchback.jar"), dir.resolve("switchback.jar"));
            Path log = dir.resolve("classes.log");
            Map<String, String> env = Cli.env("JAVA", java, "SWITCHBACK_JAR", jar.toString(),
                    "SWITCHBACK_JAVA_OPTS", "-Xlog:class+load=info:file=" + log);
            String[] status = {"--url", "jdbc:sqlite:" + dir.resolve("app.db"), "--locations", m.toString(), "status"};
            Map<String, String> off = new java.util.HashMap<>(env);
            off.put("SWITCHBACK_CLASS_ARCHIVE", "off");
            Result plain = Cli.run(dir, off, status);
            assertThat(plain.exit()).as(plain.describe()).isZero();
            assertThat(archives(dir)).as("SWITCHBACK_CLASS_ARCHIVE=off records nothing").isEmpty();
            assertThat(Files.readString(log)).contains("dev.switchback.cli.Main source: file:");

            Result first = Cli.run(dir, env, status);
            assertThat(first.exit()).as(first.describe()).isZero();
            assertThat(first.out()).isEqualTo(plain.out());
            assertThat(archives(dir)).as(java).hasSize(1);
            Path archive = archives(dir).get(0);
            assertThat(Files.readString(log)).as(java + ": the command ran on the archive")
                    .contains("dev.switchback.cli.Main source: shared objects file");

            // the jar is newer than its archive, as after a build
            FileTime older = FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() - 60_000);
            Files.setLastModifiedTime(archive, older);
            Result rebuilt = Cli.run(dir, env, status);
            assertThat(rebuilt.exit()).as(rebuilt.describe()).isZero();
            assertThat(Files.getLastModifiedTime(archive)).as(java + ": recorded again for the newer jar")
                    .isGreaterThanOrEqualTo(Files.getLastModifiedTime(jar));

            archive.toFile().setWritable(true);
            Files.writeString(archive, "not an archive");
            Result unusable = Cli.run(dir, env, status);
            assertThat(unusable.exit()).as(unusable.describe()).isZero();
            assertThat(unusable.out()).isEqualTo(plain.out());
            assertThat(unusable.err()).as(java).isEqualTo(plain.err());
            assertThat(Files.readString(log)).contains("dev.switchback.cli.Main source: file:");
        }
    }
}
