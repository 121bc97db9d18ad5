package dev.switchback.deploy.notify;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class NotifyTargetTest {
    @Test
    void parsesEntriesAndNeverShowsTheUrl() {
        List<String> problems = new ArrayList<>();
        List<NotifyTarget> t = NotifyTarget.parse("[{\"url\":\"https://hooks.slack.com/services/T0/B0/xyzSECRET\",\"events\":[\"failover\","
                + "\"rolled_back\"],\"format\":\"slack\"},{\"url\":\"http://127.0.0.1:9/x\"}]", problems);
        assertThat(problems).isEmpty();
        assertThat(t.get(0).events()).containsExactlyInAnyOrder(DeployEventType.FAILOVER, DeployEventType.ROLLED_BACK);
        assertThat(t.get(0).format()).isEqualTo(NotifyFormat.SLACK);
        assertThat(t.get(0).toString()).doesNotContain("SECRET").contains("https://hooks.slack.com/****");
        assertThat(t.get(1).events()).as("none named: all").isEqualTo(EnumSet.allOf(DeployEventType.class));
        assertThat(t.get(1).format()).isEqualTo(NotifyFormat.JSON);
    }

    @Test
    void everyProblemIsReportedWithoutQuotingTheUrl() {
        List<String> problems = new ArrayList<>();
        NotifyTarget.parse("[{\"url\":\"ftp://x/SECRET\",\"events\":[\"exploded\"],\"format\":\"teams\"}]", problems);
        assertThat(problems).hasSize(3).allSatisfy(p -> assertThat(p).doesNotContain("SECRET"));
        assertThat(String.join("\n", problems)).contains("deploy.notify[0].url").contains("'exploded' is not an event")
                .contains("slack, discord or json");
    }

    @Test
    void eachFormatIsTheBodyItsServiceExpects() {
        DeployEvent e = new DeployEvent(DeployEventType.FAILOVER, "v1", "blue", "v2 died", Map.of("routedInMs", 12), null);
        assertThat(new String(NotifyFormat.SLACK.body(e))).startsWith("{\"text\":\"switchback failover v1 (blue): v2 died");
        assertThat(new String(NotifyFormat.DISCORD.body(e))).startsWith("{\"content\":\"switchback failover");
        assertThat(new String(NotifyFormat.JSON.body(e))).contains("\"event\":\"failover\"").contains("\"routedInMs\":12");
    }
}
