package dev.switchback.migration.discovery;

import dev.switchback.migration.ErrorCode;
import dev.switchback.migration.SwitchbackException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The checksum over a script's normalised bytes against the one earlier versions stored (over its decoded text). */
class ChecksumTest {

    @Property(tries = 3000)
    void byteChecksumIsTheStoredTextChecksumForEveryValidUtf8Script(@ForAll("scripts") String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        assertThat(Checksum.ofBytes(bytes)).isEqualTo(Checksum.of(text));
        assertThat(Checksum.normalise(Checksum.decode(bytes, "V1__x.sql"))).isEqualTo(Checksum.normalise(text));
    }

    @Test
    void aKnownScriptKeepsItsChecksum() {
        // BOM, CRLF and a lone CR; the value is sha256sum of the LF-only, BOM-less bytes
        String text = "\uFEFFCREATE TABLE caf\u00e9 (x TEXT);\r\nSELECT '\uD83D\uDE00';\r\r";
        String expected = "cc90cec12a461a177aa8bd09ab777cf9f5ff47a1df0926c22718098f10db0b2b";
        assertThat(Checksum.of(text)).isEqualTo(expected);
        assertThat(Checksum.ofBytes(text.getBytes(StandardCharsets.UTF_8))).isEqualTo(expected);
    }

    @Test
    void invalidUtf8IsRefusedAtItsByteOffset() {
        byte[] latin1 = "SELECT 1;\nSELECT 'caf\u00e9';\n".getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> Checksum.decode(latin1, "V2__cafe.sql")).isInstanceOfSatisfying(SwitchbackException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.CONFIG);
            assertThat(e.getMessage()).startsWith("V2__cafe.sql: not valid UTF-8 at byte offset 21 (line 2: byte E9)");
        });
        byte[] truncated = {'a', 'b', (byte) 0xE2, (byte) 0x82};
        assertThatThrownBy(() -> Checksum.decode(truncated, "V3__cut.sql")).hasMessageStartingWith("V3__cut.sql: not valid UTF-8 at byte offset 2 (line 1");
        byte[] surrogate = {'a', (byte) 0xED, (byte) 0xA0, (byte) 0x80}; // an encoded surrogate half is not UTF-8
        assertThatThrownBy(() -> Checksum.decode(surrogate, "V4__s.sql")).hasMessageContaining("byte offset 1");
        // two files differing only in bytes a lossy decoding would both replace get different checksums
        assertThat(Checksum.ofBytes(new byte[]{'a', (byte) 0xE9})).isNotEqualTo(Checksum.ofBytes(new byte[]{'a', (byte) 0xE8}));
    }

    @Provide
    Arbitrary<String> scripts() {
        Arbitrary<String> bits = Arbitraries.of("\uFEFF", "\r", "\n", "\r\n", "\n\r", "a", "'", "\u00e9", "\uD83D\uDE00", "\u2028",
                "\u0000", "SELECT 1;", " ");
        return Arbitraries.oneOf(bits.list().ofMaxSize(30).map(l -> String.join("", l)),
                Arbitraries.strings().all().ofMaxLength(40).filter(s -> StandardCharsets.UTF_8.newEncoder().canEncode(s)));
    }
}
