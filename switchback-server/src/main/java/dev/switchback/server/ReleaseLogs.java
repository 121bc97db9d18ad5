package dev.switchback.server;

import dev.switchback.deploy.DeploymentState;
import dev.switchback.deploy.Deployer;
import dev.switchback.deploy.ReleaseLog;
import dev.switchback.deploy.Slot;
import dev.switchback.deploy.SlotTraffic;
import dev.switchback.migration.ErrorCode;
import dev.switchback.migration.SwitchbackException;
import io.vertx.core.http.HttpServerRequest;

import java.util.LinkedHashMap;
import java.util.Map;

/** The admin API's read-outs for watching a deployment: a release's log ({@code upgrade logs}) and the router's counters. */
final class ReleaseLogs {
    private ReleaseLogs() {
    }

    /** {@code GET /api/deployments/logs?slot=&lines=&file=&offset=}: the slot (default: the active one) from where the caller got to. */
    static ReleaseLog read(Deployer deployer, HttpServerRequest req) {
        DeploymentState st = deployer.state();
        String named = req.getParam("slot");
        Slot slot = named == null || named.isBlank() ? st.activeSlot() : Slot.parse(named);
        if (slot == null) {
            throw new SwitchbackException(ErrorCode.CONFIG, "Nothing is active yet: name a slot (blue or green)");
        }
        return ReleaseLog.read(slot, st.slot(slot), req.getParam("file"), number(req, "offset", 0), (int) number(req, "lines", 50));
    }

    /**
     * {@code GET /api/deployments/traffic}: what the router counted per slot since it started (requests, errors, the
     * latency histogram's buckets) and the weights; two readings subtracted make a window.
     */
    static Map<String, Object> traffic(Deployer deployer, Router router) {
        Slot active = deployer.state().activeSlot();
        int canary = router.canaryWeight();
        Map<String, Object> slots = new LinkedHashMap<>();
        for (Slot s : Slot.values()) {
            SlotTraffic t = router.traffic(s);
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("weight", active == null ? 0 : s == active ? 100 - canary : canary);
            one.put("requests", t.requests());
            one.put("errors", t.errors());
            one.put("inFlight", router.inFlight(s));
            one.put("latencyCounts", t.latencyCounts());
            slots.put(s.id(), one);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("atMs", System.currentTimeMillis());
        out.put("slots", slots);
        return out;
    }

    private static long number(HttpServerRequest req, String name, long dflt) {
        String v = req.getParam(name);
        try {
            long n = v == null || v.isBlank() ? dflt : Long.parseLong(v.strip());
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new SwitchbackException(ErrorCode.CONFIG, name + " must be a whole number of at least 0, was '" + v + "'");
        }
    }
}
