package dev.switchback.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.Map;

/** {@code upgrade promote} and {@code upgrade abort}: the operator's say in a running rollout. */
final class RolloutCommands {
    private RolloutCommands() {
    }

    @Command(name = "promote", description = "Go on past a pause (or a paused progress deadline) to the next canary step; "
            + "--full goes to 100% at once.")
    static final class Promote extends UpgradeCommand.Call {
        @Option(names = "--full", description = "skip the remaining steps: the canary takes all traffic now")
        boolean full;

        @Override
        JsonNode call(AdminClient client) {
            return client.post("/api/deployments/promote", Map.of("full", full));
        }

        @Override
        void print(Output out, JsonNode r) {
            RolloutView.print(out, r);
        }
    }

    @Command(name = "abort", description = "Send every request back to the stable release at once and stop the canary "
            + "(or end a blue-green watch by switching back).")
    static final class Abort extends UpgradeCommand.Call {
        @Override
        JsonNode call(AdminClient client) {
            return client.post("/api/deployments/abort", Map.of());
        }

        @Override
        void print(Output out, JsonNode r) {
            RolloutView.print(out, r);
        }
    }
}
