package dev.switchback.deploy;

import dev.switchback.migration.SwitchbackException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StickinessTest {
    @Test
    void parsesTheThreeFormsAndNamesABadValue() {
        assertThat(Stickiness.parse("none")).isEqualTo(Stickiness.NONE);
        assertThat(Stickiness.parse(" cookie ")).isEqualTo(Stickiness.COOKIE);
        assertThat(Stickiness.parse("header:X-User-Id")).isEqualTo(new Stickiness(Stickiness.Kind.HEADER, "X-User-Id"));
        assertThat(Stickiness.parse("header:X-User-Id").toString()).isEqualTo("header:X-User-Id");
        assertThatThrownBy(() -> Stickiness.parse("header:"))
                .isInstanceOf(SwitchbackException.class).hasMessageContaining("'header:'").hasMessageContaining("none, cookie or header:<Name>");
        assertThatThrownBy(() -> Stickiness.parse("header:X User")).isInstanceOf(SwitchbackException.class);
        assertThatThrownBy(() -> Stickiness.parse("sticky")).isInstanceOf(SwitchbackException.class);
    }
}
