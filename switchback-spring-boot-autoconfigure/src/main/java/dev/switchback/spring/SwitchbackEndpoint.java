package dev.switchback.spring;

import dev.switchback.migration.MigrateResult;
import dev.switchback.migration.Migrator;
import dev.switchback.migration.StatusReport;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code /actuator/switchback}: the status as {@code switchback status --json} has it (database, current, applied,
 * pending, problems, lock, and schema: drift against the snapshot the last migrate stored, null when there is none)
 * and what the start-up migration did. Without a snapshot drift is not computed here (that replays the history into a
 * scratch database); {@code switchback drift --replay} does it.
 */
@Endpoint(id = "switchback")
public class SwitchbackEndpoint {
    private final Migrator migrator;
    private final SwitchbackMigrationInitializer initializer;

    public SwitchbackEndpoint(Migrator migrator, SwitchbackMigrationInitializer initializer) {
        this.migrator = migrator;
        this.initializer = initializer;
    }

    @ReadOperation
    public Map<String, Object> status() {
        StatusReport s = migrator.status();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("database", s.database());
        out.put("current", s.current());
        out.put("applied", s.applied());
        out.put("pending", s.pending());
        out.put("problems", s.problems());
        out.put("lock", s.lock());
        out.put("schema", s.schema());
        MigrateResult r = initializer == null ? null : initializer.result();
        if (r != null) {
            Map<String, Object> startup = new LinkedHashMap<>();
            startup.put("from", r.from());
            startup.put("to", r.to());
            startup.put("applied", r.applied().stream().map(a -> a.version()).toList());
            startup.put("skipped", r.skipped());
            startup.put("dryRun", r.dryRun());
            startup.put("ms", r.totalMs());
            out.put("startup", startup);
        }
        return out;
    }
}
