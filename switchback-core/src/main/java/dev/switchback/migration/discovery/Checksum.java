package dev.switchback.migration.discovery;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Script normalisation and checksums: a CRLF checkout or a BOM must not look like an edit. */
public final class Checksum {
    private Checksum() {
    }

    /** Removes a leading BOM and turns CRLF and lone CR into LF. */
    public static String normalise(String text) {
        String s = text.startsWith("\uFEFF") ? text.substring(1) : text;
        if (s.indexOf('\r') < 0) {
            return s;
        }
        return s.replace("\r\n", "\n").replace('\r', '\n');
    }

    /** SHA-256 (hex) of the normalised text's UTF-8 bytes. */
    public static String of(String text) {
        return sha256(normalise(text));
    }

    /** SHA-256 (hex) of the text's UTF-8 bytes, as they are. */
    public static String sha256(String text) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
