package dev.switchback.migration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class VersionTest {
    @Test
    void comparesDigitGroupsNumerically() {
        assertThat(Version.parse("1.10")).isGreaterThan(Version.parse("1.9"));
        assertThat(Version.parse("002")).isEqualTo(Version.parse("2"));
        assertThat(Version.parse("1_2")).isEqualTo(Version.parse("1.2"));
        assertThat(Version.parse("1.0")).isEqualTo(Version.parse("1"));
        assertThat(Version.parse("20240101120000")).isGreaterThan(Version.parse("20231231235959"));
        assertThat(Version.parse("2")).isGreaterThan(Version.parse("1.999"));
        assertThat(Version.parse("99999999999999999999")).isGreaterThan(Version.parse("9"));
    }

    @Test
    void keepsTheWrittenFormAndHasACanonicalOne() {
        assertThat(Version.parse("002").toString()).isEqualTo("002");
        assertThat(Version.parse("002").canonical()).isEqualTo("2");
        assertThat(Version.parse("1_02").canonical()).isEqualTo("1.2");
    }

    @Test
    void rejectsWhatIsNotAVersion() {
        for (String bad : new String[]{"", "v1", "1.", "1..2", "a", "1-2"}) {
            assertThatThrownBy(() -> Version.parse(bad)).isInstanceOfSatisfying(SwitchbackException.class,
                    e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIG));
        }
    }
}
