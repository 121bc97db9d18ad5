package dev.switchback.migration.foreign;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * The checksum Flyway stores for a SQL migration: a CRC-32 over the UTF-8 bytes of each line without its line
 * terminator (so line endings do not count), the byte-order mark left out, as a signed 32-bit number.
 */
public final class FlywayChecksum {
    private FlywayChecksum() {
    }

    /** @param text the script as read, BOM removed (line terminators \n, \r\n or \r) */
    public static int of(String text) {
        CRC32 crc = new CRC32();
        int start = 0;
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c == '\n' || c == '\r') {
                crc.update(text.substring(start, i).getBytes(StandardCharsets.UTF_8));
                if (c == '\r' && i + 1 < n && text.charAt(i + 1) == '\n') {
                    i++;
                }
                start = i + 1;
            }
        }
        if (start < n) {
            crc.update(text.substring(start).getBytes(StandardCharsets.UTF_8));
        }
        return (int) crc.getValue();
    }
}
