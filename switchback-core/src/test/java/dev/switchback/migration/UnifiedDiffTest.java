package dev.switchback.migration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class UnifiedDiffTest {
    @Test
    void showsChangedLinesWithContext() {
        String before = "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\n";
        String after = "a\nb\nc\nd\nE\nf\ng\nh\ni\nj\nk\n";
        String diff = UnifiedDiff.of(before, after, "old", "new");
        assertThat(diff).startsWith("--- old\n+++ new\n@@ -2,");
        assertThat(diff).contains("-e\n+E\n").contains("+k\n").doesNotContain(" a\n");
    }

    @Test
    void identicalTextsHaveNoHunks() {
        assertThat(UnifiedDiff.of("x\ny\n", "x\ny\n", "a", "b")).isEqualTo("--- a\n+++ b\n");
    }
}
