package dev.switchback.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchback.deploy.DeployConfig;
import dev.switchback.deploy.DeploySetting;
import dev.switchback.migration.ErrorCode;
import dev.switchback.migration.Settings;
import dev.switchback.migration.SwitchbackException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "upgrade", description = "Blue-green and canary upgrades through the daemon (`switchback serve`): perform, status, "
        + "switch, rollback, cleanup, maintenance, pause, resume, promote, abort.",
        subcommands = {UpgradeCommand.Perform.class, UpgradeCommand.Status.class, UpgradeCommand.Switch.class,
                UpgradeCommand.Rollback.class, UpgradeCommand.Cleanup.class, UpgradeCommand.Maintenance.class,
                UpgradeCommand.Pause.class, UpgradeCommand.Resume.class, RolloutCommands.Promote.class, RolloutCommands.Abort.class,
                UpgradeLogs.class})
final class UpgradeCommand implements Runnable {
    @Mixin
    HelpOption help;

    @ParentCommand
    SwitchbackCommand root;

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    AdminClient client() {
        return new AdminClient(root.deployConfig());
    }

    /** Shared shape of the subcommands: one admin call, then JSON or a few lines of text. */
    abstract static class Call implements Callable<Integer> {
        @Mixin
        HelpOption help;
        @ParentCommand
        UpgradeCommand parent;

        abstract JsonNode call(AdminClient client);

        abstract void print(Output out, JsonNode result);

        @Override
        public Integer call() {
            if (parent.root.kubernetes()) {
                return KubernetesUpgrade.call(this);
            }
            Output out = parent.root.output();
            JsonNode r = call(parent.client());
            if (out.json()) {
                out.json(r);
            } else {
                print(out, r);
            }
            return 0;
        }
    }

    @Command(name = "perform", description = "Back up, migrate with the release's migrations, start it in the idle slot, "
            + "health-check it, switch traffic atomically; the old slot stays warm for an instant rollback.")
    static final class Perform extends Call {
        @Option(names = "--release", required = true, description = "the release to deploy (fills ${RELEASE})")
        String release;
        @Option(names = "--auto-switch", negatable = true, description = "switch once healthy (default deploy.autoSwitch)")
        Boolean autoSwitch;
        @Option(names = "--auto-cleanup", description = "stop the old slot after the switch (default deploy.autoCleanup)")
        Boolean autoCleanup;
        @Option(names = "--timeout", paramLabel = "SECONDS", description = "health-check timeout (default deploy.service.healthCheck.timeout)")
        Integer timeout;
        @Option(names = "--skip-health", description = "do not wait for the health check; the release is started and left "
                + "for `upgrade switch` unless --auto-switch is given too")
        boolean skipHealth;
        @Option(names = "--skip-migrations", description = "do not back up or migrate")
        boolean skipMigrations;
        @Option(names = "--no-backup", description = "migrate without the pre-migration backup")
        boolean noBackup;
        @Option(names = "--allow-unsafe", description = "migrate even when lint finds errors in the release's migrations")
        boolean allowUnsafe;
        @Option(names = "--strategy", description = "bluegreen, canary or rolling (default deploy.strategy)")
        String strategy;
        @Option(names = "--step-duration", paramLabel = "DURATION", description = "how long each canary step is held (default deploy.canary.stepDuration)")
        String stepDuration;
        @Option(names = "--detach", description = "canary or rolling: return once the rollout began instead of following it")
        boolean detach;
        @Option(names = "--wait", description = "blue-green: wait for the watch after the switch to end")
        boolean await;

        @Override
        public Integer call() {
            if (parent.root.kubernetes()) {
                return KubernetesUpgrade.perform(this);
            }
            Output out = parent.root.output();
            AdminClient client = parent.client();
            JsonNode r = call(client);
            JsonNode rollout = r.path("rollout");
            boolean ours = RolloutView.live(rollout) && rollout.path("release").asText().equals(release);
            // a canary and a rolling update are followed to their end unless --detach; a watch only with --wait
            boolean canary = ours && List.of("canary", "rolling").contains(rollout.path("strategy").asText());
            if (!out.json()) {
                print(out, r);
            }
            if (ours && (canary ? !detach : await)) {
                JsonNode end = RolloutView.follow(client, out, rollout.path("id").asText());
                if (out.json()) {
                    ((com.fasterxml.jackson.databind.node.ObjectNode) r).set("rollout", end);
                    out.json(r);
                }
                RolloutView.outcome(end);
                return 0;
            }
            if (out.json()) {
                out.json(r);
            }
            return 0;
        }

