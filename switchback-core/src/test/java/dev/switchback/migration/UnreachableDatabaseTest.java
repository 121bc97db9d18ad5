package dev.switchback.migration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A closed port on 127.0.0.1: the connection is refused by the real network stack. */
class UnreachableDatabaseTest {
    @TempDir
    Path dir;

    @Test
    void isRetriedWithBackoffThenFailsClearlyWithoutThePassword() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Files.writeString(dir.resolve("001_a.sql"), "SELECT 1;");
        Migrator m = Switchback.configure().url("jdbc:postgresql://127.0.0.1:" + port + "/app").user("app").password("hunter2")
                .locations(dir.toString()).maxRetries(2).retryDelay(Duration.ofMillis(50)).environment(Map.of()).load();
        assertThatThrownBy(m::migrate).isInstanceOfSatisfying(SwitchbackException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.FAILED);
            assertThat(e.getMessage()).contains("after 3 attempt(s)").contains("127.0.0.1:" + port).doesNotContain("hunter2");
        });
    }

    @Test
    void aBadDatabaseNameIsNotRetried() throws Exception {
        Files.writeString(dir.resolve("001_a.sql"), "SELECT 1;");
        Migrator m = Switchback.configure().url("jdbc:postgresql://127.0.0.1:5432/no_such_database_here").user("postgres")
                .locations(dir.toString()).maxRetries(5).retryDelay(Duration.ofSeconds(30)).environment(Map.of()).load();
        assertThatThrownBy(m::migrate).isInstanceOfSatisfying(SwitchbackException.class, e ->
                assertThat(e.getMessage()).contains("after 1 attempt(s)").contains("3D000"));
    }
}
