package dev.switchback.migration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** What the up-to-date snapshot is keyed by. */
class UpToDateInputsTest {
    @Test
    void aClasspathRootAddedOrGoneChangesTheKey(@TempDir Path tmp) throws Exception {
        Path one = Files.createDirectories(tmp.resolve("one/db/migration")).getParent().getParent();
        Path two = Files.createDirectories(tmp.resolve("two/db/migration")).getParent().getParent();
        MigrationConfig config = Switchback.configure().environment(java.util.Map.of()).url("jdbc:postgresql://127.0.0.1/x")
                .locations("classpath:db/migration").baseDir(tmp).load().config();
        try (URLClassLoader first = loader(one); URLClassLoader again = loader(one); URLClassLoader both = loader(one, two)) {
            String key = UpToDateInputs.settingsKey(config, first);
            assertThat(key).isNotNull().contains(one.resolve("db/migration").toString());
            assertThat(UpToDateInputs.settingsKey(config, again)).isEqualTo(key);
            assertThat(UpToDateInputs.settingsKey(config, both)).isNotEqualTo(key).contains(two.resolve("db/migration").toString());
        }
    }

    private static URLClassLoader loader(Path... roots) throws Exception {
        URL[] urls = new URL[roots.length];
        for (int i = 0; i < roots.length; i++) {
            urls[i] = roots[i].toUri().toURL();
        }
        return new URLClassLoader(urls, null);
    }
}