        @Override
        JsonNode call(AdminClient client) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("release", release);
            // the runbook's way: HEALTH_CHECK_TIMEOUT=120 switchback upgrade perform; a flag wins over the environment, and
            // with --skip-health only the --auto-switch flag switches
            Map<DeploySetting, String> env = Settings.fromEnvironment(DeploySetting.class, System.getenv());
            DeployConfig mine = client.config();
            body.put("autoSwitch", autoSwitch != null || skipHealth ? autoSwitch
                    : env.containsKey(DeploySetting.AUTO_SWITCH) ? mine.autoSwitch() : null);
            body.put("autoCleanup", autoCleanup != null ? autoCleanup : env.containsKey(DeploySetting.AUTO_CLEANUP) ? mine.autoCleanup() : null);
            body.put("healthTimeoutMs", timeout != null ? Long.valueOf(timeout * 1000L)
                    : env.containsKey(DeploySetting.HEALTH_TIMEOUT) ? mine.healthTimeout().toMillis() : null);
            body.put("healthIntervalMs", env.containsKey(DeploySetting.HEALTH_INTERVAL) ? mine.healthInterval().toMillis() : null);
            body.put("skipHealth", skipHealth);
            body.put("skipMigrations", skipMigrations);
            body.put("noBackup", noBackup);
            body.put("allowUnsafe", allowUnsafe);
            if (strategy != null) {
                body.put("strategy", dev.switchback.deploy.rollout.Strategy.parse(strategy).json());
            }
            if (stepDuration != null) {
                body.put("stepDurationMs", Settings.duration("--step-duration", stepDuration).toMillis());
            }
            return client.post("/api/deployments/perform", body);
        }

