package dev.switchback.server;

import dev.switchback.migration.ErrorCode;
import dev.switchback.migration.SwitchbackException;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/** The admin API's bearer token: SWITCHBACK_ADMIN_TOKEN, else generated once into .switchback/admin.token (0600). */
public final class AdminToken {
    private AdminToken() {
    }

    public static String resolve(Path stateDir, String fromEnv) {
        if (fromEnv != null && !fromEnv.isBlank()) {
            return fromEnv.strip();
        }
        Path file = stateDir.resolve("admin.token");
        try {
            if (Files.exists(file)) {
                return Files.readString(file).strip();
            }
            Files.createDirectories(stateDir);
            byte[] raw = new byte[32];
            new SecureRandom().nextBytes(raw);
            String token = HexFormat.of().formatHex(raw);
            // a temporary file of this process's own, so one a crash left behind is never in the way; linked into place
            // only if no admin.token exists yet, so of two serves starting together both end up with the one that won
            Path tmp = Files.createTempFile(stateDir, ".admin.token.", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try {
                Files.writeString(tmp, token + "\n");
                Files.createLink(file, tmp);
                return token;
            } catch (FileAlreadyExistsException e) {
                return Files.readString(file).strip();
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new SwitchbackException(ErrorCode.FAILED, "Cannot read or create " + file + ": " + e.getMessage(), e);
        }
    }

    /** For clients: the token they should send, or null when there is none yet. */
    public static String read(Path stateDir, String fromEnv) {
        if (fromEnv != null && !fromEnv.isBlank()) {
            return fromEnv.strip();
        }
        Path file = stateDir.resolve("admin.token");
        try {
            return Files.exists(file) ? Files.readString(file).strip() : null;
        } catch (IOException e) {
            throw new SwitchbackException(ErrorCode.FAILED, "Cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
