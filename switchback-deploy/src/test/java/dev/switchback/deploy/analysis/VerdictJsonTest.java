package dev.switchback.deploy.analysis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class VerdictJsonTest {

    @Test
    void aVerdictIsWrittenAsStatusAndHistoryShowIt() throws Exception {
        Judge judge = new Judge(AnalysisSettings.DEFAULTS, new VirtualClock());
        Verdict v = judge.look(new Window(20, 10, Latencies.NONE), new Window(20, 0, Latencies.NONE));
        JsonNode json = new ObjectMapper().readTree(new ObjectMapper().writeValueAsString(v));
        assertThat(json.get("at").asText()).isEqualTo("2026-01-01T00:00:00Z");
        assertThat(json.get("verdict").asText()).isEqualTo("fail");
        assertThat(json.get("cause").asText()).isEqualTo("abort_error_rate");
        assertThat(json.get("reason").asText()).isEqualTo(v.reason());
        assertThat(json.get("canary").get("requests").asLong()).isEqualTo(20);
        assertThat(json.get("canary").get("errors").asLong()).isEqualTo(10);
        assertThat(json.get("stable").get("p99Ms").asDouble()).isZero();
        assertThat(json.get("errorEvidence").asDouble()).isEqualTo(v.errorEvidence());
        assertThat(json.has("latencyEvidence")).isTrue();
    }
}
