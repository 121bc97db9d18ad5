package dev.switchback.deploy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static org.assertj.core.api.Assertions.assertThat;

class ReleaseLogTest {
    @TempDir
    Path tmp;

    private SlotState slot(Path log) {
        return new SlotState("v1", SlotStatus.ACTIVE, 1L, null, 1, "2026-01-01T00:00:00Z", log.toString());
    }

    @Test
    void theLastLinesFirstThenOnlyWhatWasWrittenSinceInWholeLines() throws Exception {
        Path log = tmp.resolve("blue-v1.log");
        Files.writeString(log, "--- t0 starting v1 in blue\none\ntwo\nthree\n");
        ReleaseLog first = ReleaseLog.read(Slot.BLUE, slot(log), null, 0, 2);
        assertThat(first.text()).isEqualTo("two\nthree\n");
        Files.writeString(log, "four\nhalf", StandardOpenOption.APPEND);
        ReleaseLog next = ReleaseLog.read(Slot.BLUE, slot(log), first.file(), first.offset(), 2);
        assertThat(next.text()).as("a line still being written waits").isEqualTo("four\n");
        assertThat(next.newFile()).isFalse();
        Files.writeString(log, " line\n--- t1 starting v1 in blue\nagain\n", StandardOpenOption.APPEND);
        ReleaseLog restarted = ReleaseLog.read(Slot.BLUE, slot(log), next.file(), next.offset(), 2);
        assertThat(restarted.text()).isEqualTo("half line\n--- t1 starting v1 in blue\nagain\n");
    }

    @Test
    void aNewFileInTheSlotIsReadFromItsLatestRun() throws Exception {
        Path old = tmp.resolve("blue-v1.log");
        Files.writeString(old, "--- t0 starting v1 in blue\nold\n");
        Path now = tmp.resolve("blue-v2.log");
        Files.writeString(now, "--- t0 starting v2 in blue\nlong ago\n--- t1 starting v2 in blue\nfresh\n");
        ReleaseLog r = ReleaseLog.read(Slot.BLUE, slot(now), old.toString(), 40, 10);
        assertThat(r.newFile()).isTrue();
        assertThat(r.text()).isEqualTo("--- t1 starting v2 in blue\nfresh\n");
        assertThat(r.offset()).isEqualTo(Files.size(now));
    }
}
