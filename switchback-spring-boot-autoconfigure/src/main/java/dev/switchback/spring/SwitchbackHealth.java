package dev.switchback.spring;

import dev.switchback.migration.Migrator;
import dev.switchback.migration.Problem;
import dev.switchback.migration.StatusReport;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The health of the migrated database, the same for Spring Boot 3's and 4's health indicator: down while a migration
 * is recorded as failed or partial, or while the lock has been held longer than the lock timeout (a migrator that died
 * without releasing it, or one stuck); up otherwise, with the current version and how many are applied and pending.
 */
final class SwitchbackHealth {
    /** Whether it is up, and the details to show. */
    record Result(boolean up, Map<String, Object> details) {
    }

    private final Migrator migrator;
    private final Clock clock;

    SwitchbackHealth(Migrator migrator, Clock clock) {
        this.migrator = migrator;
        this.clock = clock;
    }

    Result check() {
        Map<String, Object> details = new LinkedHashMap<>();
        StatusReport status;
        try {
            status = migrator.status();
        } catch (RuntimeException e) {
            details.put("error", e.getMessage());
            return new Result(false, details);
        }
        details.put("database", status.database());
        details.put("current", status.current());
        details.put("applied", status.applied().size());
        details.put("pending", status.pending().size());
        List<Problem> broken = status.problems().stream()
                .filter(p -> Problem.FAILED.equals(p.type()) || Problem.PARTIAL.equals(p.type())).toList();
        boolean up = broken.isEmpty();
        if (!broken.isEmpty()) {
            details.put("failed", broken.stream().map(p -> p.version() + " (" + p.type() + "): " + p.message()).toList());
        }
        if (status.lock() != null) {
            Map<String, Object> lock = new LinkedHashMap<>();
            lock.put("holder", status.lock().holder());
            lock.put("since", status.lock().since());
            Instant since = parse(status.lock().since());
            Duration timeout = migrator.config().lockTimeout();
            boolean stuck = since != null && Duration.between(since, clock.instant()).compareTo(timeout) > 0;
            lock.put("stuck", stuck);
            details.put("lock", lock);
            up &= !stuck;
        }
        return new Result(up, details);
    }

    private static Instant parse(String since) {
        if (since == null) {
            return null;
        }
        try {
            return Instant.parse(since);
        } catch (DateTimeParseException e) {
            try {
                return Timestamp.valueOf(since).toInstant();
            } catch (IllegalArgumentException notATimestamp) {
                return null;
            }
        }
    }
}
