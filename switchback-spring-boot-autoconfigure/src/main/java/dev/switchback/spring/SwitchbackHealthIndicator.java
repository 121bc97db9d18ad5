package dev.switchback.spring;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/** The health indicator for Spring Boot 3 ({@code org.springframework.boot.actuate.health}); see {@link SwitchbackHealth}. */
public final class SwitchbackHealthIndicator implements HealthIndicator {
    private final SwitchbackHealth health;

    SwitchbackHealthIndicator(SwitchbackHealth health) {
        this.health = health;
    }

    @Override
    public Health health() {
        SwitchbackHealth.Result r = health.check();
        return (r.up() ? Health.up() : Health.down()).withDetails(r.details()).build();
    }
}
