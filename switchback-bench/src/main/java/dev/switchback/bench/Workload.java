package dev.switchback.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * N generated migration files in a temporary folder, shared by every tool. Flyway needs {@code V<n>__desc.sql}
 * names and Switchback accepts them, so both read byte-for-byte the same scripts.
 */
final class Workload implements AutoCloseable {
    final int n;
    final Path dir;

    private Workload(int n, Path dir) {
        this.n = n;
        this.dir = dir;
    }

    static Workload generate(int n) throws IOException {
        Path dir = Files.createTempDirectory("switchback-bench-" + n + "-");
        for (int i = 1; i <= n; i++) {
            Files.writeString(dir.resolve(fileName(i)), script(i), StandardCharsets.UTF_8);
        }
        return new Workload(n, dir);
    }

    static String fileName(int i) {
        return "V" + i + "__create_t" + i + ".sql";
    }

    static String script(int i) {
        return "CREATE TABLE t" + i + " (id bigint PRIMARY KEY, name text);\n"
                + "INSERT INTO t" + i + " VALUES (1, 'x');\n";
    }

    /** The version in a generated name, so the raw loop can order files numerically as the tools do. */
    static int versionOf(Path file) {
        String name = file.getFileName().toString();
        return Integer.parseInt(name.substring(1, name.indexOf("__")));
    }

    @Override
    public void close() {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
