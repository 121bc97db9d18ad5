package dev.switchback.migration.discovery;

import dev.switchback.migration.ErrorCode;
import dev.switchback.migration.SwitchbackException;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Script normalisation and checksums: a CRLF checkout or a BOM must not look like an edit. A script read from a file
 * is checksummed over its bytes as normalised ({@link #ofBytes}), never over a decoding of them; for valid UTF-8 that
 * is the same checksum as {@link #of} of its text, which is what the history of earlier versions holds.
 */
public final class Checksum {
    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    private Checksum() {
    }

    /**
     * The text of a script's bytes, which must be UTF-8: a byte sequence that is not is refused rather than replaced,
     * since a replaced character would be applied as U+FFFD and an edit of those bytes would keep the checksum.
     *
     * @param source the script's name for the message
     * @throws SwitchbackException (CONFIG) naming the byte offset and line of the first invalid sequence
     */
    public static String decode(byte[] bytes, String source) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length); // UTF-8 never decodes to more chars than bytes
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            int offset = in.position();
            int line = 1;
            for (int i = 0; i < offset; i++) {
                if (bytes[i] == '\n') {
                    line++;
                }
            }
            StringBuilder hex = new StringBuilder();
            for (int i = offset; i < Math.min(bytes.length, offset + Math.max(1, result.length())); i++) {
                hex.append(hex.length() == 0 ? "" : " ").append(String.format("%02X", bytes[i] & 0xFF));
            }
            throw new SwitchbackException(ErrorCode.CONFIG, source + ": not valid UTF-8 at byte offset " + offset + " (line "
                    + line + ": byte" + (result.length() > 1 ? "s " : " ") + hex + "); nothing was run. Migrations are read as "
                    + "UTF-8 and never with a character replaced: save the file as UTF-8 (e.g. iconv -f latin1 -t utf-8).");
        }
        return out.flip().toString();
    }

    /** Removes a leading UTF-8 BOM and turns CRLF and lone CR into LF, byte by byte (as {@link #normalise(String)}). */
    public static byte[] normalise(byte[] bytes) {
        int from = bytes.length >= 3 && bytes[0] == BOM[0] && bytes[1] == BOM[1] && bytes[2] == BOM[2] ? 3 : 0;
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length);
        for (int i = from; i < bytes.length; i++) {
            byte b = bytes[i];
            if (b == '\r') {
                out.write('\n');
                if (i + 1 < bytes.length && bytes[i + 1] == '\n') {
                    i++;
                }
            } else {
                out.write(b);
            }
        }
        return out.toByteArray();
    }

    /** SHA-256 (hex) of a script's bytes as {@link #normalise(byte[])} leaves them. */
    public static String ofBytes(byte[] raw) {
        return hex(normalise(raw));
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
        return hex(text.getBytes(StandardCharsets.UTF_8));
    }

    /** SHA-256 (hex) of the bytes as they are. */
    public static String sha256(byte[] bytes) {
        return hex(bytes);
    }

    private static String hex(byte[] bytes) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
