package dev.switchback.deploy.analysis;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FiguresTest {

    @Test
    void fewDecimalsNoTrailingZerosNoExponent() {
        assertThat(Figures.of(0.5, 2)).isEqualTo("0.5");
        assertThat(Figures.of(1, 2)).isEqualTo("1");
        assertThat(Figures.of(1.256, 2)).isEqualTo("1.26");
        assertThat(Figures.of(20.0000001, 2)).isEqualTo("20");
        assertThat(Figures.of(0.04, 1)).isEqualTo("0");
        assertThat(Figures.of(-2.5, 1)).isEqualTo("-2.5");
        assertThat(Figures.of(1e12, 0)).isEqualTo("1000000000000");
        assertThat(Figures.of(0.105, 2)).isEqualTo("0.11");
        assertThat(AnalysisSettings.percent(0.005)).isEqualTo("0.5%");
        assertThat(AnalysisSettings.percent(0.2)).isEqualTo("20%");
    }
}
