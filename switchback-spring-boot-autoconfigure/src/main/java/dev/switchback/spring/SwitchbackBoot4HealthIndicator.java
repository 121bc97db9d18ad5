package dev.switchback.spring;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/** The health indicator for Spring Boot 4 ({@code org.springframework.boot.health}); see {@link SwitchbackHealth}. */
public final class SwitchbackBoot4HealthIndicator implements HealthIndicator {
    private final SwitchbackHealth health;

    SwitchbackBoot4HealthIndicator(SwitchbackHealth health) {
        this.health = health;
    }

    @Override
    public Health health() {
        SwitchbackHealth.Result r = health.check();
        return (r.up() ? Health.up() : Health.down()).withDetails(r.details()).build();
    }
}
