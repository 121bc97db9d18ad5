package dev.switchback.cli;

import dev.switchback.deploy.DeploySetting;
import dev.switchback.migration.ErrorCode;
import dev.switchback.migration.MigrationListener;
import dev.switchback.migration.Settings;
import dev.switchback.migration.SwitchbackException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where a release lists the keys it expects: {@code deploy.service.envFile} (${RELEASE} expanded, relative to the
 * config's folder), else {@code .env.example} in the release's folder, which is the migrations location naming
 * ${RELEASE} cut after it ({@code releases/${RELEASE}/migrations} makes {@code releases/v2/.env.example}).
 */
final class ReleaseEnvFile {
    private ReleaseEnvFile() {
    }

    /** The file, or null when the release has none (then nothing is expected). */
    static Path locate(SwitchbackCommand root, String release) {
        Map<String, String> env = System.getenv();
        Path config = ConfigFile.locate(root.config, env);
        Path baseDir = config != null ? config.getParent() : Path.of("").toAbsolutePath();
        String named = Settings.resolve(DeploySetting.class, ConfigFile.select(DeploySetting.class, ConfigFile.values(config, env)),
                env, Map.of()).get(DeploySetting.ENV_FILE);
        if (named != null && !named.isBlank()) {
            Path file = baseDir.resolve(named.replace("${RELEASE}", release)).normalize();
            if (!Files.isRegularFile(file)) {
                throw new SwitchbackException(ErrorCode.CONFIG, "deploy.service.envFile names " + file + " for release " + release
                        + ", which does not exist; nothing was started");
            }
            return file;
        }
        for (String location : root.migrator(Map.of(), MigrationListener.NONE).config().locations()) {
            String path = location.startsWith("filesystem:") ? location.substring(11) : location;
            int at = path.indexOf("${RELEASE}");
            if (at < 0 || path.startsWith("classpath:")) {
                continue;
            }
            Path file = baseDir.resolve(path.substring(0, at) + release).resolve(".env.example").normalize();
            if (Files.isRegularFile(file)) {
                return file;
            }
        }
        return null;
    }
}