        @Override
        void print(Output out, JsonNode r) {
            out.line("Release %s is running in %s.", r.path("release").asText(), r.path("slot").asText());
            if (r.path("migrationsApplied").size() > 0 || !r.path("schemaBefore").isNull()) {
                out.line("Schema: %s -> %s (%d migration(s) applied%s)", r.path("schemaBefore").asText("none"),
                        r.path("schemaAfter").asText("none"), r.path("migrationsApplied").size(),
                        r.path("backupId").isNull() ? "" : ", backup " + r.path("backupId").asText());
            }
            String previous = r.path("previousRelease").asText(null);
            JsonNode rollout = r.path("rollout");
            boolean ours = RolloutView.live(rollout) && rollout.path("release").asText().equals(r.path("release").asText());
            if (ours && rollout.path("strategy").asText().equals("rolling")) {
                out.line("Rolling update: %s's instances replace %s's a batch at a time (recorded in %s); no warm slot is kept. "
                        + "`switchback upgrade abort` rolls it back.", r.path("release").asText(), previous, r.path("slot").asText());
                return;
            }
            if (ours && rollout.path("strategy").asText().equals("canary")) {
                out.line("Canary: %d%% of clients on %s, the rest on %s; steps %s of %ss each, judged against %s. "
                        + "`switchback upgrade promote` / `abort` steer it.", rollout.path("weight").asInt(), r.path("release").asText(),
                        previous, rollout.path("steps"), rollout.path("stepDurationMs").asLong() / 1000, previous);
                return;
            }
            if (r.path("switched").asBoolean()) {
                out.line("Traffic switched to %s%s.", r.path("slot").asText(), previous == null ? ""
                        : r.path("previousWarm").asBoolean() ? "; " + previous + " stays warm for `switchback upgrade rollback`"
                        : r.path("cleanedUp").asBoolean() ? "; " + previous + " was drained and stopped"
                        : "; " + previous + " is not running (its process exited): `switchback upgrade rollback` starts it again first");
                if (ours) {
                    out.line("Watching %s for %ss against %s's figures before the switch; a fail switches back (--wait waits).",
                            r.path("release").asText(), rollout.path("stepDurationMs").asLong() / 1000, previous);
                }
            } else if (r.path("healthChecks").isEmpty()) {
                out.line("Started without a health check and not switched: run `%s` (it checks health first) to move traffic.",
                        r.path("next").asText());
            } else {
                out.line("Healthy but not switched: run `%s` to move traffic.", r.path("next").asText());
            }
        }
    }

    @Command(name = "status", description = "Active and standby slot, each slot's release, state, pid, port, health; recent history.")
    static final class Status extends Call {
        @Option(names = "--watch", description = "refresh until Ctrl-C: slots, weights, request rate, error rate and p99 per slot "
                + "(in place on a terminal, a line per slot and refresh otherwise)")
        boolean watch;
        @Option(names = "--interval", defaultValue = "2s", description = "time between refreshes with --watch (default 2s)")
        String interval;
        @Option(names = "--count", description = "with --watch: stop after this many refreshes (default: until Ctrl-C)")
        Integer count;

        @Override
        public Integer call() {
            return watch ? new StatusWatch(parent.client(), System.out, Settings.duration("--interval", interval), count).run()
                    : super.call();
        }

        @Override
        JsonNode call(AdminClient client) {
            return client.get("/api/deployments/status");
        }

        @Override
        void print(Output out, JsonNode r) {
            out.line("Active: %s   Standby: %s%s", r.path("active").asText("none"), r.path("standby").asText("none"),
                    r.path("maintenance").asBoolean() ? "   MAINTENANCE: " + r.path("maintenanceMessage").asText("") : "");
            out.line("");
            out.line("%-6s  %-12s  %-8s  %-8s  %-6s  %-7s  %s", "Slot", "Release", "State", "Pid", "Port", "Healthy", "Started");
            r.path("slots").fields().forEachRemaining(e -> {
                JsonNode s = e.getValue();
                out.line("%-6s  %-12s  %-8s  %-8s  %-6s  %-7s  %s", e.getKey(), s.path("release").asText("-"), s.path("state").asText(),
                        s.path("pid").asText("-"), s.path("port").asText("-"),
                        s.path("healthy").isNull() ? "-" : s.path("healthy").asBoolean() ? "yes" : "NO", s.path("started").asText("-"));
            });
            ProcessTable.print(out, r.path("slots"));
            if (r.path("rollout").isObject()) {
                out.line("");
                RolloutView.print(out, r.path("rollout"));
            }
            out.line("");
            out.line("Recent history:");
            for (JsonNode h : r.path("history")) {
                out.line("  %s  %-11s %s -> %s  %s  %s", h.path("timestamp").asText(), h.path("action").asText(),
                        h.path("from").asText("-"), h.path("to").asText("-"), h.path("release").asText("-"), h.path("outcome").asText());
            }
        }
    }

    @Command(name = "switch", description = "Health-check the slot, then move traffic to it.")
    static final class Switch extends Call {
        @Parameters(paramLabel = "blue|green")
        String slot;
        @Option(names = "--skip-health", description = "switch without checking health first")
        boolean skipHealth;

        @Override
        JsonNode call(AdminClient client) {
            return client.post("/api/deployments/switch", Map.of("slot", slot, "skipHealth", skipHealth));
        }

        @Override
        void print(Output out, JsonNode r) {
            out.line("Traffic switched to %s (%s).", slot, r.path("release").asText());
        }
    }

    @Command(name = "rollback", description = "Switch back to the standby slot (instant when warm), then the schema: none (default) "
            + "lists the migrations; down runs their down SQL; restore restores the pre-upgrade backup (needs --yes).")
    static final class Rollback extends Call {
        @Option(names = "--schema", defaultValue = "none", description = "none, down or restore")
        String schema;
        @Option(names = "--yes", description = "confirm --schema restore (data written since the backup is lost)")
        boolean yes;

        @Override
        JsonNode call(AdminClient client) {
            return client.post("/api/deployments/rollback", Map.of("schema", schema, "yes", yes));
        }

        @Override
        void print(Output out, JsonNode r) {
            out.line("Rolled back from %s (%s) to %s (%s)%s.", r.path("from").asText(), r.path("rolledBackRelease").asText(),
                    r.path("to").asText(), r.path("release").asText(), r.path("restarted").asBoolean() ? ", restarted first" : ", it was warm");
            out.line(r.path("schemaMessage").asText());
        }
    }

    @Command(name = "cleanup", description = "Drain (in-flight requests finish, up to drainTimeout) and stop a slot; refuses the active one.")
    static final class Cleanup extends Call {
        @Parameters(paramLabel = "blue|green")
        String slot;

        @Override
        JsonNode call(AdminClient client) {
            return client.post("/api/deployments/cleanup", Map.of("slot", slot));
        }

        @Override
        void print(Output out, JsonNode r) {
            out.line("Slot %s drained and stopped.", slot);
        }
    }

    @Command(name = "maintenance", description = "on: the router answers 503 with Retry-After and the message; off: traffic flows again.")
    static final class Maintenance extends Call {
        @Parameters(paramLabel = "on|off")
        String state;
        @Option(names = "--message", description = "shown to clients while on")
        String message;

        @Override
        JsonNode call(AdminClient client) {
            if (!state.equals("on") && !state.equals("off")) {
                throw new SwitchbackException(ErrorCode.CONFIG, "maintenance takes on or off, not '" + state + "'");
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("on", state.equals("on"));
            body.put("message", message);
            return client.post("/api/deployments/maintenance", body);
        }

        @Override
        void print(Output out, JsonNode r) {
            out.line("Maintenance %s.", state);
        }
    }

    @Command(name = "pause", description = "Hold new requests (up to --max, then 503) during a short database operation.")
    static final class Pause extends Call {
        @Option(names = "--max", defaultValue = "30s", description = "the longest a request is held (default 30s)")
        String max;

        @Override
        JsonNode call(AdminClient client) {
            return client.post("/api/deployments/pause", Map.of("maxMs", Settings.duration("--max", max).toMillis()));
        }

        @Override
        void print(Output out, JsonNode r) {
            out.line("Paused: new requests are held for up to %s; `switchback upgrade resume` releases them.", max);
        }
    }

    @Command(name = "resume", description = "Release the requests held by pause.")
    static final class Resume extends Call {
        @Override
        JsonNode call(AdminClient client) {
            return client.post("/api/deployments/resume", Map.of());
        }

        @Override
        void print(Output out, JsonNode r) {
            out.line("Resumed.");
        }
    }
}
