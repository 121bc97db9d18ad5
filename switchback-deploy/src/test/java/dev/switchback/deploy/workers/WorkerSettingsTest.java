package dev.switchback.deploy.workers;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class WorkerSettingsTest {

    @Test
    void aWorkerWithEveryKeyAndOneWithDefaults() {
        List<String> problems = new ArrayList<>();
        List<WorkerSettings> w = WorkerSettings.parse("""
                {"queue": {"command": ["java", "Queue.java"], "env": {"QUEUE": "orders"}, "replicas": 2,
                           "healthCheck": {"http": "/ready"}, "startPeriod": "5s", "critical": true, "stopTimeout": "20s",
                           "overlap": true},
                 "cron": {"command": "exec ./cron.sh", "healthCheck": {"command": "test -f cron.pid"}}}""", problems);
        assertThat(problems).isEmpty();
        assertThat(w).hasSize(2);
        WorkerSettings queue = w.get(0);
        assertThat(queue.command()).containsExactly("java", "Queue.java");
        assertThat(queue.env()).containsEntry("QUEUE", "orders");
        assertThat(queue.replicas()).isEqualTo(2);
        assertThat(queue.health().kind()).isEqualTo(WorkerHealth.Kind.HTTP);
        assertThat(queue.health().path()).isEqualTo("/ready");
        assertThat(queue.startPeriod()).isEqualTo(Duration.ofSeconds(5));
        assertThat(queue.critical()).isTrue();
        assertThat(queue.overlap()).isTrue();
        assertThat(queue.stopTimeout()).isEqualTo(Duration.ofSeconds(20));
        WorkerSettings cron = w.get(1);
        assertThat(cron.command()).containsExactly("sh", "-c", "exec ./cron.sh");
        assertThat(cron.health().command()).containsExactly("sh", "-c", "test -f cron.pid");
        assertThat(cron.replicas()).isEqualTo(1);
        assertThat(cron.overlap()).isFalse();
        assertThat(cron.startPeriod()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void everyProblemIsReportedTogetherAndNamesItsKey() {
        List<String> problems = new ArrayList<>();
        WorkerSettings.parse("""
                {"web": {"command": "x"},
                 "queue": {"replicas": 0, "healthCheck": {"http": "ready"}, "startPeriod": "soon", "overlap": "maybe", "retries": 3},
                 "cron": {"command": "x", "healthCheck": {"tcp": 80}}}""", problems);
        assertThat(problems).anyMatch(p -> p.startsWith("deploy.workers.web: a worker's name"))
                .anyMatch(p -> p.equals("deploy.workers.queue.command is not set: say how to start it (a list, or a string run by sh -c)"))
                .anyMatch(p -> p.startsWith("deploy.workers.queue.replicas must be a whole number of at least 1, was '0'"))
                .anyMatch(p -> p.startsWith("deploy.workers.queue.healthCheck.http must be a path starting with '/'"))
                .anyMatch(p -> p.startsWith("deploy.workers.queue.startPeriod"))
                .anyMatch(p -> p.equals("deploy.workers.queue.overlap must be true or false, was 'maybe'"))
                .anyMatch(p -> p.startsWith("unknown key 'deploy.workers.queue.retries'"))
                .anyMatch(p -> p.startsWith("deploy.workers.cron.healthCheck must be one of"));
        assertThat(problems).hasSize(8);
    }

    @Test
    void itsSecretsAreMaskedWhenPrinted() {
        List<String> problems = new ArrayList<>();
        WorkerSettings w = WorkerSettings.parse("""
                {"queue": {"command": "./q", "env": {"QUEUE_TOKEN": "t0k3n-value", "QUEUE": "orders"}}}""", problems).get(0);
        assertThat(w.toString()).doesNotContain("t0k3n-value").contains("QUEUE_TOKEN=****").contains("QUEUE=orders");
    }

    @Test
    void notAMapIsOneProblem() {
        List<String> problems = new ArrayList<>();
        assertThat(WorkerSettings.parse("[1, 2]", problems)).isEmpty();
        assertThat(problems).singleElement().asString().startsWith("deploy.workers must be a map of name to");
    }
}
