package dev.switchback.migration;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

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

    /** Versions compare as their groups' numbers would, zero groups padded, however long the digit strings. */
    @Property(tries = 500)
    void orderAgreesWithNumericGroups(@ForAll @Size(min = 1, max = 4) List<@StringLength(min = 1, max = 22) @net.jqwik.api.constraints.NumericChars String> a,
                                      @ForAll @Size(min = 1, max = 4) List<@StringLength(min = 1, max = 22) @net.jqwik.api.constraints.NumericChars String> b,
                                      @ForAll @IntRange(min = 0, max = 1) int separator) {
        String sep = separator == 0 ? "." : "_";
        Version va = Version.parse(String.join(sep, a));
        Version vb = Version.parse(String.join(".", b));
        int expected = Integer.signum(numericCompare(a, b));
        assertThat(Integer.signum(va.compareTo(vb))).isEqualTo(expected);
        assertThat(va.equals(vb)).isEqualTo(expected == 0);
        if (expected == 0) {
            assertThat(va.hashCode()).isEqualTo(vb.hashCode());
            assertThat(va.canonical()).isEqualTo(vb.canonical());
        }
    }

    private static int numericCompare(List<String> a, List<String> b) {
        List<BigInteger> x = new ArrayList<>(a.stream().map(BigInteger::new).toList());
        List<BigInteger> y = new ArrayList<>(b.stream().map(BigInteger::new).toList());
        for (int i = 0; i < Math.max(x.size(), y.size()); i++) {
            int c = (i < x.size() ? x.get(i) : BigInteger.ZERO).compareTo(i < y.size() ? y.get(i) : BigInteger.ZERO);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }
}
