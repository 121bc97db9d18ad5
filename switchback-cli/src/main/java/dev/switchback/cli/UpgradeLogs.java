package dev.switchback.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchback.migration.SwitchbackException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;

@Command(name = "logs", description = "A release's log through the daemon (default: the active slot's). -f follows it until "
        + "Ctrl-C, on across restarts of the release in that slot.")
final class UpgradeLogs implements Callable<Integer> {
    @Mixin
    HelpOption help;
    @ParentCommand
    UpgradeCommand parent;
    @Parameters(paramLabel = "blue|green", arity = "0..1", description = "the slot (default: the active one)")
    String slot;
    @Option(names = {"-f", "--follow"}, description = "keep printing what the release writes, across its restarts")
    boolean follow;
    @Option(names = "--lines", defaultValue = "50", description = "how many of the last lines to print first (default 50)")
    int lines;
    @Option(names = "--poll", defaultValue = "500ms", hidden = true, description = "time between reads with -f")
    String poll;

    @Override
    public Integer call() throws InterruptedException {
        AdminClient client = parent.client();
        Output out = parent.root.output();
        JsonNode r = client.getAuthorized("/api/deployments/logs?lines=" + Math.max(0, lines) + (slot == null ? "" : "&slot=" + enc(slot)));
        print(out, r);
        // the slot is fixed once: a failover makes the other slot active, but this follows the release it started with
        String followed = r.path("slot").asText();
        long pause = dev.switchback.migration.Settings.duration("--poll", poll).toMillis();
        String waiting = null;
        while (follow) {
            Thread.sleep(pause);
            JsonNode last = r;
            try {
                r = client.getAuthorized("/api/deployments/logs?slot=" + enc(followed) + "&file=" + enc(r.path("file").asText())
                        + "&offset=" + r.path("offset").asLong());
                waiting = null;
            } catch (SwitchbackException e) {
                // the daemon restarting, or the slot empty for a moment: keep following once it answers again
                if (!e.getMessage().equals(waiting)) {
                    System.err.println("switchback: " + e.getMessage() + " (still following; Ctrl-C stops)");
                    waiting = e.getMessage();
                }
                r = last;
                continue;
            }
            if (r.path("newFile").asBoolean() && !out.json()) {
                out.line("--- %s now runs %s: following %s", followed, r.path("release").asText(), r.path("file").asText());
            }
            print(out, r);
        }
        return 0;
    }

    private static void print(Output out, JsonNode r) {
        if (out.json()) {
            out.json(r);
        } else if (!r.path("text").asText().isEmpty()) {
            System.out.print(r.path("text").asText());
            System.out.flush();
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
