package dev.switchback.deploy;

import dev.switchback.migration.ErrorCode;
import dev.switchback.migration.SwitchbackException;

import java.util.regex.Pattern;

/** A release name becomes a folder (releases/${RELEASE}) and a file name: one path segment, never . or .. or hidden. */
public final class ReleaseNames {
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private ReleaseNames() {
    }

    public static String check(String release) {
        if (release == null || !VALID.matcher(release).matches()) {
            throw new SwitchbackException(ErrorCode.CONFIG, "--release '" + release + "' is not a release name: 1-64 of A-Z a-z 0-9 "
                    + ". _ -, starting with a letter or digit (it names a folder, so . and .. are refused)");
        }
        return release;
    }
}
